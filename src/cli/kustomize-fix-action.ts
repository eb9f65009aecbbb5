import { describeFsError } from '../load/fs-errors.js';
import type { LintOptions } from '../engine/run.js';
import type { FileResult } from '../engine/types.js';
import { writeFilesAtomic, WriteAllFailed } from '../fix/index.js';
import { fixKustomizations } from '../kustomize/fix.js';
import { KustomizeError } from '../kustomize/lint.js';
import { onlyFilter, warnOtherLinks, type FixMode, type FixOutcome } from './fix-action.js';
import type { CliSession } from './io.js';
import { EXIT_TROUBLE } from './shared.js';

export interface KustomizeFixRun {
  dirs: readonly string[];
  /** `--kustomize-command`. */
  command: string | undefined;
}

/**
 * `--fix --kustomize` and `--diff --kustomize`: fixes placed in the source files and verified by a render, then
 * written all together (or none) or shown as a diff. Undefined (exit 2, said why) when no engine can render.
 */
export async function runKustomizeFixes(
  session: CliSession,
  run: KustomizeFixRun,
  lintOptions: LintOptions,
  mode: FixMode,
): Promise<FixOutcome | undefined> {
  const options = { ...lintOptions, command: run.command, cwd: session.io.cwd, env: session.io.env };
  const only = onlyFilter(mode.only, lintOptions.knownRules ?? lintOptions.rules);
  try {
    const fix = await fixKustomizations(run.dirs, only ? { ...options, only } : options);
    for (const problem of fix.problems) session.say(problem);
    const written = { problems: 0, files: 0 };
    let usedStdout = false;
    if (mode.diff && fix.changes.length > 0) {
      const { createTwoFilesPatch } = await import('diff');
      for (const change of fix.changes) {
        const name = fix.nameOf(change.file);
        session.io.stdout.write(createTwoFilesPatch(name, name, change.before, change.after));
      }
      usedStdout = true;
    }
    if (!mode.write || fix.changes.length === 0) return { results: fix.results, usedStdout, written };
    try {
      const outcomes = await writeFilesAtomic(fix.changes);
      outcomes.forEach(({ otherLinks }, n) => warnOtherLinks(session, fix.nameOf(fix.changes[n]!.file), otherLinks));
    } catch (error) {
      if (!(error instanceof WriteAllFailed)) throw error;
      const why = describeFsError(error.cause);
      const message = `cannot write the fixes to ${fix.nameOf(error.file)}: ${why}; no file was changed`;
      session.say(message);
      session.exitCode = EXIT_TROUBLE;
      const failure: FileResult = { file: fix.nameOf(error.file), findings: [], errors: [], suppressed: [] };
      failure.errors.push({ message, line: 1, column: 1 });
      return { results: [...fix.results, failure], usedStdout, written };
    }
    written.problems = fix.fixed;
    written.files = fix.changes.length;
    return { results: fix.results, usedStdout, written };
  } catch (error) {
    if (!(error instanceof KustomizeError)) throw error;
    session.say(error.message);
    session.exitCode = EXIT_TROUBLE;
    return undefined;
  }
}
