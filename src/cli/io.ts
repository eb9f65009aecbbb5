import type { Readable, Writable } from 'node:stream';

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

export function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** All of `stdin`, read once when an input names `-`. */
export async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
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
  async stdinFor(inputs: readonly string[]): Promise<Uint8Array | undefined> {
    return inputs.includes('-') ? readAll(this.io.stdin) : undefined;
  }
}
