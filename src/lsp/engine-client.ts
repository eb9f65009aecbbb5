import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { readPackageInfo } from '../package-info.js';
import type { FixReply, FixSelection, LintReply, WorkerNotification, WorkerReply, WorkerRequest } from './messages.js';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** Requests without their id, which the client adds. */
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The server's handle on the engine worker. The worker is started on first use and again after it died (an engine
 * bug, memory): pending requests then fail, and `replay` gives what the new worker must be told first (open
 * documents, workspace folders).
 */
export class EngineClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closing = false;

  constructor(
    private readonly replay: () => WorkerNotification[],
    private readonly log: (message: string) => void,
  ) {}

  notify(message: WorkerNotification): void {
    this.running().postMessage(message);
  }

  lint(uri: string): Promise<LintReply | null> {
    return this.request({ type: 'lint', uri }) as Promise<LintReply | null>;
  }

  fix(uri: string, version: number, select: FixSelection): Promise<FixReply | null> {
    return this.request({ type: 'fix', uri, version, select }) as Promise<FixReply | null>;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private request(message: Request): Promise<unknown> {
    const id = this.nextId++;
    const worker = this.running();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    // The worker is a module of the library (dist/src), which is there whether the CLI runs bundled or not.
    const script = path.join(readPackageInfo().root, 'dist', 'src', 'lsp', 'lint-worker.js');
    const worker = new Worker(script);
    this.worker = worker;
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) => this.log(`kubemend: the engine worker failed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => this.died(worker, code));
    for (const message of this.replay()) worker.postMessage(message);
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if ('error' in reply) pending.reject(new Error(reply.error));
    else pending.resolve(reply.result);
  }

  private died(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (!this.closing)
      this.log(`kubemend: the engine worker stopped (exit code ${code}); it starts again with the next request`);
    for (const { reject } of this.pending.values()) reject(new Error('the engine worker stopped'));
    this.pending.clear();
  }
}
