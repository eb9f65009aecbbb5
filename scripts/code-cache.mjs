#!/usr/bin/env node
// Runs the bundled command line once, as bin/ does, and writes V8's code cache of it beside it when the process ends:
// by then it holds the code that run compiled, which a later run with the same Node loads instead of compiling.
// Called by scripts/bundle.mjs with the arguments of a lint.
import { writeFileSync } from 'node:fs';
import { CODE_CACHE, compileBundle, runScript } from '../bin/run-bundle.js';

const script = compileBundle();
process.on('exit', () => writeFileSync(CODE_CACHE, script.createCachedData()));
runScript(script);
