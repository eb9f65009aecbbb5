import { expandInputs, STDIN } from '../load/inputs.js';
import { displayName, readManifest } from '../load/read.js';
import { decodeManifest } from '../load/text.js';
import { toFileError, type LintOptions } from '../engine/run.js';
import type { FileResult, Finding } from '../engine/types.js';
import { fixTexts, type FixInput } from '../fix/run-fix.js';
import { writeFileAtomic } from '../fix/write.js';
import { RULES } from '../engine/registry.js';
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
  /** The bytes of stdin, when an input names `-`. */
  stdin?: Uint8Array;
}

export interface FixOutcome {
  results: FileResult[];
  /** Whether the fixed manifest or a diff went to stdout (the report must then go elsewhere). */
  usedStdout: boolean;
}

function onlyFilter(only: readonly string[]): ((finding: Finding) => boolean) | undefined {
  if (only.length === 0) return undefined;
  const known = new Set(RULES.flatMap((rule) => [rule.meta.id, ...Object.keys(rule.meta.codes)]));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0) throw usageError(`--fix-only ${unknown[0]}: no rule or finding code has this name (rules: ${RULES.map((rule) => rule.meta.id).join(', ')})`);
  return (finding) => only.includes(finding.rule) || only.includes(finding.code);
}

/** Reads the inputs, fixes them and writes or shows the result. Problems go to stderr, one line each. */
export async function runFixes(session: CliSession, inputs: readonly string[], lintOptions: LintOptions, mode: FixMode): Promise<FixOutcome> {
  const { stdout } = session.io;
  const only = onlyFilter(mode.only);
  const { files, missing } = await expandInputs(inputs);
  const unreadable: FileResult[] = missing.map(({ input, message }) => ({ file: input, findings: [], errors: [{ message, line: 1, column: 1 }], suppressed: [] }));
  const texts: FixInput[] = [];
  for (const file of files) {
    const name = displayName(file);
    const read = readManifest(file, mode.stdin);
    if ('error' in read) {
      unreadable.push({ file: name, findings: [], errors: [read.error], suppressed: [] });
      continue;
    }
    try {
      texts.push({ file: name, text: decodeManifest(read.bytes).text });
    } catch (error) {
      unreadable.push({ file: name, findings: [], errors: [toFileError(error)], suppressed: [] });
    }
  }
  const report = fixTexts(texts, unreadable, only ? { ...lintOptions, only } : lintOptions);
  let usedStdout = false;
  const { createTwoFilesPatch } = mode.diff ? await import('diff') : { createTwoFilesPatch: undefined };
  const writeFailures = new Map<string, string>();
  for (const file of report.files) {
    for (const problem of file.problems) session.say(`${file.file}: not fixed: ${problem}`);
    const changed = file.after !== file.before;
    if (createTwoFilesPatch && changed) {
      stdout.write(createTwoFilesPatch(file.file, file.file, file.before, file.after));
      usedStdout = true;
    }
    if (!mode.write) continue;
    const target = mode.outputFile ?? (file.file === displayName(STDIN) ? '-' : file.file);
    if (target === '-') {
      stdout.write(file.after);
      usedStdout = true;
    } else if (changed || target !== file.file) {
      try {
        writeFileAtomic(target, file.after);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const message = `cannot write the fixed manifest to ${target} (${reason}); ${target === file.file ? 'the file is unchanged' : 'nothing was written'}`;
        session.say(`${file.file}: ${message}`);
        writeFailures.set(file.file, message);
      }
    }
  }
  // A file that could not be written is an error of the run (exit 2). Its findings are left out: they were found
  // in the fixed text, which is not what the file holds.
  const results = report.results.map((result) => {
    const failure = writeFailures.get(result.file);
    return failure === undefined ? result : { ...result, findings: [], suppressed: [], errors: [...result.errors, { message: failure, line: 1, column: 1 }] };
  });
  return { results, usedStdout };
}
