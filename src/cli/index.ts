import { main } from './main.js';

// `kubemend --help | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// No top-level await: the bundle in dist/cli/ is a script (CommonJS), which V8 can load from a code cache.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
