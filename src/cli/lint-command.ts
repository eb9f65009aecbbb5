import { Option, type Command } from 'commander';
import { lintInputs } from '../engine/lint-inputs.js';
import { RULES, findRule } from '../engine/registry.js';
import type { FileResult, Rule, Severity } from '../engine/types.js';
import { choosePalette } from '../report/colors.js';
import { FORMATS, formatResults } from '../report/index.js';
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE, collect, hasFileErrors, keepAtLeast, usageError, writeReport } from './shared.js';

interface LintCommandOptions {
  format: string;
  outputFile?: string;
  manifest: string[];
  rule: string[];
  minSeverity: Severity;
  maxWarnings?: number;
  quiet?: boolean;
  color?: boolean;
  sarifIncludeSuppressed?: boolean;
  sarifCategory?: string;
}

export const LINT_EXAMPLES = `
Examples:
  $ kubemend k8s/                          lint every *.yaml and *.yml below k8s/
  $ kubemend deploy.yaml 'charts/**/*.yml' files and globs, several at once
  $ helm template my-release ./chart | kubemend -
                                           lint rendered Helm output from stdin
  $ kubemend --format json -o report.json k8s/
  $ kubemend --rule privileged --quiet k8s/  only the privileged rule, errors only
  $ kubemend all -f deploy.yaml            kubeaudit's command line works too

Exit status: 0 no errors, 1 error findings (or more warnings than --max-warnings),
2 a file could not be read or parsed, or the command line was wrong.`;

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) throw usageError(`--max-warnings needs a whole number >= 0, got "${value}"`);
  return count;
}

export function selectRules(ids: readonly string[]): Rule[] {
  if (ids.length === 0) return [...RULES];
  return ids.map((id) => {
    const rule = findRule(id);
    if (!rule) throw usageError(`unknown rule "${id}"; known rules: ${RULES.map((r) => r.meta.id).join(', ')}`);
    return rule;
  });
}

function exitCodeFor(results: readonly FileResult[], maxWarnings: number | undefined): number {
  if (hasFileErrors(results)) return EXIT_TROUBLE;
  const findings = results.flatMap((result) => result.findings);
  if (findings.some((finding) => finding.severity === 'error')) return EXIT_FINDINGS;
  if (maxWarnings !== undefined && findings.filter((finding) => finding.severity === 'warning').length > maxWarnings) return EXIT_FINDINGS;
  return EXIT_CLEAN;
}

async function lintAction(paths: string[], options: LintCommandOptions): Promise<void> {
  const inputs = [...paths, ...options.manifest];
  if (inputs.length === 0) throw usageError('no input: name files, directories or globs to lint, or - to read a manifest from stdin');
  const rules = selectRules(options.rule);
  const results = keepAtLeast(await lintInputs(inputs, { rules }), options.quiet ? 'error' : options.minSeverity);
  const toFile = options.outputFile !== undefined && options.outputFile !== '-';
  const palette = choosePalette({ color: options.color, isTTY: !toFile && process.stdout.isTTY === true, env: process.env });
  const output = await formatResults(options.format, results, {
    rules,
    palette,
    sarifIncludeSuppressed: options.sarifIncludeSuppressed,
    sarifCategory: options.sarifCategory,
  });
  writeReport(output, options.outputFile);
  process.exitCode = exitCodeFor(results, options.maxWarnings);
}

/** The default command: `kubemend [paths...]`. */
export function configureLint(program: Command): Command {
  return program
    .argument('[paths...]', 'files, directories and globs to lint; - reads stdin')
    .addOption(new Option('--format <format>', 'output format').choices(Object.keys(FORMATS)).default('stylish'))
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option('-f, --manifest <path>', 'a manifest to lint, as in kubeaudit (repeatable)', collect, [])
    .option('--rule <id>', 'run only this rule (repeatable)', collect, [])
    .addOption(new Option('--min-severity <severity>', 'show findings of this severity and above').choices(['error', 'warning', 'info']).default('info'))
    .option('--max-warnings <n>', 'exit 1 when more than n warnings are shown', parseCount)
    .option('--quiet', 'show errors only')
    .option('--no-color', 'never colour the output (also NO_COLOR=1)')
    .option('--sarif-include-suppressed', 'SARIF: include findings allowed by override labels, as suppressed results')
    .option('--sarif-category <name>', 'SARIF: set automationDetails.id to "<name>/" (one category per analysis)')
    .addHelpText('after', LINT_EXAMPLES)
    .action(lintAction);
}
