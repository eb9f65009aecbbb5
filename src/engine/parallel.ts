import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { STDIN } from '../load/inputs.js';
import type { ReadOptions } from '../load/read.js';
import type { InputEntry, Progress } from './lint-progress.js';
import type { ContextOptions } from './project-context.js';
import type { LintOptions } from './run.js';
import type { FileResult, Rule } from './types.js';

/*
 * Large inputs are linted by several threads, each owning a run of consecutive files. A thread lints its own files
 * and takes every other file as a peer (LintRun.addPeerBytes): the documents cross-file rules read across files give
 * their facts in their place, so each thread's findings on its files are those of a run of one thread. Results come
 * back in input order.
 */

export interface ParallelOptions {
  /** Threads to lint with (1: this thread only). */
  jobs?: number;
  /** Bytes the files must hold together before threads are started: below it, starting them costs more. */
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
 * Two threads cost about 0.2 s to start (measured on two small files, --jobs 2 against --jobs 1, whole processes),
 * and each reads every other file's bytes for peers; a second core saves half a one-thread lint, which at the ~4 MB/s
 * of a quiet 2-core machine outweighs that from a few MB.
 */
export const DEFAULT_PARALLEL_THRESHOLD = 4_000_000;

/** What a worker gets: everything structured-cloneable; rules by id, as functions cannot cross threads. */
export interface WorkerTask {
  ordered: readonly InputEntry[];
  /** The entries this worker owns: [start, end). */
  start: number;
  end: number;
  ruleIds: string[];
  options: Omit<LintOptions, 'rules' | 'onNote'> & ReadOptions & Pick<ContextOptions, 'context'>;
}

export type WorkerMessage =
  { type: 'note'; message: string } | { type: 'progress'; findings: number } | { type: 'done'; results: FileResult[] };

/** Consecutive runs of entries, one per thread, of about equal bytes; undefined when one thread should do it all. */
export function parallelPlan(
  ordered: readonly InputEntry[],
  options: LintOptions & ReadOptions & ParallelOptions,
): [number, number][] | undefined {
  const jobs = Math.min(options.jobs ?? 1, ordered.length);
  if (jobs < 2 || !threadable(options)) return undefined;
  const sizes = ordered.map((entry) => ('file' in entry ? sizeOf(entry.file) : 0));
  if (sizes.some((size) => size === undefined)) return undefined;
  const total = sizes.reduce((sum: number, size) => sum + size!, 0);
  if (total < (options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD)) return undefined;
  // Boundaries where the bytes before them first reach k/jobs of the total, each run keeping at least one entry.
  const before = [0];
  for (const size of sizes) before.push(before.at(-1)! + size!);
  const bounds = [0];
  for (let k = 1; k < jobs; k++) {
    let at = bounds[k - 1]! + 1;
    while (at < ordered.length - (jobs - k) && before[at]! < (total * k) / jobs) at++;
    bounds.push(at);
  }
  bounds.push(ordered.length);
  return bounds.slice(0, -1).map((start, k) => [start, bounds[k + 1]!]);
}

/** stdin cannot be read twice, a baseline is an object of this thread, and a rule a thread cannot name is lost. */
function threadable(options: LintOptions & ReadOptions & ParallelOptions): boolean {
  if (options.stdin !== undefined || options.suppressions?.baseline !== undefined) return false;
  const { threads } = options;
  return threads !== undefined && options.rules.every((rule) => threads.knows(rule));
}

function sizeOf(file: string): number | undefined {
  if (file === STDIN) return undefined;
  try {
    return statSync(file).size;
  } catch {
    return 0; // The owning thread reports it.
  }
}

export async function lintInParallel(
  ordered: readonly InputEntry[],
  chunks: readonly [number, number][],
  options: LintOptions & ReadOptions & ContextOptions & ParallelOptions,
  progress: Progress,
): Promise<FileResult[]> {
  const { rules, threads, onNote, workloadKinds, ruleOptions, severities, suppressions, maxFileSize, context } =
    options;
  const ruleIds = rules.map((rule) => rule.meta.id);
  const shared = { workloadKinds, ruleOptions, severities, suppressions, maxFileSize, context };
  let done = 0;
  let findings = 0;
  const perChunk = await Promise.all(
    chunks.map(
      ([start, end]) =>
        new Promise<FileResult[]>((resolve, reject) => {
          const task: WorkerTask = { ordered, start, end, ruleIds, options: shared };
          const worker = new Worker(threads!.worker, { workerData: task });
          worker.on('message', (message: WorkerMessage) => {
            if (message.type === 'note') onNote?.(message.message);
            else if (message.type === 'progress') {
              findings += message.findings;
              void progress.onProgress?.({ done: ++done, total: ordered.length, findings });
            } else resolve(message.results);
          });
          worker.on('error', reject);
          worker.on('exit', (code) =>
            reject(new Error(`a lint thread stopped (exit code ${code}) before it was done`)),
          );
        }),
    ),
  );
  return perChunk.flat();
}
