// The oracle for TypeScript and JSX fixtures: compiles every .ts, .tsx, .mts, .cts and .jsx
// file under DIR to JavaScript next to it with TypeScript's own `transpileModule` (the
// isolated-modules compiler), with the compiler options of DIR/tsconfig.json (its `extends`
// followed), so that node can run the project unbundled. The sources are removed; `.d.ts`
// files too.
//
// Usage: node transpile.mjs TYPESCRIPT_DIR DIR [JSON_OVERRIDES [.EXT=KIND ...]]
//   TYPESCRIPT_DIR: the directory whose node_modules holds the `typescript` package
//   JSON_OVERRIDES: compiler options that win over tsconfig's (the fixture's --jsx flags)
//   .EXT=KIND: the fixture's loaders (`.js=jsx`: .js files hold JSX, compiled in place)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [typescriptDir, dir, overrides = '{}', ...loaders] = process.argv.slice(2);
const ts = createRequire(path.join(typescriptDir, 'package.json'))('typescript');

let compilerOptions = {};
const tsconfig = path.join(dir, 'tsconfig.json');
if (fs.existsSync(tsconfig)) {
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  compilerOptions = ts.parseJsonConfigFileContent(read.config, ts.sys, dir).options;
}
compilerOptions = {
  ...compilerOptions,
  ...ts.convertCompilerOptionsFromJson(JSON.parse(overrides), dir).options,
  module: ts.ModuleKind.ESNext,
  isolatedModules: true,
};

const outputs = { '.ts': '.js', '.tsx': '.js', '.mts': '.mjs', '.cts': '.cjs', '.jsx': '.js' };
// Extensions a loader gives another language: compiled as that language, written in place.
const compiledAs = {};
for (const loader of loaders) {
  const [extension, kind] = loader.split('=');
  compiledAs[extension.startsWith('.') ? extension : `.${extension}`] = `.${kind}`;
}
for (const file of walk(dir)) {
  if (/\.d\.[mc]?ts$/.test(file)) {
    fs.rmSync(file);
    continue;
  }
  const extension = path.extname(file);
  const language = compiledAs[extension] ?? extension;
  if (!(language in outputs)) continue;
  const source = fs.readFileSync(file, 'utf8');
  const fileName = file.slice(0, -extension.length) + language;
  // `.cts` files are CommonJS (`import x = require()` and `export =` need it).
  const module = language === '.cts' ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext;
  const result = ts.transpileModule(source, {
    compilerOptions: { ...compilerOptions, module },
    fileName,
    reportDiagnostics: true,
  });
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, '\n')}`);
  }
  fs.rmSync(file);
  const output = extension in compiledAs ? file : file.slice(0, -extension.length) + outputs[extension];
  fs.writeFileSync(output, result.outputText);
}

function* walk(directory) {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}
