import { expandInputs } from '../load/inputs.js';
import type { ReadOptions } from '../load/read.js';
import { readInputs } from '../load/read-inputs.js';
import { contextFilterOf } from './context-filter.js';
import { LintRun, type LintOptions } from './run.js';
import type { FileResult } from './types.js';
import type { ContextOptions } from './project-context.js';
import type { InputEntry, Progress } from './lint-progress.js';
import { parallelPlan, lintInParallel, type ParallelOptions } from './parallel.js';

export { STDIN_NAME } from '../load/read.js';

export type { InputEntry, Progress } from './lint-progress.js';

/**
 * Lints every file the inputs name, one at a time so only one AST is alive; inputs that name nothing become file errors.
 * Kustomization files are not manifests and are passed by; the patches they list are linted as patches.
 * Files of `options.context` are consulted by cross-file rules, never reported on; `options.contextSource` is asked
 * for them once every file is linted, for what those files need. Large inputs are linted by `options.jobs` threads.
 */
export async function lintInputs(
  inputs: readonly string[],
  options: LintOptions & ReadOptions & ContextOptions & ParallelOptions,
  progress: Progress = {},
): Promise<FileResult[]> {
  const { ordered } = await expandInputs(inputs);
  const plan = parallelPlan(ordered, options);
  if (plan) {
    // The threads cannot wait for each other's files to tell what context they need: they get all it may hold.
    const context = options.contextSource
      ? [...(options.context ?? []), ...(await options.contextSource(contextFilterOf(options.rules)))]
      : options.context;
    return lintInParallel(ordered, plan, { ...options, context }, progress);
  }
  const run = new LintRun(options);
  for (const { file, text } of options.context ?? []) run.addContext(file, text);
  await lintEntries(run, ordered, options, () => true, progress);
  const needed = run.contextNeeded();
  if (options.contextSource && needed.needsContext)
    for (const { file, text } of await options.contextSource(needed)) run.addContext(file, text);
  return run.finish();
}

/**
 * Adds the entries to `run` in order: those `owns` accepts are linted, the others are peers (see LintRun.addPeer),
 * linted by another thread of the run.
 */
export async function lintEntries(
  run: LintRun,
  ordered: readonly InputEntry[],
  options: ReadOptions,
  owns: (index: number) => boolean,
  progress: Progress,
): Promise<void> {
  const peers = run.peerFilter();
  // A patch gives no facts across files (it is no resource of its own): a peer that is one is passed by.
  const wanted = (index: number, role: 'manifest' | 'patch') =>
    owns(index) || (role === 'manifest' && peers.needsContext);
  let findings = 0;
  for (const input of readInputs(ordered, options, wanted)) {
    if (!owns(input.index)) {
      if (!input.error && peers.mayMatter(input.bytes)) run.addPeerBytes(input.name, input.bytes);
      continue;
    }
    if (input.error) run.addError(input.name, input.error);
    else findings += run.addBytes(input.name, input.bytes, input.role).findings.length;
    await progress.onProgress?.({ done: input.index + 1, total: ordered.length, findings });
  }
}
