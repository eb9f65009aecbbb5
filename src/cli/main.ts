import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { RULES, findRule } from '../engine/registry.js';
import { SEVERITY_RANK, type FileResult, type Rule, type Severity } from '../engine/types.js';
import { choosePalette } from '../report/colors.js';
import { formatJson } from '../report/json.js';
import { formatStylish } from '../report/stylish.js';
import { lintInputs } from '../engine/lint-inputs.js';

const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_TROUBLE = 2;

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

interface LintCommandOptions {
  format: 'stylish' | 'json';
  outputFile?: string;
  manifest: string[];
  rule: string[];
  minSeverity: Severity;
  maxWarnings?: number;
  quiet?: boolean;
  color?: boolean;
}

const EXAMPLES = `
Examples:
  $ kubemend k8s/                          lint every *.yaml and *.yml below k8s/
  $ kubemend deploy.yaml 'charts/**/*.yml' files and globs, several at once
  $ helm template my-release ./chart | kubemend -
                                           lint rendered Helm output from stdin
  $ kubemend --format json -o report.json k8s/
  $ kubemend --rule privileged --quiet k8s/  only the privileged rule, errors only

Exit status: 0 no errors, 1 error findings (or more warnings than --max-warnings),
2 a file could not be read or parsed, or the command line was wrong.`;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) throw new CommanderError(EXIT_TROUBLE, 'kubemend.invalidArgument', `--max-warnings needs a whole number >= 0, got "${value}"`);
  return count;
}

function selectRules(ids: readonly string[]): Rule[] {
  if (ids.length === 0) return [...RULES];
  return ids.map((id) => {
    const rule = findRule(id);
    if (!rule) throw new CommanderError(EXIT_TROUBLE, 'kubemend.unknownRule', `unknown rule "${id}"; known rules: ${RULES.map((r) => r.meta.id).join(', ')}`);
    return rule;
  });
}

function visible(results: FileResult[], minimum: Severity): FileResult[] {
  return results.map((result) => ({ ...result, findings: result.findings.filter((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[minimum]) }));
}

function exitCodeFor(results: readonly FileResult[], maxWarnings: number | undefined): number {
  if (results.some((result) => result.errors.length > 0)) return EXIT_TROUBLE;
  const findings = results.flatMap((result) => result.findings);
  if (findings.some((finding) => finding.severity === 'error')) return EXIT_FINDINGS;
  if (maxWarnings !== undefined && findings.filter((finding) => finding.severity === 'warning').length > maxWarnings) return EXIT_FINDINGS;
  return EXIT_CLEAN;
}

async function lintAction(paths: string[], options: LintCommandOptions): Promise<void> {
  const inputs = [...paths, ...options.manifest];
  if (inputs.length === 0) {
    throw new CommanderError(EXIT_TROUBLE, 'kubemend.noInput', 'no input: name files, directories or globs to lint, or - to read a manifest from stdin');
  }
  const rules = selectRules(options.rule);
  const results = visible(await lintInputs(inputs, { rules }), options.quiet ? 'error' : options.minSeverity);
  const toFile = options.outputFile !== undefined && options.outputFile !== '-';
  const output =
    options.format === 'json'
      ? formatJson(results)
      : formatStylish(results, choosePalette({ color: options.color, isTTY: !toFile && process.stdout.isTTY === true, env: process.env }));
  if (toFile) writeFileSync(options.outputFile!, output);
  else if (output) process.stdout.write(output);
  const maxWarnings = options.maxWarnings;
  process.exitCode = exitCodeFor(results, maxWarnings !== undefined && maxWarnings >= 0 ? maxWarnings : undefined);
}

export function buildProgram(): Command {
  const program = new Command('kubemend')
    .description('Lint Kubernetes manifests for insecure pod settings (a kubeaudit successor).')
    .version(version, '-V, --version')
    .argument('[paths...]', 'files, directories and globs to lint; - reads stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['stylish', 'json']).default('stylish'))
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option('-f, --manifest <path>', 'a manifest to lint, as in kubeaudit (repeatable)', collect, [])
    .option('--rule <id>', 'run only this rule (repeatable)', collect, [])
    .addOption(new Option('--min-severity <severity>', 'show findings of this severity and above').choices(['error', 'warning', 'info']).default('info'))
    .option('--max-warnings <n>', 'exit 1 when more than n warnings are shown', parseCount)
    .option('--quiet', 'show errors only')
    .option('--no-color', 'never colour the output (also NO_COLOR=1)')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(run kubemend --help for usage)')
    .action(lintAction);
  program.exitOverride();
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        process.exitCode = EXIT_CLEAN;
        return;
      }
      if (error.code.startsWith('kubemend.')) process.stderr.write(`kubemend: ${error.message}\n`);
      process.exitCode = EXIT_TROUBLE;
      return;
    }
    process.stderr.write(`kubemend: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nPlease report this at https://github.com/kubemend/kubemend/issues\n`);
    process.exitCode = EXIT_TROUBLE;
  }
}
