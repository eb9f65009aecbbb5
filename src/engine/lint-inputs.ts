import { expandInputs, STDIN, type ExpandedInputs } from '../load/inputs.js';
import { isKustomizationFile, KustomizePatches } from '../load/kustomization.js';
import { displayName, readManifest, type ReadOptions } from '../load/read.js';
import { contextFilterOf } from './context-filter.js';
import { RULES } from './registry.js';
import { LintRun, type LintOptions } from './run.js';
import type { FileResult } from './types.js';
import type { ContextOptions } from './project-context.js';
import { parallelPlan, lintInParallel, type ParallelOptions } from './parallel.js';

export { STDIN_NAME } from '../load/read.js';

export interface Progress {
  /** Called after each file (the CLI's progress line); awaited, so it may load what it needs to draw. */
  onProgress?: (progress: { done: number; total: number; findings: number }) => void | Promise<void>;
}

export type InputEntry = ExpandedInputs['ordered'][number];

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
      ? [...(options.context ?? []), ...(await options.contextSource(contextFilterOf(options.rules ?? RULES)))]
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
  const patches = new KustomizePatches();
  const peers = run.peerFilter();
  let findings = 0;
  for (const [index, entry] of ordered.entries()) {
    const own = owns(index);
    if (!('file' in entry)) {
      if (own) run.addError(entry.input, { message: entry.message, line: 1, column: 1 });
      continue;
    }
    const { file } = entry;
    if (isKustomizationFile(file)) continue;
    const role = file !== STDIN && patches.isPatch(file) ? 'patch' : 'manifest';
    // A patch gives no facts across files (it is no resource of its own): a peer that is one is passed by.
    if (!own && (role === 'patch' || !peers.needsContext)) continue;
    const read = readManifest(file, options);
    if (!own) {
      if (!('error' in read) && peers.mayMatter(read.bytes)) run.addPeerBytes(displayName(file), read.bytes);
      continue;
    }
    if ('error' in read) run.addError(displayName(file), read.error);
    else findings += run.addBytes(displayName(file), read.bytes, role).findings.length;
    await progress.onProgress?.({ done: index + 1, total: ordered.length, findings });
  }
}
