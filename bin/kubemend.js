#!/usr/bin/env node
import { readFileSync } from 'node:fs';

// `kubemend --version` answers from package.json without loading the linter, which is most of its start-up.
// It prints what commander prints for it (src/cli/main.ts): the version and a newline.
const args = process.argv.slice(2);
if (args.length === 1 && ['--version', '-V', 'version'].includes(args[0])) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else {
  const { runBundle } = await import('./run-bundle.js');
  runBundle();
}
