import { expandInputs, STDIN, type ExpandedInputs } from '../load/inputs.js';
import { displayName, type ReadOptions } from '../load/read.js';
import { describeFsError } from '../load/fs-errors.js';
import { readInputs } from '../load/read-inputs.js';
import { decodeManifest } from '../load/text.js';
import { toFileError, type LintOptions } from '../engine/run.js';
import type { FileResult, Finding, Rule } from '../engine/types.js';
import type { ContextOptions } from '../engine/project-context.js';
import { fixTexts, writeFileAtomic, type FixInput } from '../fix/index.js';
import { didYouMean } from '../engine/did-you-mean.js';
import type { CliSession } from './io.js';
import { usageError } from './shared.js';

export interface FixMode {
  /** Write fixed files (in place, or to `outputFile`); stdin input is written to stdout. */
  write: boolean;
  /** Print a unified diff of every change instead of (or besides) writing. */
  diff: boolean;
  /** Fix only findings of these rule ids or codes. */
  only: readonly string[];
  /** kubeaudit's `autofix -o`: where the single fixed manifest goes (`-` = stdout). */
  outputFile?: string;
}

export interface FixOutcome {
  results: FileResult[];
  /** Whether the fixed manifest or a diff went to stdout (the report must then go elsewhere). */
  usedStdout: boolean;
  /** What the written files (or stdout) received: findings fixed, and in how many files. */
  written: { problems: number; files: number };
}

/** `--fix-only`: findings of these rules or codes, among every rule there is (any profile's, plugins'). */
export function onlyFilter(
  only: readonly string[],
  rules: readonly Rule[],
): ((finding: Finding) => boolean) | undefined {
  if (only.length === 0) return undefined;
  const known = rules.flatMap((rule) => [rule.meta.id, ...Object.keys(rule.meta.codes)]);
  const unknown = only.find((name) => !known.includes(name));
  if (unknown !== undefined) {
    const ids = rules.map((rule) => rule.meta.id).join(', ');
    throw usageError(
      `--fix-only ${unknown}: no rule or finding code has this name${didYouMean(unknown, known)} (rules: ${ids})`,
    );
  }
  return (finding) => only.includes(finding.rule) || only.includes(finding.code);
}

/** A file written by renaming over it leaves its other hard links with the old content: the user is told. */
export function warnOtherLinks(session: CliSession, file: string, otherLinks: number): void {
  if (otherLinks > 0)
    session.warn(
      `${file} has ${otherLinks} other hard link(s); they keep the old content (the fixed file replaces this name only)`,
    );
}

/** The results in the order the inputs named the files, as a lint reports them. */
function inInputOrder(results: readonly FileResult[], ordered: ExpandedInputs['ordered']): FileResult[] {
  const position = new Map(
    ordered.map((entry, index) => ['file' in entry ? displayName(entry.file) : entry.input, index]),
  );
  return [...results].sort((a, b) => (position.get(a.file) ?? 0) - (position.get(b.file) ?? 0));
}

/** Reads the inputs, fixes them and writes or shows the result. Problems go to stderr, one line each. */
export async function runFixes(
  session: CliSession,
  inputs: readonly string[],
  lintOptions: LintOptions & ReadOptions & ContextOptions,
  mode: FixMode,
): Promise<FixOutcome> {
  const { stdout } = session.io;
  const only = onlyFilter(mode.only, lintOptions.knownRules ?? lintOptions.rules);
  const { ordered } = await expandInputs(inputs);
  const unreadable: FileResult[] = [];
  const texts: FixInput[] = [];
  for (const input of readInputs(ordered, lintOptions)) {
    if (input.error) {
      unreadable.push({ file: input.name, findings: [], errors: [input.error], suppressed: [] });
      continue;
    }
    try {
      texts.push({ file: input.name, text: decodeManifest(input.bytes).text, role: input.role });
    } catch (error) {
      unreadable.push({ file: input.name, findings: [], errors: [toFileError(error)], suppressed: [] });
    }
  }
  const report = fixTexts(texts, unreadable, only ? { ...lintOptions, only } : lintOptions);
  const targetOf = (file: string) => mode.outputFile ?? (file === displayName(STDIN) ? '-' : file);
  // Stdout carries the fixed manifest whenever one goes there, even when there is none to show (the input was broken).
  let usedStdout = mode.write && report.files.some((file) => targetOf(file.file) === '-');
  const written = { problems: 0, files: 0 };
  const { createTwoFilesPatch } = mode.diff ? await import('diff') : { createTwoFilesPatch: undefined };
  const broken = new Set(report.results.filter((result) => result.errors.length > 0).map((result) => result.file));
  const writeFailures = new Map<string, string>();
  for (const file of report.files) {
    for (const problem of file.problems) session.say(`${file.file}: not fixed: ${problem}`);
    const changed = file.after !== file.before;
    if (createTwoFilesPatch && changed) {
      stdout.write(createTwoFilesPatch(file.file, file.file, file.before, file.after));
      usedStdout = true;
    }
    // A file with errors has no fixed version: nothing is written for it, not even a copy.
    if (!mode.write || broken.has(file.file)) continue;
    const target = targetOf(file.file);
    const fixedHere = () => {
      if (!changed) return;
      written.problems += file.fixed.length;
      written.files++;
    };
    if (target === '-') {
      stdout.write(file.after);
      fixedHere();
    } else if (changed || target !== file.file) {
      try {
        const { otherLinks } = await writeFileAtomic(target, file.after);
        warnOtherLinks(session, target, otherLinks);
        fixedHere();
      } catch (error) {
        const message = `cannot write the fixed manifest to ${target}: ${describeFsError(error)}; ${target === file.file ? 'the file is unchanged' : 'nothing was written'}`;
        session.say(`${file.file}: ${message}`);
        writeFailures.set(file.file, message);
      }
    }
  }
  // A file that could not be written is an error of the run (exit 2). Its findings are left out: they were found
  // in the fixed text, which is not what the file holds.
  const results = inInputOrder(report.results, ordered).map((result) => {
    const failure = writeFailures.get(result.file);
    return failure === undefined
      ? result
      : {
          ...result,
          findings: [],
          suppressed: [],
          errors: [...result.errors, { message: failure, line: 1, column: 1 }],
        };
  });
  return { results, usedStdout, written };
}
