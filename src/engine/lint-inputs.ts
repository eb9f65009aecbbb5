import { expandInputs } from '../load/inputs.js';
import type { ReadOptions } from '../load/read.js';
import { readInputs } from '../load/read-inputs.js';
import { contextFilterOf, type ContextFilter } from './context-filter.js';
import { LintRun, type LintOptions } from './run.js';
import type { FileResult } from './types.js';
import type { ContextOptions } from './project-context.js';
import type { InputEntry, Progress } from './lint-progress.js';
import {
  inputBytes,
  lintInParallel,
  threadable,
  DEFAULT_PARALLEL_THRESHOLD,
  type ParallelOptions,
} from './parallel.js';
import { lintAllSettled } from './settled-lint.js';

export { STDIN_NAME } from '../load/read.js';

export type { InputEntry, Progress } from './lint-progress.js';

type InputsOptions = LintOptions & ReadOptions & ContextOptions & ParallelOptions;

/**
 * Lints every file the inputs name, one at a time so only one AST is alive; inputs that name nothing become file errors.
 * Kustomization files are not manifests and are passed by; the patches they list are linted as patches.
 * Files of `options.context` are consulted by cross-file rules, never reported on; `options.contextSource` is asked
 * for them, for what the files need. Large inputs are linted by `options.jobs` threads.
 */
export async function lintInputs(
  inputs: readonly string[],
  options: InputsOptions,
  progress: Progress = {},
): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for await (const result of lintInputsStream(inputs, options, progress)) results.push(result);
  return results;
}

/**
 * `lintInputs`, each file's result yielded, in input order, as soon as it is final, so a caller that writes them out
 * holds one file's findings at a time. Large inputs (from `options.parallelThreshold` bytes) are settled file by file
 * (see settled-lint.ts); small ones, a baseline (which matches across files) and stdin are decided all at once, as
 * a run of one file asks the project context only for what that file needs.
 */
export async function* lintInputsStream(
  inputs: readonly string[],
  options: InputsOptions,
  progress: Progress = {},
): AsyncGenerator<FileResult> {
  const { ordered } = await expandInputs(inputs);
  const sizes = inputBytes(ordered);
  if (!isLarge(sizes, options) || options.suppressions?.baseline !== undefined) {
    yield* await lintHeld(ordered, options, progress);
    return;
  }
  // No file can wait for the others to tell what context they need: the run gets all it may hold.
  const context = options.contextSource
    ? [...(options.context ?? []), ...(await options.contextSource(contextFilterOf(options.rules)))]
    : options.context;
  const settled = { ...options, context };
  if (Math.min(options.jobs ?? 1, ordered.length) > 1 && threadable(options)) {
    yield* lintInParallel(ordered, sizes!, settled, progress);
    return;
  }
  const run = new LintRun(settled);
  for (const { file, text } of context ?? []) run.addContext(file, text);
  yield* lintAllSettled(run, ordered, settled, progress);
}

function isLarge(sizes: readonly number[] | undefined, options: ParallelOptions): boolean {
  const total = sizes?.reduce((sum, size) => sum + size, 0);
  return total !== undefined && total >= (options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD);
}

/**
 * What the project context must hold for the inputs, as their lint would ask for it: small inputs are linted to let
 * their own facts name it; of large ones, whose lint reads the context before its first file, every object
 * cross-file rules may read. For --fix, which needs the context from its first pass.
 */
export async function contextNeededBy(inputs: readonly string[], options: InputsOptions): Promise<ContextFilter> {
  const everything = contextFilterOf(options.rules);
  if (!everything.needsContext) return everything;
  const { ordered } = await expandInputs(inputs);
  if (isLarge(inputBytes(ordered), options)) return everything;
  const run = new LintRun(options);
  await addInputs(run, ordered, options, {});
  return run.contextNeeded();
}

/** Every file linted, then the cross-file rules and the suppressions decided over all of them at once. */
async function lintHeld(
  ordered: readonly InputEntry[],
  options: InputsOptions,
  progress: Progress,
): Promise<FileResult[]> {
  const run = new LintRun(options);
  for (const { file, text } of options.context ?? []) run.addContext(file, text);
  await addInputs(run, ordered, options, progress);
  const needed = run.contextNeeded();
  if (options.contextSource && needed.needsContext)
    for (const { file, text } of await options.contextSource(needed)) run.addContext(file, text);
  return run.finish();
}

/** Every input linted into `run`, in order, one in memory at a time. */
async function addInputs(
  run: LintRun,
  ordered: readonly InputEntry[],
  options: ReadOptions,
  progress: Progress,
): Promise<void> {
  let findings = 0;
  for (const input of readInputs(ordered, options)) {
    if (input.error) run.addError(input.name, input.error);
    else findings += run.addBytes(input.name, input.bytes, input.role).findings.length;
    await progress.onProgress?.({ done: input.index + 1, total: ordered.length, findings });
  }
}
