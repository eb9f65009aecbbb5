import { InputReader, readInputs } from '../load/read-inputs.js';
import type { ReadOptions } from '../load/read.js';
import type { InputEntry, Progress } from './lint-progress.js';
import type { HeldFile, LintRun } from './run.js';
import type { FileResult } from './types.js';

/*
 * A settled lint (LintRun.gatherFacts, LintRun.settle) reports each file as soon as it is linted and keeps nothing of
 * it: a report can be written as it goes, and threads can take files in any order.
 */

/** Gathers, from every input, the facts of the documents cross-file rules read; only those documents are parsed. */
export function gatherFacts(run: LintRun, ordered: readonly InputEntry[], options: ReadOptions): void {
  const filter = run.factsFilter();
  if (!filter.needsContext) return;
  // A patch gives no facts across files (it is no resource of its own).
  for (const input of readInputs(ordered, options, (_, role) => role === 'manifest'))
    if (!input.error && filter.mayMatter(input.bytes)) run.gatherFacts(input.index, input.name, input.bytes);
}

/** Lints the `index`-th input of a run whose facts are gathered; undefined when it gets no result (isLinted). */
export function lintSettled(run: LintRun, reader: InputReader, index: number): FileResult | undefined {
  const held = lintHeld(run, reader, index);
  return held && run.settle(held);
}

/** Lints the `index`-th input, to be settled once the facts are gathered (LintRun.hold). */
export function lintHeld(run: LintRun, reader: InputReader, index: number): HeldFile | undefined {
  const input = reader.read(index);
  if (!input) return undefined;
  const result = input.error
    ? run.addError(input.name, input.error)
    : run.addBytes(input.name, input.bytes, input.role);
  return run.hold(index, result);
}

/** Every input in this thread, each result yielded as soon as it is final. */
export async function* lintAllSettled(
  run: LintRun,
  ordered: readonly InputEntry[],
  options: ReadOptions,
  progress: Progress,
): AsyncGenerator<FileResult> {
  gatherFacts(run, ordered, options);
  const reader = new InputReader(ordered, options);
  let findings = 0;
  for (let index = 0; index < ordered.length; index++) {
    const result = lintSettled(run, reader, index);
    if (!result) continue;
    findings += result.findings.length;
    await progress.onProgress?.({ done: index + 1, total: ordered.length, findings });
    yield result;
  }
}
