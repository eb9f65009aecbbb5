'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

/*
 * Runs the command line bundled in dist/cli/ (scripts/bundle.mjs). Most of a one-file lint's start-up is V8
 * compiling that code, which vm.Script's cachedData saves: the bundle is a CommonJS script so that it can be compiled
 * this way, from a cache made at build time beside it (scripts/code-cache.mjs). One path on every Node version:
 * Node 22's own compile cache (module.enableCompileCache) would write to disk at run time, and its require() has no
 * way to hand the bundle the import() plugins need. Nothing is written at run time; a cache V8 rejects (another Node
 * version) costs nothing but the read, and the code is compiled as usual.
 */

const BUNDLE = path.join(__dirname, '..', 'dist', 'cli', 'kubemend.cjs');
const CODE_CACHE = `${BUNDLE}.v8-cache`;

/** The bundle compiled as Node would wrap a CommonJS module, from `cachedData` when V8 accepts it. */
function compileBundle(cachedData) {
  // ASCII (scripts/bundle.mjs makes sure), so latin1 reads the same text, faster than UTF-8.
  const source = readFileSync(BUNDLE, 'latin1');
  const parameters = 'exports, require, module, __filename, __dirname, kubemendHostImport';
  return new vm.Script(`(function (${parameters}) {${source}\n})`, { filename: BUNDLE, cachedData });
}

function runScript(script) {
  const exports = {};
  const require = Module.createRequire(BUNDLE);
  // Plugins (ES modules) are loaded by this module's import(): the script's own needs a callback V8's cache loses.
  const hostImport = (url) => import(url);
  script.runInThisContext()(exports, require, { exports }, BUNDLE, path.dirname(BUNDLE), hostImport);
}

function runBundle() {
  runScript(compileBundle(readCodeCache()));
}

function readCodeCache() {
  try {
    return readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
}

module.exports = { BUNDLE, CODE_CACHE, compileBundle, runScript, runBundle };
