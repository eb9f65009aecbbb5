import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { STDIN } from '../load/inputs.js';
import { isLinted } from '../load/read-inputs.js';
import type { ReadOptions } from '../load/read.js';
import type { InputEntry, Progress } from './lint-progress.js';
import type { ContextOptions } from './project-context.js';
import type { LintOptions } from './run.js';
import type { FileResult, Rule } from './types.js';

/*
 * Large inputs are linted by several threads. Each gathers the facts cross-file rules read across files (parsing only
 * those documents: see settled-lint.ts), then asks this thread for one input at a time and sends back its settled
 * result: a thread that is done with a small file takes the next, so the uneven sizes of real inputs (a few install
 * bundles hold most bytes) leave no thread waiting. Results are yielded in input order.
 */

export interface ParallelOptions {
  /** Threads to lint with (1: this thread only). */
  jobs?: number;
  /**
   * Bytes the files must hold together before threads are started, and before files are settled one at a time
   * (see lintInputsStream): below it, starting them costs more.
   */
  parallelThreshold?: number;
  /**
   * What threads need from the layers above the engine: the module a thread runs, and whether a rule can be named
   * to it by id (functions cannot cross threads). Without it, one thread does it all.
   */
  threads?: LintThreads;
}

export interface LintThreads {
  worker: URL;
  knows: (rule: Rule) => boolean;
}

/**
 * Two threads cost about 0.2 s to start (measured on two small files, --jobs 2 against --jobs 1, whole processes);
 * a second core saves half a one-thread lint, which at the ~4 MB/s of a quiet 2-core machine outweighs that from a
 * few MB.
 */
export const DEFAULT_PARALLEL_THRESHOLD = 4_000_000;

/** What a worker gets: everything structured-cloneable; rules by id, as functions cannot cross threads. */
export interface WorkerTask {
  ordered: readonly InputEntry[];
  ruleIds: string[];
  options: Omit<LintOptions, 'rules' | 'onNote'> & ReadOptions & Pick<ContextOptions, 'context'>;
}

/** From a worker: a note; `ready` once its facts are gathered; then each input's result (null: it gets none). */
export type WorkerMessage =
  { type: 'note'; message: string } | { type: 'ready' } | { type: 'result'; index: number; result: FileResult | null };

/** To a worker: the next input to lint, or NO_MORE_INPUTS. */
export type WorkerRequest = number;
export const NO_MORE_INPUTS = -1;

/** Each input's size in bytes (0 for an input that names nothing); undefined when one is stdin, read only once. */
export function inputBytes(ordered: readonly InputEntry[]): number[] | undefined {
  const sizes: number[] = [];
  for (const entry of ordered) {
    if (!('file' in entry)) sizes.push(0);
    else if (entry.file === STDIN) return undefined;
    else sizes.push(sizeOf(entry.file));
  }
  return sizes;
}

/** A rule a thread cannot name would be lost. */
export function threadable(options: ParallelOptions & Pick<LintOptions, 'rules'>): boolean {
  const { threads } = options;
  return threads !== undefined && options.rules.every((rule) => threads.knows(rule));
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // Its lint reports it.
  }
}

/**
 * The order inputs are handed out in: files big enough to keep a thread busy for a good share of the run first (one
 * of them started last would leave the others waiting), then the rest in input order, so the results that wait for
 * the ones before them to be yielded stay few.
 */
function dispatchOrder(sizes: readonly number[], jobs: number): number[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const big = (index: number) => sizes[index]! * jobs * 4 > total;
  const indexes = sizes.map((_, index) => index);
  return [
    ...indexes.filter(big).sort((a, b) => sizes[b]! - sizes[a]! || a - b),
    ...indexes.filter((index) => !big(index)),
  ];
}

export async function* lintInParallel(
  ordered: readonly InputEntry[],
  sizes: readonly number[],
  options: LintOptions & ReadOptions & ContextOptions & ParallelOptions,
  progress: Progress,
): AsyncGenerator<FileResult> {
  const { rules, threads, onNote, workloadKinds, ruleOptions, severities, suppressions, maxFileSize, context } =
    options;
  const task: WorkerTask = {
    ordered,
    ruleIds: rules.map((rule) => rule.meta.id),
    options: { workloadKinds, ruleOptions, severities, suppressions, maxFileSize, context },
  };
  const finished = new Map<number, FileResult | null>();
  for (const [index, entry] of ordered.entries()) if (!isLinted(entry)) finished.set(index, null);
  const queue = dispatchOrder(sizes, options.jobs!).filter((index) => !finished.has(index));
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const workers = Array.from({ length: Math.min(options.jobs!, queue.length) }, () => {
    const worker = new Worker(threads!.worker, { workerData: task });
    let released = false;
    const handOut = () => {
      const next = queue.shift();
      released = next === undefined;
      worker.postMessage((next ?? NO_MORE_INPUTS) satisfies WorkerRequest);
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'note') return onNote?.(message.message);
      if (message.type === 'result') {
        finished.set(message.index, message.result);
        notify();
      }
      // One input waiting in each thread's queue besides the one it lints: it never waits for this thread to answer.
      if (message.type === 'ready') handOut();
      handOut();
    });
    worker.on('error', (error) => {
      failure ??= error;
      notify();
    });
    worker.on('exit', (code) => {
      if (released) return;
      failure ??= new Error(`a lint thread stopped (exit code ${code}) before it was done`);
      notify();
    });
    return { worker, released: () => released };
  });
  try {
    let findings = 0;
    for (let index = 0; index < ordered.length; index++) {
      while (!finished.has(index)) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const result = finished.get(index);
      finished.delete(index);
      if (!result) continue;
      findings += result.findings.length;
      await progress.onProgress?.({ done: index + 1, total: ordered.length, findings });
      yield result;
    }
  } finally {
    // A caller that stops early (or a failed thread) leaves nothing running; a thread told there is no more ends itself.
    for (const { worker, released } of workers) if (!released()) void worker.terminate();
  }
}
