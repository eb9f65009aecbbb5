#!/usr/bin/env node
// Bundles the command line (dist/src/cli/index.js, compiled by tsc) into one CommonJS script, dist/cli/kubemend.cjs:
// Node then reads one file instead of some sixty modules, and bin/run-bundle.js can compile it from the V8 code cache
// made here (scripts/code-cache.mjs), which an ES module cannot use on Node 20. Code used only by some runs (the SARIF
// and kubeaudit formatters, the language server, marked, log-update) is imported dynamically: esbuild keeps it in the
// file but runs its module code only when imported. The dependencies imported dynamically (ajv, diff, fast-glob) stay
// outside the bundle and are require()d from node_modules when used. The threads of --jobs start from
// dist/cli/lint-worker.js, an ES module of its own (it awaits at top level). The library (package.json `exports`)
// stays unbundled.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'cli');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: [
    'ajv',
    'diff',
    'fast-glob',
    'vscode-languageserver',
    'vscode-languageserver/*',
    'vscode-languageserver-textdocument',
  ],
  logLevel: 'warning',
};
/** Has src/config/plugins.ts load plugins through `kubemendImport` (see the banner below) instead of import(). */
const importPluginsThroughHost = {
  name: 'import-plugins-through-host',
  setup(build) {
    const loader = path.join(root, 'dist', 'src', 'config', 'plugins.js');
    build.onLoad({ filter: /[\\/]config[\\/]plugins\.js$/ }, (args) => {
      if (args.path !== loader) return undefined;
      const source = readFileSync(loader, 'utf8');
      const imports = source.split('await import(');
      if (imports.length !== 2) throw new Error(`expected one import() in ${loader}, found ${imports.length - 1}`);
      return { contents: imports.join('await kubemendImport('), loader: 'js' };
    });
  },
};
/**
 * Node's own modules that a one-file lint never uses (threads, child processes, SARIF's hashes and gzip, the
 * promise API of the file system that fixes and renders write with) but whose importers are loaded: in the bundle
 * each is an object whose properties load it on first use. Node loads child_process alone in ~2 ms, with net, dgram
 * and streams behind it; fs/promises in ~2 ms, with readline behind it.
 */
const LAZY_BUILTINS = ['child_process', 'worker_threads', 'zlib', 'crypto', 'fs/promises'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    build.onResolve({ filter }, ({ path: specifier, namespace }) => {
      const name = specifier.replace(/^node:/, '');
      return namespace === 'lazy-builtin'
        ? { path: `node:${name}`, external: true }
        : { path: name, namespace: 'lazy-builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async ({ path: name }) => {
      const keys = Object.keys(await import(`node:${name}`)).filter((key) => key !== 'default');
      const contents = [
        'let loaded;',
        `const load = () => (loaded ??= require('node:${name}'));`,
        `for (const key of ${JSON.stringify(keys)})`,
        '  Object.defineProperty(exports, key, { enumerable: true, get: () => load()[key] });',
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};
/**
 * bin/run-bundle.js reads the bundle as latin1, which for ASCII is the same text, several times faster to decode than
 * UTF-8 and a one-byte string for V8. esbuild escapes non-ASCII characters in code; the comments it keeps may still
 * hold some (a `…`): those are escaped as \uXXXX, which is the same character wherever code could hold it.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const escape = (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  writeFileSync(file, text.replace(/[\u0080-\uffff]/g, escape));
}
/**
 * esbuild's `__toESM` gives every ES module that imports a CommonJS module (yaml, commander, Node's path) a copy of
 * its exports, one getter per export: a one-file lint made 63 copies and 1,400 getters at start, for six modules.
 * Here each module is copied once per mode and the copy shared, which cut that lint's CPU time by 2-3% and its
 * memory by ~95 pages. A copy lists the exports there are when it is made; the bundled CommonJS modules never
 * require kubemend's own (ES) modules, so each is complete by the time anything imports it.
 */
function shareNamespaceCopies(file) {
  const helper = 'var __toESM = (mod, isNodeMode, target) => (';
  const text = readFileSync(file, 'utf8');
  const found = text.split(helper).length - 1;
  if (found !== 1) throw new Error(`expected esbuild's __toESM helper once in ${file}, found it ${found} times`);
  const shared = [
    'var __toESMCopies = [new WeakMap(), new WeakMap()];',
    'var __toESM = (mod, isNodeMode) => {',
    '  if (mod === null || (typeof mod !== "object" && typeof mod !== "function")) return __toESMCopy(mod, isNodeMode);',
    '  const copies = __toESMCopies[isNodeMode ? 1 : 0];',
    '  let copy = copies.get(mod);',
    '  if (copy === void 0) copies.set(mod, (copy = __toESMCopy(mod, isNodeMode)));',
    '  return copy;',
    '};',
    'var __toESMCopy = (mod, isNodeMode, target) => (',
  ].join('\n');
  writeFileSync(file, text.replace(helper, shared));
}
rmSync(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [path.join(root, 'dist', 'src', 'cli', 'index.js')],
  outfile: path.join(outdir, 'kubemend.cjs'),
  format: 'cjs',
  // A script compiled by vm.Script has no import(): the dependencies left outside are CommonJS, and require()d.
  supported: { 'dynamic-import': false },
  // import.meta does not exist in a script: the one use that matters is finding files beside the module.
  define: { 'import.meta.url': 'kubemendModuleUrl' },
  // Plugins are ES modules, which only import() loads; in a script compiled by vm.Script, import() works only with a
  // callback that a code cache loses, so bin/run-bundle.js (the one way the bundle is run) passes an import of its
  // own (kubemendHostImport).
  banner: {
    js: [
      "var kubemendModuleUrl = require('node:url').pathToFileURL(__filename).href;",
      'var kubemendImport = kubemendHostImport;',
    ].join('\n'),
  },
  plugins: [importPluginsThroughHost, lazyBuiltins],
});
asciiOnly(path.join(outdir, 'kubemend.cjs'));
shareNamespaceCopies(path.join(outdir, 'kubemend.cjs'));
await build({
  ...common,
  entryPoints: [path.join(root, 'dist', 'src', 'presets', 'lint-worker.js')],
  outfile: path.join(outdir, 'lint-worker.js'),
  format: 'esm',
  // CommonJS dependencies call require() for Node's own modules; an ES module has none unless it makes one.
  banner: {
    js: [
      "import { createRequire as kubemendCreateRequire } from 'node:module';",
      'const require = kubemendCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});
// The code cache: compiled code of a lint run (its findings go nowhere), of a clean file and of one with findings
// that asks for project context, so that it holds what either outcome of a one-file lint runs. Code not in it is
// compiled when first called: a cache made from the second file alone left out ~22 KB of what the first runs,
// which cost a lint of the clean file 2-3% of its CPU time; the union is 3% larger to read and deserialize. The lint
// reads this repository as project context, with a context cache of its own (the build writes nothing into the
// user's): the first run fills it, and the second, whose code is kept, reads it as a pre-commit hook's runs do.
const contextCache = mkdtempSync(path.join(tmpdir(), 'kubemend-bundle-cache-'));
let lint;
try {
  for (let run = 0; run < 2; run++)
    lint = spawnSync(
      process.execPath,
      [
        path.join(root, 'scripts', 'code-cache.mjs'),
        '--no-color',
        'examples/secure-pod.yaml',
        'examples/insecure-deployment.yaml',
      ],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, KUBEMEND_CACHE_DIR: contextCache },
      },
    );
} finally {
  rmSync(contextCache, { recursive: true, force: true });
}
if (lint.status !== 1 || !existsSync(path.join(outdir, 'kubemend.cjs.v8-cache'))) {
  console.error(`bundle: the lint that makes the code cache ended with status ${lint.status}, expected 1 (findings)`);
  process.exit(1);
}
