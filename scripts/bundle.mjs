#!/usr/bin/env node
// Bundles the command line (dist/src/cli/index.js, compiled by tsc) into dist/cli/: Node then loads one module
// instead of some sixty, which is most of a one-file lint's time. Code used only by some runs (the SARIF and
// kubeaudit formatters, the language server) is imported dynamically and so stays in chunks of its own, loaded when
// used. The dependencies imported dynamically stay outside the bundle and load from node_modules as Node loads them:
// esbuild's stand-in for a dynamic import() of a CommonJS package does not give the named exports Node gives
// (`const { Ajv } = await import('ajv')` would get undefined). The library (package.json `exports`) stays unbundled.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  // The lint thread of --jobs is started from a file of its own, beside the chunk that starts it.
  entryPoints: {
    index: path.join(root, 'dist', 'src', 'cli', 'index.js'),
    'lint-worker': path.join(root, 'dist', 'src', 'presets', 'lint-worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies call require() for Node's own modules; an ES module has none unless it makes one.
  banner: {
    js: "import { createRequire as kubemendCreateRequire } from 'node:module';\nconst require = kubemendCreateRequire(import.meta.url);",
  },
  external: [
    'ajv',
    'diff',
    'fast-glob',
    'vscode-languageserver',
    'vscode-languageserver/*',
    'vscode-languageserver-textdocument',
  ],
  logLevel: 'warning',
  metafile: true,
});
// Which source modules each output file holds: tests use it to check what a run loads.
writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(metafile));
