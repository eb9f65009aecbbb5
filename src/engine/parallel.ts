import { statSync } from 'node:fs';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { STDIN } from '../load/inputs.js';
import { InputReader, isLinted } from '../load/read-inputs.js';
import type { ReadOptions } from '../load/read.js';
import type { InputEntry, Progress } from './lint-progress.js';
import type { ContextOptions } from './project-context.js';
import { LintRun, type LintOptions } from './run.js';
import { gatherFacts, lintSettled } from './settled-lint.js';
import type { FileResult, Rule } from './types.js';

/*
 * Large inputs are linted by several threads. This thread gathers the facts cross-file rules read across files
 * (parsing only those documents: see settled-lint.ts) once, while the threads start and lint their first files, and
 * hands them to every thread (shared-facts.ts); a thread settles a file once it has them. Each thread takes the next
 * input from a counter they share, so the uneven sizes of real inputs (a few install bundles hold most bytes) leave
 * no thread waiting, and none waits for this one to answer. Results are yielded in input order.
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
 * A second thread costs about 0.05 s of CPU to start (two small files, --jobs 2 against --jobs 1, whole processes,
 * 2026-11-30; 0.17 s when every thread was a worker), and on the corpus two threads save 10-20% of a one-thread lint
 * at best on two cores (README, Benchmark): at the ~4 MB/s of a quiet 2-core machine, that pays from a few MB.
 */
export const DEFAULT_PARALLEL_THRESHOLD = 4_000_000;

/** What a worker gets: everything structured-cloneable; rules by id, as functions cannot cross threads. */
export interface WorkerTask {
  ordered: readonly InputEntry[];
  ruleIds: string[];
  knownRuleIds: string[] | undefined;
  options: Omit<LintOptions, 'rules' | 'knownRules' | 'onNote'> & ReadOptions;
  /** The inputs to lint, in the order they are taken. */
  order: readonly number[];
  /** How many of `order` are taken (an Int32Array's one element, shared by every thread). */
  taken: SharedArrayBuffer;
  /** Where the gathered facts come (SharedFacts), once. */
  facts: MessagePort;
}

/** From a worker: a note, or an input's settled result (null: it gets none). */
export type WorkerMessage =
  { type: 'note'; message: string } | { type: 'result'; index: number; result: FileResult | null };

/** The next input of `order` no thread has taken yet; undefined when all are. */
export function takeInput(task: Pick<WorkerTask, 'order' | 'taken'>): number | undefined {
  const at = Atomics.add(new Int32Array(task.taken), 0, 1);
  return task.order[at];
}

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

/** A rule a thread cannot name would be lost (one a suppression may name too). */
export function threadable(options: ParallelOptions & Pick<LintOptions, 'rules' | 'knownRules'>): boolean {
  const { threads } = options;
  return (
    threads !== undefined && [...options.rules, ...(options.knownRules ?? [])].every((rule) => threads.knows(rule))
  );
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
  const finished = new Map<number, FileResult | null>();
  for (const [index, entry] of ordered.entries()) if (!isLinted(entry)) finished.set(index, null);
  const order = dispatchOrder(sizes, options.jobs!).filter((index) => !finished.has(index));
  const queue = { order, taken: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT) };
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  // This thread is one of the jobs: it gathers the facts, then lints as the others do.
  let running = Math.max(0, Math.min(options.jobs! - 1, order.length - 1));
  const threads = Array.from({ length: running }, () => {
    const { thread, facts } = startThread(ordered, queue, options);
    thread.on('message', (message: WorkerMessage) => {
      if (message.type === 'note') return options.onNote?.(message.message);
      finished.set(message.index, message.result);
      notify();
    });
    thread.on('error', (error) => {
      failure ??= error;
      notify();
    });
    thread.on('exit', (code) => {
      // A thread ends by itself once every input is taken and it has sent its results, which arrive before this;
      // this thread lints its own inputs at once when it takes them.
      running--;
      if (code !== 0 || (running === 0 && order.some((index) => !finished.has(index))))
        failure ??= new Error(`a lint thread stopped (exit code ${code}) before it was done`);
      notify();
    });
    return { thread, facts };
  });
  try {
    const run = new LintRun(options);
    for (const { file, text } of options.context ?? []) run.addContext(file, text);
    gatherFacts(run, ordered, options);
    const shared = threads.length > 0 ? run.sharedFacts() : undefined;
    for (const { facts } of threads) facts.postMessage(shared);
    const reader = new InputReader(ordered, options);
    let findings = 0;
    for (let index = 0; index < ordered.length; index++) {
      while (!finished.has(index)) {
        if (failure) throw failure;
        const mine = takeInput(queue);
        if (mine === undefined) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        finished.set(mine, lintSettled(run, reader, mine) ?? null);
        // The other threads' results come in between.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const result = finished.get(index);
      finished.delete(index);
      if (!result) continue;
      findings += result.findings.length;
      await progress.onProgress?.({ done: index + 1, total: ordered.length, findings });
      yield result;
    }
  } finally {
    // A caller that stops early (or a failed thread) leaves nothing running.
    for (const { thread, facts } of threads) {
      facts.close();
      void thread.terminate();
    }
  }
}

/** A lint thread, and the port to send it the gathered facts on. */
function startThread(
  ordered: readonly InputEntry[],
  queue: Pick<WorkerTask, 'order' | 'taken'>,
  options: LintOptions & ReadOptions & ParallelOptions,
): { thread: Worker; facts: MessagePort } {
  const { rules, knownRules, podSecurity, workloadKinds, ruleOptions, severities, suppressions, maxFileSize } = options;
  const { port1: facts, port2: factsPort } = new MessageChannel();
  const task: WorkerTask = {
    ordered,
    ruleIds: rules.map((rule) => rule.meta.id),
    knownRuleIds: knownRules?.map((rule) => rule.meta.id),
    options: { podSecurity, workloadKinds, ruleOptions, severities, suppressions, maxFileSize },
    ...queue,
    facts: factsPort,
  };
  const thread = new Worker(options.threads!.worker, { workerData: task, transferList: [factsPort] });
  return { thread, facts };
}
