import { lintInputs as lintInputsWith, lintInputsStream as lintInputsStreamWith } from './engine/lint-inputs.js';
import { lintBytes as lintBytesWith, lintText as lintTextWith, type LintOptions } from './engine/run.js';
import type { FileResult, Rule } from './engine/types.js';
import { fixTexts as fixTextsWith, type FixInput, type FixOptions, type FixReport } from './fix/index.js';
import { LINT_THREADS } from './presets/lint-threads.js';
import { selectProfile, type ProfileChoice } from './presets/profiles.js';
import { ALL_RULES } from './presets/registry.js';
import { choosePalette } from './report/colors.js';
import { formatResults, type ReportContext } from './report/index.js';

/*
 * The library's lint and fix functions: the engine's, with the CLI's defaults. Without `rules`, they run the
 * profile's rules (the default profile, kubeaudit, when none is chosen), as `kubemend` does without a config.
 */

/** LintOptions with the rules optional: `profile` and `pssVersion` choose them, as `--profile` does. */
export type LibraryOptions<O extends LintOptions = LintOptions> = Omit<O, 'rules'> &
  ProfileChoice & { rules?: readonly Rule[] };

function withRules<O extends LintOptions>(options: LibraryOptions<O>): O {
  const { profile, pssVersion, rules, ...rest } = options;
  const selected = selectProfile(rules ?? ALL_RULES, { profile, pssVersion });
  return {
    knownRules: ALL_RULES,
    ...rest,
    rules: rules ?? selected.rules,
    podSecurity: options.podSecurity ?? selected.podSecurity,
  } as unknown as O;
}

export function lintText(file: string, text: string, options: LibraryOptions = {}): FileResult {
  return lintTextWith(file, text, withRules(options));
}

export function lintBytes(file: string, bytes: Uint8Array, options: LibraryOptions = {}): FileResult {
  return lintBytesWith(file, bytes, withRules(options));
}

export function lintInputs(
  inputs: readonly string[],
  options: LibraryOptions<Parameters<typeof lintInputsWith>[1]> = {},
  progress?: Parameters<typeof lintInputsWith>[2],
): Promise<FileResult[]> {
  // `jobs` above 1 runs threads, which name the built-in rules by id.
  return lintInputsWith(inputs, { threads: LINT_THREADS, ...withRules(options) }, progress);
}

/**
 * `lintInputs`, each file's result yielded in input order as soon as it is final: a caller that writes each out and
 * lets it go holds one file's findings at a time, whatever the size of the inputs.
 */
export function lintInputsStream(
  inputs: readonly string[],
  options: LibraryOptions<Parameters<typeof lintInputsWith>[1]> = {},
  progress?: Parameters<typeof lintInputsWith>[2],
): AsyncGenerator<FileResult> {
  return lintInputsStreamWith(inputs, { threads: LINT_THREADS, ...withRules(options) }, progress);
}

export function fixTexts(
  inputs: readonly FixInput[],
  unreadable: readonly FileResult[] = [],
  options: LibraryOptions<FixOptions> = {},
): FixReport {
  return fixTextsWith(inputs, unreadable, withRules(options));
}

/** The results in an output format of `--format` (stylish, json, sarif, …); without colour unless `color` is true. */
export function formatReport(
  format: string,
  results: readonly FileResult[],
  options: Partial<Omit<ReportContext, 'palette'>> & { color?: boolean } = {},
): Promise<string> {
  const { color, ...context } = options;
  const palette = choosePalette({
    color: color === true,
    isTTY: false,
    env: color === true ? { FORCE_COLOR: '1' } : {},
  });
  return formatResults(format, results, { rules: ALL_RULES, ...context, palette });
}
