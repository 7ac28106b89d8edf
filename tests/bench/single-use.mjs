#!/usr/bin/env node
// single-use.mjs: what a minified bundle spends on top-level declarations that a pass
// across items could remove. Counts, with acorn:
//   - the top-level names and how often they are written;
//   - declarations read exactly once, after the declaration, outside any function, class
//     or loop, and not in an export list: moving the initializer to that read saves the
//     name twice, `=` and `,` (split into function expressions, which may move past
//     anything, and other initializers);
//   - top-level functions called exactly once, from inside another function (what rspack's
//     minifier inlines).
//
// Usage:  PEERS_DIR=/tmp/peers/tools node tests/bench/single-use.mjs BUNDLE.mjs [...]
import fs from 'node:fs';
import path from 'node:path';

const peers = process.env.PEERS_DIR;
if (!peers || process.argv.length < 3) {
  console.error('usage: PEERS_DIR=where acorn is installed node single-use.mjs BUNDLE...');
  process.exit(2);
}
const acorn = await import(path.join(peers, 'node_modules/acorn/dist/acorn.mjs'));

function analyze(file) {
  const src = fs.readFileSync(file, 'utf8');
  const ast = acorn.parse(src, { ecmaVersion: 'latest', sourceType: 'module' });
  const variables = new Map();
  const functions = new Map();
  for (const statement of ast.body) {
    const declaration = statement.type.startsWith('Export') && statement.declaration ? statement.declaration : statement;
    if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === 'Identifier' && declarator.init) variables.set(declarator.id.name, declarator);
      }
    } else if (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') {
      if (declaration.id) functions.set(declaration.id.name, declaration);
    }
  }
  const reads = new Map();
  const isBinding = (node, parent, key) =>
    (parent?.type === 'MemberExpression' && key === 'property' && !parent.computed) ||
    (parent?.type === 'VariableDeclarator' && key === 'id') ||
    ((parent?.type === 'FunctionDeclaration' || parent?.type === 'ClassDeclaration') && key === 'id') ||
    (parent?.type === 'Property' && key === 'key' && !parent.computed && !parent.shorthand) ||
    (parent?.type === 'MethodDefinition' && key === 'key' && !parent.computed) ||
    (parent?.type === 'PropertyDefinition' && key === 'key' && !parent.computed);
  const walk = (node, nested, parent, key) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) walk(child, nested, parent, key);
      return;
    }
    if (node.type === 'Identifier' && (variables.has(node.name) || functions.has(node.name)) && !isBinding(node, parent, key)) {
      const list = reads.get(node.name) ?? [];
      list.push({
        at: node.start,
        nested,
        exported: parent?.type === 'ExportSpecifier',
        called: parent?.type === 'CallExpression' && key === 'callee',
      });
      reads.set(node.name, list);
    }
    const enters = /Function|Class|ForStatement|ForIn|ForOf|While/.test(node.type);
    for (const child of Object.keys(node)) {
      if (child !== 'type' && child !== 'start' && child !== 'end') walk(node[child], nested || enters, node, child);
    }
  };
  walk(ast.body, false, null, null);

  const names = new Set([...variables.keys(), ...functions.keys()]);
  let written = 0;
  let previous = null;
  for (const token of acorn.tokenizer(src, { ecmaVersion: 'latest', sourceType: 'module' })) {
    if (token.type.label === 'name' && previous?.type.label !== '.' && names.has(token.value)) written += 1;
    previous = token;
  }
  const movable = { functions: [0, 0], other: [0, 0] };
  for (const [name, declarator] of variables) {
    const list = reads.get(name) ?? [];
    if (list.length !== 1 || list[0].nested || list[0].exported || list[0].at < declarator.end) continue;
    const kind = /FunctionExpression/.test(declarator.init.type) ? 'functions' : 'other';
    movable[kind][0] += 1;
    movable[kind][1] += name.length * 2 + 2;
  }
  let calledOnce = 0;
  for (const [name, declaration] of functions) {
    const list = reads.get(name) ?? [];
    if (declaration.type === 'FunctionDeclaration' && list.length === 1 && list[0].nested && list[0].called) calledOnce += 1;
  }
  return { bytes: Buffer.byteLength(src), names: names.size, written, movable, calledOnce };
}

for (const file of process.argv.slice(2)) {
  const { bytes, names, written, movable, calledOnce } = analyze(file);
  console.log(`${path.basename(file)}: ${bytes} bytes; ${names} top-level names written ${written} times`);
  console.log(`  read once at the top level, after the declaration: ${movable.functions[0]} function expressions (about ${movable.functions[1]} bytes), ${movable.other[0]} other initializers (about ${movable.other[1]} bytes)`);
  console.log(`  functions called once, from inside another function: ${calledOnce}`);
}
