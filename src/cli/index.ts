import { main } from './main.js';

// No top-level await: the bundle in dist/cli/ is a script (CommonJS), which V8 can load from a code cache.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
