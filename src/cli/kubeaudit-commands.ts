import { type Command, CommanderError, Option } from 'commander';
import { lintInputs } from '../engine/lint-inputs.js';
import { RULES } from '../presets/registry.js';
import type { LintOptions } from '../engine/run.js';
import type { FileResult, Rule, Severity } from '../engine/types.js';
import { choosePalette } from '../report/colors.js';
import { formatResults } from '../report/index.js';
import { runFixes } from './fix-action.js';
import { readSources } from './report-sources.js';
import { EXIT_TROUBLE, collect, hasFileErrors, keepAtLeast, usageError, writeReport } from './shared.js';
import { readConfig } from './config-loading.js';
import type { CliSession } from './io.js';
import { maxFileSizeOption } from './byte-size.js';
import type { ReadOptions } from '../load/read.js';

/*
 * kubeaudit's command line, so a pipeline can swap the binary and keep its scripts: `all`, `autofix`, one command
 * per auditor (with kubeaudit's aliases and flags), `-f`, `-m`, `-p`, `-e`. Unlike kubeaudit, `-f` may repeat
 * and name directories, and every finding carries its file, line and column.
 */

/** kubeaudit's exit status for a file it cannot read or parse, and for bad flags (its log.Fatal). */
const KUBEAUDIT_FAILURE = 1;

function failure(message: string) {
  return usageError(message, KUBEAUDIT_FAILURE);
}

interface KubeauditOptions {
  manifest: string[];
  minseverity: string;
  format: string;
  exitcode: string;
  color?: boolean;
  kconfig?: string;
  outfile?: string;
  kubeconfig?: string;
  context?: string;
  maxFileSize?: number;
  /** The auditors' flags (meta.kubeaudit.flags), by commander's attribute name. */
  [flag: string]: unknown;
}

/** kubeaudit's auditors, each a command with its aliases and flags (`meta.kubeaudit`). */
const AUDITORS: readonly Rule[] = RULES.filter((rule) => rule.meta.kubeaudit !== undefined);

/** A flag of an auditor, with the name commander gives its value and the option it sets. */
function flagsOf(rule: Rule) {
  return (rule.meta.kubeaudit?.flags ?? []).map((flag) => ({
    ...flag,
    attribute: new Option(flag.flags).attributeName(),
    isList: rule.meta.options?.[flag.option]?.schema.type === 'array',
  }));
}

const FORMAT_NAMES: Record<string, string> = {
  pretty: 'kubeaudit-pretty',
  json: 'kubeaudit-json',
  logrus: 'kubeaudit-logrus',
  sarif: 'sarif',
};

function minimumSeverity(value: string): Severity {
  const normalised = value.toLowerCase();
  if (normalised === 'error') return 'error';
  if (normalised === 'warning' || normalised === 'warn') return 'warning';
  if (normalised === 'info') return 'info';
  throw failure(`-m/--minseverity must be error, warning or info, got "${value}"`);
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
}

/** Flags set on the command line win over the config file, as in kubeaudit. */
function flagOptions(options: KubeauditOptions): Record<string, Record<string, unknown>> {
  const values = options as Record<string, string | undefined>;
  return Object.fromEntries(
    AUDITORS.map((rule) => [
      rule.meta.id,
      Object.fromEntries(
        flagsOf(rule)
          .filter((flag) => values[flag.attribute] !== undefined)
          .map((flag) => [flag.option, flag.isList ? list(values[flag.attribute]) : values[flag.attribute]]),
      ),
    ]),
  );
}

function mergeRuleOptions(
  base: LintOptions['ruleOptions'],
  flags: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const merged: Record<string, Record<string, unknown>> = { ...(base ?? {}) };
  for (const [id, values] of Object.entries(flags))
    if (Object.keys(values).length > 0) merged[id] = { ...(merged[id] ?? {}), ...values };
  return merged;
}

interface KubeauditRun {
  inputs: string[];
  lintOptions: LintOptions & ReadOptions;
  rules: Rule[];
}

async function resolveRun(
  session: CliSession,
  options: KubeauditOptions,
  only: string | undefined,
): Promise<KubeauditRun> {
  // As in kubeaudit, -f wins: the cluster flags are ignored when manifests are given.
  if (options.manifest.length === 0 && (options.kubeconfig !== undefined || options.context !== undefined)) {
    throw failure(
      'kubemend audits manifests, not clusters: pass the manifests with -f (e.g. kubectl get deploy -o yaml | kubemend all -f -)',
    );
  }
  if (options.manifest.length === 0)
    throw failure('no manifest: pass one with -f FILE (repeatable; a directory or - for stdin)');
  const config = await readConfig(session, { kconfig: options.kconfig });
  if (!config) throw new CommanderError(KUBEAUDIT_FAILURE, 'kubemend.reported', '');
  // Always kubeaudit's auditors: a plugin's rules (config.rules has them) are kubemend's, not kubeaudit's.
  const rules = AUDITORS.filter((rule) => (only !== undefined ? rule.meta.id === only : config.rules.includes(rule)));
  const ruleOptions = mergeRuleOptions(config.lintOptions.ruleOptions, flagOptions(options));
  const stdin = await session.stdinFor(options.manifest, options.maxFileSize);
  const lintOptions = { ...config.lintOptions, rules, ruleOptions, maxFileSize: options.maxFileSize, stdin };
  return { inputs: options.manifest, lintOptions, rules };
}

async function report(
  session: CliSession,
  results: FileResult[],
  rules: readonly Rule[],
  options: KubeauditOptions,
  stream = session.io.stdout,
): Promise<void> {
  const format = FORMAT_NAMES[options.format.toLowerCase()];
  if (!format) throw failure(`-p/--format must be pretty, json, logrus or sarif, got "${options.format}"`);
  const shown = keepAtLeast(results, minimumSeverity(options.minseverity));
  const palette = choosePalette({ color: options.color, isTTY: stream.isTTY === true, env: session.io.env });
  const warn = (message: string) => session.warn(message);
  const sources = readSources(session.io.cwd);
  writeReport(await formatResults(format, shown, { rules, palette, warn, sources }), undefined, stream);
}

function exitCode(results: readonly FileResult[], options: KubeauditOptions): number {
  if (hasFileErrors(results)) return KUBEAUDIT_FAILURE;
  const code = Number(options.exitcode);
  if (!Number.isInteger(code) || code < 0 || code > 255)
    throw failure(`-e/--exitcode needs a number from 0 to 255, got "${options.exitcode}"`);
  return results.some((result) => result.findings.some((finding) => finding.severity === 'error')) ? code : 0;
}

function withGlobalFlags(command: Command): Command {
  return command
    .option('-f, --manifest <path>', 'a manifest, a directory, or - for stdin (repeatable)', collect, [])
    .option('-m, --minseverity <severity>', 'show findings of this severity and above: error, warning, info', 'info')
    .option('-p, --format <format>', 'pretty, json, logrus or sarif', 'pretty')
    .option('-e, --exitcode <code>', 'exit status when a finding of severity error is found', '2')
    .option('--no-color', 'no colours in pretty output')
    .addOption(maxFileSizeOption(KUBEAUDIT_FAILURE))
    .option('-n, --namespace <namespace>', 'ignored for manifests, as in kubeaudit')
    .addOption(new Option('--kubeconfig <file>', 'cluster mode (not supported by kubemend)').hideHelp())
    .addOption(new Option('-c, --context <name>', 'cluster mode (not supported by kubemend)').hideHelp())
    .addOption(new Option('-g, --includegenerated', 'cluster mode (not supported by kubemend)').hideHelp());
}

function auditAction(session: CliSession, only: string | undefined) {
  return async (options: KubeauditOptions) => {
    const { inputs, lintOptions, rules } = await resolveRun(session, options, only);
    const results = await lintInputs(inputs, lintOptions);
    await report(session, results, rules, options);
    session.exitCode = exitCode(results, options);
  };
}

/**
 * kubeaudit's `autofix`: fix in place, or into `-o` (`-` = stdout); silent, exit 0 whatever remains. A file that
 * cannot be read or parsed is reported as `all` reports it (on stderr, as stdout may carry the manifest), nothing
 * is written for it, and the exit status is 2, as for any input kubemend cannot read.
 */
async function autofixAction(session: CliSession, options: KubeauditOptions): Promise<void> {
  const { inputs, lintOptions, rules } = await resolveRun(session, options, undefined);
  if (options.outfile !== undefined && inputs.length > 1)
    throw failure('-o/--outfile takes one manifest; with several -f, fix them in place');
  const mode = { write: true, diff: false, only: [], outputFile: options.outfile };
  const { results } = await runFixes(session, inputs, lintOptions, mode);
  const failed = results.filter((result) => result.errors.length > 0).map((result) => ({ ...result, findings: [] }));
  if (failed.length > 0) await report(session, failed, rules, options, session.io.stderr);
  session.exitCode = failed.length > 0 ? EXIT_TROUBLE : 0;
}

/**
 * Adds kubeaudit's commands with their options added only when one of them runs or help is printed: a lint never
 * needs them, and making their ~180 commander options was most of building the program at every start (1.3 ms of
 * CPU on a quiet machine, ~300 KB allocated). Commander runs a `preSubcommand` hook before a command parses its
 * arguments, and help text added at `beforeAll` before any help is laid out (the command list shows `[options]` for a
 * command that has some).
 */
export function addKubeauditCommands(program: Command, session: CliSession): void {
  const pending = new Map<Command, () => void>();
  const addOptionsLater = (command: Command, addOptions: () => void) => pending.set(command, addOptions);
  const addPendingOptions = (commands: Iterable<Command>) => {
    for (const command of [...commands]) {
      const addOptions = pending.get(command);
      pending.delete(command);
      addOptions?.();
    }
  };
  program.hook('preSubcommand', (_, command) => addPendingOptions([command]));
  program.addHelpText('beforeAll', () => {
    addPendingOptions(pending.keys());
    return '';
  });

  const all = program.command('all').description('Run every enabled auditor (kubeaudit compatible)');
  all.action(auditAction(session, undefined));
  addOptionsLater(all, () => {
    withGlobalFlags(all).option(
      '-k, --kconfig <file>',
      'kubeaudit config file (enabledAuditors, auditors.<name>.<option>)',
    );
    for (const rule of AUDITORS)
      for (const flag of flagsOf(rule).filter((candidate) => candidate.all))
        all.option(flag.flags, `${flag.option} option of the ${rule.meta.id} auditor`);
  });
  const autofix = program.command('autofix').description('Fix the manifest in place or into -o (kubeaudit compatible)');
  autofix.action((options: KubeauditOptions) => autofixAction(session, options));
  addOptionsLater(autofix, () =>
    withGlobalFlags(autofix)
      .option('-k, --kconfig <file>', 'kubeaudit config file')
      .option('-o, --outfile <file>', 'write the fixed manifest here (- for stdout) instead of in place'),
  );
  for (const rule of AUDITORS) {
    const command = program.command(rule.meta.id).description(`${rule.meta.description} (kubeaudit compatible)`);
    for (const alias of rule.meta.kubeaudit?.aliases ?? []) command.alias(alias);
    command.action(auditAction(session, rule.meta.id));
    addOptionsLater(command, () => {
      withGlobalFlags(command);
      for (const flag of flagsOf(rule)) command.option(flag.flags, flag.description);
    });
  }
}
