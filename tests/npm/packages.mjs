// The packages of the npm differential suite (versions are pinned in package.json beside this
// file). For each: the specifier the entry imports, its kind, and one cheap real call made on
// the module namespace `m` (node's own import, or the bundle's): its result is serialized and
// compared between the two. The expected values are never written here: node is the oracle.
//
// kind: `cjs`   CommonJS only (node's import goes through its CommonJS loader; names come
//               from cjs-module-lexer, `default` is `module.exports`)
//       `dual`  `exports` with `import`/`require` (or `node`/`module`) conditions, or an ES
//               module wrapper around CommonJS
//       `esm-cjs-deps`  an ES module package that imports CommonJS dependencies
//
// Calls must be deterministic in one machine and free of absolute paths; they run with the
// install directory as the working directory.

/** Captures console.error (React and prop-types warn there) while `fn` runs. */
function capturingErrors(fn) {
  const messages = [];
  const original = console.error;
  console.error = (...args) => messages.push(args.map(String).join(' '));
  try {
    return { result: fn(), messages };
  } finally {
    console.error = original;
  }
}

/** A React 18 element without React (react-dom/server is probed on its own). */
const element = (type, props) => ({
  $$typeof: Symbol.for('react.element'),
  type,
  key: null,
  ref: null,
  props,
  _owner: null,
});

export const packages = [
  // ---- CommonJS ----------------------------------------------------------------------
  {
    id: '@babel/parser',
    kind: 'cjs',
    call: (m) => {
      const ast = m.default.parse('let a = 1 + 2; export {a}', { sourceType: 'module' });
      return ast.program.body.map((node) => node.type);
    },
  },
  {
    id: 'chalk',
    kind: 'cjs',
    call: (m) => [m.default.level, new m.default.Instance({ level: 1 }).red.bold('x')],
  },
  {
    id: 'classnames',
    kind: 'cjs',
    call: (m) => m.default('a', { b: true, c: false }, ['d', { e: 1 }]),
  },
  {
    id: 'cookie',
    kind: 'cjs',
    call: (m) => [m.default.serialize('a', 'b c', { httpOnly: true }), m.default.parse('a=1; b=x%20y')],
  },
  {
    id: 'dayjs',
    kind: 'cjs',
    call: (m) => m.default('2020-01-02T03:04:05Z').add(1, 'day').toISOString(),
  },
  {
    id: 'debug',
    kind: 'cjs',
    call: (m) => {
      const log = m.default('suite:ns');
      return [log.namespace, typeof log.extend, m.default.enabled('suite:other'), m.default.humanize(1500)];
    },
  },
  {
    id: 'deepmerge',
    kind: 'cjs',
    call: (m) => [m.default({ a: { b: 1 }, l: [1] }, { a: { c: 2 }, l: [2] }), m.default.all([{ x: 1 }, { y: 2 }])],
  },
  {
    id: 'depd',
    kind: 'cjs',
    call: (m) => {
      const deprecate = m.default('suite');
      return [typeof deprecate, typeof deprecate.function, typeof deprecate.property];
    },
  },
  {
    id: 'escape-html',
    kind: 'cjs',
    call: (m) => m.default('<a href="x">&\'</a>'),
  },
  {
    id: 'express',
    kind: 'cjs',
    call: (m) => {
      const app = m.default();
      app.get('/x', (request, response) => response.send('x'));
      app.use(m.default.json());
      return [typeof app.listen, app._router.stack.length, typeof m.default.Router, typeof m.default.static];
    },
  },
  {
    id: 'fast-deep-equal',
    kind: 'cjs',
    call: (m) => [m.default({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), m.default({ a: 1 }, { a: 2 })],
  },
  {
    id: 'graphql',
    kind: 'cjs',
    call: (m) =>
      m.graphqlSync({
        schema: m.buildSchema('type Query { a: Int, b(x: String): String }'),
        source: '{ a b(x: "y") }',
        rootValue: { a: 1, b: ({ x }) => x + '!' },
      }),
  },
  {
    id: 'he',
    kind: 'cjs',
    call: (m) => [m.default.encode('<ü>'), m.default.decode('&lt;&eacute;&#x41;'), m.default.escape('"&')],
  },
  {
    id: 'http-errors',
    kind: 'cjs',
    call: (m) => {
      const error = m.default(404, 'nope');
      return [error.status, error.message, error.name, error.expose, error instanceof m.default.HttpError];
    },
  },
  {
    id: 'iconv-lite',
    kind: 'cjs',
    call: (m) => [
      m.default.decode(Buffer.from([0x68, 0xe9]), 'latin1'),
      [...m.default.encode('é€', 'win1252')],
      m.default.encodingExists('shift_jis'),
      [...m.default.encode('日本', 'shift_jis')],
    ],
  },
  {
    id: 'inherits',
    kind: 'cjs',
    call: (m) => {
      function A() {}
      A.prototype.hello = () => 'hi';
      function B() {}
      m.default(B, A);
      return [new B() instanceof A, new B().hello(), B.super_ === A];
    },
  },
  {
    id: 'js-yaml@3',
    specifier: 'js-yaml-3',
    kind: 'cjs',
    call: (m) => [m.default.safeLoad('a: [1, 2]\nb: {c: x}'), m.default.safeDump({ a: [1, 'two'] })],
  },
  {
    id: 'lodash',
    kind: 'cjs',
    call: (m) => [
      m.default.chunk([1, 2, 3], 2),
      m.default.camelCase('foo bar'),
      m.default.VERSION,
      m.default.template('<%= a %>!')({ a: 1 }),
    ],
  },
  {
    id: 'mime-types',
    kind: 'cjs',
    call: (m) => [m.default.lookup('x.json'), m.default.contentType('html'), m.default.extension('image/png')],
  },
  {
    id: 'minimist',
    kind: 'cjs',
    call: (m) => m.default(['-a', '1', '--b', 'x', '--no-c', 'rest']),
  },
  {
    id: 'moment',
    kind: 'cjs',
    call: (m) => [m.default.utc(86400000).add(1, 'month').format(), m.default.duration(90, 'minutes').humanize()],
  },
  {
    id: 'ms',
    kind: 'cjs',
    call: (m) => [m.default('2h'), m.default(1500), m.default(90061000, { long: true })],
  },
  {
    id: 'object-assign',
    kind: 'cjs',
    call: (m) => m.default({ a: 1 }, { b: 2 }, null, { a: 3 }),
  },
  {
    id: 'picomatch',
    kind: 'cjs',
    call: (m) => [m.default('*.js')('a.js'), m.default.isMatch('a/b.md', '**/*.md'), m.default.scan('!./foo/*.js').base],
  },
  {
    id: 'prop-types',
    kind: 'cjs',
    call: (m) =>
      capturingErrors(() =>
        m.default.checkPropTypes({ a: m.default.number, b: m.default.string.isRequired }, { a: 'x' }, 'prop', 'C'),
      ).messages,
  },
  {
    id: 'qs',
    kind: 'cjs',
    call: (m) => [m.default.stringify({ a: [1, 2], b: { c: 'd e' } }), m.default.parse('a[b]=1&c=2&d[]=x')],
  },
  {
    id: 'react',
    kind: 'cjs',
    call: (m) => {
      const el = m.default.createElement('div', { id: 'x', key: 'k' }, 'hi', m.default.createElement('b'));
      return [el.type, el.key, el.props, m.default.isValidElement(el), m.default.version, m.default.Children.count(el.props.children)];
    },
  },
  {
    id: 'react-dom/server',
    kind: 'cjs',
    call: (m) => [
      m.renderToString(element('p', { className: 'a', children: ['x', element('b', { children: '<y>' })] })),
      m.renderToStaticMarkup(element('input', { value: 1, readOnly: true })),
    ],
  },
  {
    id: 'react-is',
    kind: 'cjs',
    call: (m) => [m.default.isElement(element('a', {})), m.default.typeOf(element('a', {})), m.default.isValidElementType('div')],
  },
  {
    id: 'safe-buffer',
    kind: 'cjs',
    call: (m) => [m.default.Buffer.from('hi').toString('hex'), m.default.Buffer.alloc(2).length],
  },
  {
    id: 'scheduler',
    kind: 'cjs',
    call: (m) => [m.default.unstable_getCurrentPriorityLevel(), m.default.unstable_NormalPriority, typeof m.default.unstable_now()],
  },
  {
    id: 'semver',
    kind: 'cjs',
    call: (m) => [
      m.default.satisfies('1.2.3', '^1'),
      m.default.inc('1.2.3', 'minor'),
      m.default.sort(['1.10.0', '1.2.0', '1.9.9']),
      new m.default.Range('>=1.2 <2').format(),
    ],
  },

  // ---- dual (import and require conditions, ESM wrappers over CommonJS) -------------------
  {
    id: 'diff',
    kind: 'dual',
    call: (m) => m.diffChars('abc', 'abd').map((part) => [part.value, !!part.added, !!part.removed]),
  },
  {
    id: 'eventemitter3',
    kind: 'dual',
    call: (m) => {
      const emitter = new m.default();
      let got;
      emitter.on('x', (value) => (got = value));
      emitter.emit('x', 5);
      return [got, emitter.listenerCount('x'), m.EventEmitter === m.default];
    },
  },
  {
    id: 'js-yaml',
    kind: 'dual',
    call: (m) => [m.load('a: [1, 2]\nb: {c: x}'), m.dump({ a: [1, 'two'] }), m.default.load('- 1')],
  },
  {
    id: 'lru-cache',
    kind: 'dual',
    call: (m) => {
      const cache = new m.LRUCache({ max: 2 });
      cache.set('a', 1);
      cache.set('b', 2);
      cache.set('c', 3);
      return [[...cache.keys()], cache.get('a'), cache.size];
    },
  },
  {
    id: 'nanoid',
    kind: 'dual',
    call: (m) => [m.nanoid(7).length, m.customAlphabet('a', 4)(), m.urlAlphabet],
  },
  {
    id: 'tslib',
    kind: 'dual',
    call: (m) => [m.__assign({ a: 1 }, { b: 2 }), m.__spreadArray([1], [2, 3], false), m.__rest({ a: 1, b: 2 }, ['a'])],
  },
  {
    id: 'underscore',
    kind: 'dual',
    call: (m) => [m.default.map([1, 2], (x) => x * 2), m.default.VERSION, m.default.template('<%= a %>!')({ a: 1 })],
  },
  {
    id: 'uuid',
    kind: 'dual',
    call: (m) => [m.v5('hello', m.v5.DNS), m.validate('not-a-uuid'), m.version('9b2f48b8-0b5a-4bc8-9d2d-2d1e4d8d8b0c'), m.v4().length],
  },
  {
    id: 'yargs-parser',
    kind: 'dual',
    call: (m) => m.default(['--foo', 'bar', '-n', '3', '--no-x', 'rest']),
  },
  {
    id: 'zod',
    kind: 'dual',
    call: (m) => {
      const schema = m.z.object({ a: m.z.number(), b: m.z.string().optional() });
      return [schema.safeParse({ a: 'x' }).success, schema.parse({ a: 1 }), schema.safeParse({}).error.issues.length];
    },
  },

  // ---- ES modules with CommonJS dependencies ------------------------------------------
  {
    id: 'boxen',
    kind: 'esm-cjs-deps',
    call: (m) => m.default('hi\nthere', { padding: 1, textAlignment: 'center', width: 20 }),
  },
  {
    id: 'execa',
    kind: 'esm-cjs-deps',
    call: (m) => m.execaSync(process.execPath, ['-e', 'process.stdout.write("hi")']).stdout,
  },
  {
    id: 'globby',
    kind: 'esm-cjs-deps',
    call: (m) => [m.globbySync('package*.json').sort(), m.isDynamicPattern('*.js'), m.isDynamicPattern('a.js')],
  },
  {
    id: 'node-fetch',
    kind: 'esm-cjs-deps',
    call: async (m) => {
      const response = new m.Response('{"a":1}', { status: 201, headers: { 'x-a': 'b' } });
      return [response.status, response.ok, response.headers.get('x-a'), await response.json(), typeof m.default];
    },
  },
  {
    id: 'p-queue',
    kind: 'esm-cjs-deps',
    call: async (m) => {
      const queue = new m.default({ concurrency: 1 });
      const order = [];
      await Promise.all([queue.add(async () => order.push(1)), queue.add(async () => order.push(2))]);
      return [order, queue.size, queue.pending];
    },
  },
];

for (const entry of packages) entry.specifier ??= entry.id;
