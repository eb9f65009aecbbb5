#!/usr/bin/env node
// Bundles the command line (dist/src/cli/index.js, compiled by tsc) into dist/cli/: Node then loads one module
// instead of some sixty, which is most of a one-file lint's time. Code used only by some runs (ajv, fast-glob, diff,
// the SARIF and kubeaudit formatters) is imported dynamically and so stays in chunks of its own, loaded when used.
// The library (package.json `exports`) stays unbundled in dist/src/.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [path.join(root, 'dist', 'src', 'cli', 'index.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies call require() for Node's own modules; an ES module has none unless it makes one.
  banner: { js: "import { createRequire as kubemendCreateRequire } from 'node:module';\nconst require = kubemendCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
