import { parentPort } from 'node:worker_threads';
import { EngineHost } from './engine-host.js';
import type { WorkerMessage, WorkerReply } from './messages.js';

/*
 * The worker thread of `kubemend lsp`: it runs the engine, one message at a time and in the order they came, so a
 * lint sees every edit sent before it. The server's thread stays free to answer the editor.
 */

const host = new EngineHost();
const port = parentPort!;

async function handle(message: WorkerMessage): Promise<void> {
  switch (message.type) {
    case 'open':
      return host.open(message.document);
    case 'close':
      return host.close(message.uri);
    case 'workspace':
      return host.setFolders(message.folders);
    case 'filesChanged':
      return host.filesChanged();
    case 'lint':
      return reply({ id: message.id, result: await host.lint(message.uri) });
    case 'fix':
      return reply({ id: message.id, result: await host.fix(message.uri, message.version, message.select) });
  }
}

function reply(message: WorkerReply): void {
  port.postMessage(message);
}

let queue = Promise.resolve();
port.on('message', (message: WorkerMessage) => {
  queue = queue.then(() =>
    handle(message).catch((error: unknown) => {
      // A bug in the engine must not take the server down: the request fails, the next one is served.
      if ('id' in message)
        reply({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }),
  );
});
