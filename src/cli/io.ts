import type { Readable, Writable } from 'node:stream';
import { STDIN } from '../load/inputs.js';
import { DEFAULT_MAX_FILE_SIZE } from '../load/read.js';

/**
 * Everything the command line touches outside its arguments. `main()` takes one so that tests (and programs that
 * embed kubemend) run the CLI in-process, with their own streams, working directory and environment.
 */
export interface CliIo {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** The working directory that relative paths, config discovery and report paths start from. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The process's own streams, each taken when a command first uses it: Node makes `process.stdin` and the others on
 * first access (a pipe's loads `net`, any loads the stream modules), which a lint that reads no `-` and has nothing
 * to say never needs.
 */
export function processIo(): CliIo {
  return {
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return processStdout();
    },
    get stderr() {
      return process.stderr;
    },
    cwd: process.cwd(),
    env: process.env,
  };
}

let stdoutWatched = false;

function processStdout(): NodeJS.WriteStream {
  if (!stdoutWatched) {
    stdoutWatched = true;
    // `kubemend --help | head` closes the pipe early; that is not an error worth a stack trace.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return process.stdout;
}

/**
 * All of `stream`, or its first `limit` + 1 bytes: enough for the reader to say that it is too large, without
 * reading an endless source (`kubemend - < /dev/zero`) until memory runs out.
 */
export async function readAtMost(stream: Readable, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buffer);
    total += buffer.length;
    if (total > limit) break;
  }
  return Buffer.concat(chunks);
}

/** One run of the command line: its io, and the exit code its action settles on. */
export class CliSession {
  exitCode = 0;
  constructor(readonly io: CliIo) {}

  /** A one-line message on stderr, prefixed like every kubemend message. */
  say(message: string): void {
    this.io.stderr.write(`kubemend: ${message}\n`);
  }

  warn(message: string): void {
    this.say(`warning: ${message}`);
  }

  /** The bytes of stdin when an input names `-`: read once, before any file is linted. */
  async stdinFor(inputs: readonly string[], maxFileSize = DEFAULT_MAX_FILE_SIZE): Promise<Uint8Array | undefined> {
    return inputs.includes(STDIN) ? readAtMost(this.io.stdin, maxFileSize) : undefined;
  }
}
