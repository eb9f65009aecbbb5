import type { Readable, Writable } from 'node:stream';
import { createConnection, type Connection, type WatchDog } from 'vscode-languageserver';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';

/** How often the server checks that the editor that started it still runs. */
const PARENT_CHECK_MS = 3000;

export interface ServerConnection {
  connection: Connection;
  /** Settles with the exit code: 0 after `shutdown` then `exit`, 1 when the editor left without `shutdown`. */
  exited: Promise<number>;
  /** Stops watching the editor's process. */
  dispose(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An LSP connection over the given streams. vscode-languageserver's own node entry point ends the process on `exit`;
 * this one settles `exited` instead, so the command returns its exit code like every other command (and tests run
 * the server in-process). The server also ends when its input closes or the editor's process (from `initialize`)
 * is gone, as the protocol asks.
 */
export function openConnection(input: Readable, output: Writable): ServerConnection {
  let end!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (end = resolve));
  let parentCheck: NodeJS.Timeout | undefined;
  const watchDog: WatchDog = {
    shutdownReceived: false,
    initialize(params) {
      const pid = params.processId;
      if (typeof pid !== 'number') return;
      parentCheck = setInterval(() => {
        if (!isRunning(pid)) end(watchDog.shutdownReceived ? 0 : 1);
      }, PARENT_CHECK_MS);
      parentCheck.unref();
    },
    exit: (code) => end(code),
  };
  const connection = createConnection((logger) => {
    const protocol = createProtocolConnection(new StreamMessageReader(input), new StreamMessageWriter(output), logger);
    protocol.onClose(() => end(watchDog.shutdownReceived ? 0 : 1));
    return protocol;
  }, watchDog);
  input.once('end', () => end(watchDog.shutdownReceived ? 0 : 1));
  return { connection, exited, dispose: () => clearInterval(parentCheck) };
}
