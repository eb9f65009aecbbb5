#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json): Node starts a CommonJS entry point ~9 ms faster than an ES module.

// `kubemend --version` answers from package.json without loading the linter, which is most of its start-up.
// It prints what commander prints for it (src/cli/main.ts): the version and a newline.
const args = process.argv.slice(2);
if (args.length === 1 && ['--version', '-V', 'version'].includes(args[0])) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  require('./run-bundle.js').runBundle();
}
