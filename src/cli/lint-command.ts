import path from 'node:path';
import { Option, type Command } from 'commander';
import type { ResolvedConfig } from '../config/resolve.js';
import { dropIgnored } from '../load/ignore.js';
import { BASELINE_FILE_NAME } from '../engine/suppress/baseline.js';
import { BaselineRun, type BaselineFlags } from './baseline-file.js';
import { readConfig } from './config-loading.js';
import type { CliSession } from './io.js';
import { contextNeededBy, lintInputs } from '../engine/lint-inputs.js';
import type { ContextFilter } from '../engine/context-filter.js';
import { readProjectContext } from '../engine/project-context.js';
import { cacheFolder } from '../engine/cache-file.js';
import { defaultJobs, jobsOption, jobsThresholdOption } from './jobs-option.js';
import { LINT_THREADS } from '../presets/lint-threads.js';
import type { LintOptions } from '../engine/run.js';
import { KustomizeError, lintKustomizations } from '../kustomize/lint.js';
import { nameHelmTemplates } from '../helm/stdin.js';
import { fixHelmResults, helmCharts, helmResults, type HelmFixOutcome } from './helm-action.js';
import { PROFILES, applyProfile, whyNotRun, type Profile } from '../presets/profiles.js';
import { describePssVersions, parsePssVersion } from '../rule-api/pss-versions.js';
import type { FileResult, Rule, Severity } from '../engine/types.js';
import { choosePalette } from '../report/colors.js';
import { FORMATS, formatResults, reportWriter, type ReportContext } from '../report/index.js';
import { plural } from '../report/words.js';
import { runFixes } from './fix-action.js';
import { runKustomizeFixes } from './kustomize-fix-action.js';
import { readSources } from './report-sources.js';
import { maxFileSizeOption } from './byte-size.js';
import { choiceParser, rejectUnknownCommand } from './typos.js';
import { ProgressLine } from './progress.js';
import { ExitCounts } from './exit-counts.js';
import { ReportSink } from './report-sink.js';
import { lintAndReport } from './streamed-report.js';
import type { ReadOptions } from '../load/read.js';
import { didYouMean } from '../engine/did-you-mean.js';
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE, collect, keepAtLeast, usageError, writeReport } from './shared.js';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

interface LintCommandOptions extends BaselineFlags {
  format: string;
  outputFile?: string;
  manifest: string[];
  rule: string[];
  minSeverity: Severity;
  maxWarnings?: number;
  quiet?: boolean;
  color?: boolean;
  progress?: boolean;
  sarifIncludeSuppressed?: boolean;
  sarifCategory?: string;
  fix?: boolean;
  fixDryRun?: boolean;
  diff?: boolean;
  fixOnly: string[];
  config?: string;
  kconfig?: string;
  profile?: Profile;
  pssVersion?: string;
  maxFileSize?: number;
  /** false with --no-inline-config. */
  inlineConfig: boolean;
  projectContext: boolean;
  cache: boolean;
  jobs?: number;
  jobsThreshold?: number;
  kustomize: string[];
  kustomizeCommand?: string;
  helm: string[];
  values: string[];
  set: string[];
  helmCommand?: string;
}

export const LINT_EXAMPLES = `
Examples:
  $ kubemend k8s/                          lint every *.yaml and *.yml below k8s/
  $ kubemend deploy.yaml 'charts/**/*.yml' files and globs, several at once
  $ helm template my-release ./chart | kubemend -
                                           lint rendered Helm output from stdin
  $ kubemend --format json -o report.json k8s/
  $ kubemend --rule privileged --quiet k8s/  only the privileged rule, errors only
  $ kubemend -k kubeaudit-config.yaml k8s/ use a kubeaudit config file
  $ kubemend --profile pss-restricted --pss-version v1.30 k8s/
                                           what Pod Security Admission (restricted, v1.30) rejects
  $ kubemend --write-baseline k8s/         accept today's findings (.kubemend-baseline.json)
  $ kubemend --baseline k8s/               then report only new ones
  $ kubemend all -f deploy.yaml            kubeaudit's command line works too
  $ kubemend explain PrivilegedTrue        what a finding means and how to fix it
  $ kubemend init                          write a commented .kubemend.yaml with every default

Exit status: 0 no errors, 1 error findings (or more warnings than --max-warnings),
2 a file could not be read or parsed, a config file is wrong, or the command line was wrong.

Configuration: the nearest .kubemend.yaml (or .kubemend.yml) from the working directory
up to the repository root is read, unless -c names one.`;

function parsePssVersionOption(value: string): string {
  if (parsePssVersion(value) === undefined)
    throw usageError(`--pss-version needs ${describePssVersions()}, got "${value}"`);
  return value;
}

/** ESLint's convention: -1 means no limit. */
const NO_WARNING_LIMIT = -1;

function parseMaxWarnings(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < NO_WARNING_LIMIT)
    throw usageError(`--max-warnings needs a whole number >= 0, or -1 for no limit; got "${value}"`);
  return count;
}

function selectRules(ids: readonly string[], rules: readonly Rule[]): Rule[] {
  return ids.map((id) => {
    const rule = rules.find((candidate) => candidate.meta.id === id);
    const known = rules.map((r) => r.meta.id);
    if (!rule) throw usageError(`unknown rule "${id}"${didYouMean(id, known)} (known rules: ${known.join(', ')})`);
    return rule;
  });
}

/** `--rule` narrows the rules the config leaves on; a rule the config turns off stays off, with a warning. */
function chooseRules(session: CliSession, config: ResolvedConfig, ids: readonly string[]): Rule[] {
  if (ids.length === 0) return config.rules;
  const requested = selectRules(ids, config.allRules);
  for (const rule of requested)
    if (!config.rules.includes(rule))
      session.warn(`--rule ${rule.meta.id}: ${whyNotRun(config, rule)}, so it does not run`);
  return requested.filter((rule) => config.rules.includes(rule));
}

/** A lint, with a progress line on a terminal when it lasts (see ProgressLine); the line is gone before the report. */
async function lintWithProgress(
  session: CliSession,
  inputs: string[],
  lintOptions: LintOptions & ReadOptions,
  showProgress: boolean,
) {
  const progress = ProgressLine.for(session.io, showProgress);
  try {
    return await lintInputs(inputs, lintOptions, { onProgress: progress && ((state) => progress.update(state)) });
  } finally {
    progress?.finish();
  }
}

/** The config's suppressions with the command line's: --no-inline-config, and the baseline. */
function suppressionsFor(
  configured: LintOptions['suppressions'],
  options: LintCommandOptions,
  baseline: BaselineRun | undefined,
): LintOptions['suppressions'] {
  return {
    ...configured,
    ...(options.inlineConfig ? {} : { policy: { ...configured?.policy, inline: false } }),
    ...(baseline ? { baseline: baseline.baseline } : {}),
  };
}

/** A --fix run lints several times; each note is said once. */
function onceEach(say: (note: string) => void): (note: string) => void {
  const said = new Set<string>();
  return (note) => {
    if (said.has(note)) return;
    said.add(note);
    say(note);
  };
}

/** More warnings than `--max-warnings` allows fail the run, and the user is told so (as ESLint does). */
function tooManyWarnings(session: CliSession, { warnings }: ExitCounts, maxWarnings: number | undefined): boolean {
  if (maxWarnings === undefined || maxWarnings === NO_WARNING_LIMIT) return false;
  if (warnings <= maxWarnings) return false;
  session.say(`found too many warnings: ${warnings}, more than --max-warnings ${maxWarnings} allows`);
  return true;
}

function exitCodeFor(session: CliSession, counts: ExitCounts, maxWarnings: number | undefined): number {
  if (counts.fileErrors > 0) return EXIT_TROUBLE;
  if (counts.errors > 0) return EXIT_FINDINGS;
  return tooManyWarnings(session, counts, maxWarnings) ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** The report's palette and context: the same whether it is written at once or file by file. */
function reportSetup(
  session: CliSession,
  options: LintCommandOptions,
  rules: readonly Rule[],
  stream: CliSession['io']['stdout'],
): { toTerminal: boolean; context: ReportContext } {
  const toFile = options.outputFile !== undefined && options.outputFile !== '-';
  const toTerminal = !toFile && stream.isTTY === true;
  const palette = choosePalette({ color: options.color, isTTY: toTerminal, env: session.io.env });
  const context: ReportContext = {
    rules,
    palette,
    sarifIncludeSuppressed: options.sarifIncludeSuppressed,
    sarifCategory: options.sarifCategory,
    sources: readSources(session.io.cwd),
    warn: (message) => session.warn(message),
  };
  return { toTerminal, context };
}

/**
 * A plain lint writes its report file by file as results come, so that it holds one file's findings at a time;
 * not when a baseline must match every finding first, renders add files after the named ones, the format needs
 * every result at once, or a person reads the report on a terminal (where the progress line is drawn).
 */
async function streamedLint(
  session: CliSession,
  inputs: string[],
  lintOptions: LintOptions & ReadOptions,
  options: LintCommandOptions,
  rules: readonly Rule[],
): Promise<ExitCounts | undefined> {
  const { toTerminal, context } = reportSetup(session, options, rules, session.io.stdout);
  const writer = toTerminal ? undefined : await reportWriter(options.format, context);
  if (!writer) return undefined;
  const sink = ReportSink.open(options.outputFile, session.io.stdout);
  const minSeverity = options.quiet ? 'error' : options.minSeverity;
  return lintAndReport(session, inputs, lintOptions, {
    writer,
    sink,
    minSeverity,
    showProgress: options.progress !== false,
  });
}

async function lintAction(
  session: CliSession,
  paths: string[],
  options: LintCommandOptions,
  program: Command,
): Promise<void> {
  const named = [...paths, ...options.manifest];
  rejectUnknownCommand(program, paths);
  const fixing = options.fix || options.fixDryRun || options.diff;
  const config = await readConfig(session, options);
  if (!config) {
    session.exitCode = EXIT_TROUBLE;
    return;
  }
  if (options.writeBaseline && fixing)
    throw usageError('--write-baseline records the findings as they are: run --fix first, then --write-baseline');
  const kustomize = [...options.kustomize, ...config.kustomize];
  const charts = helmCharts(options, config);
  if (named.length === 0 && kustomize.length === 0 && charts.length === 0)
    throw usageError('no input: name files, directories or globs to lint, or - to read a manifest from stdin');
  const profiled = applyProfile(config, { profile: options.profile, pssVersion: options.pssVersion });
  const rules = chooseRules(session, profiled, options.rule);
  const baseline = await BaselineRun.open(session, config, options);
  const { inputs, skippedNamed } = await dropIgnored(named, config);
  for (const file of skippedNamed)
    session.warn(
      `${file} is not linted: it matches an ignore pattern of ${path.relative(session.io.cwd, config.files.at(-1)!)}`,
    );
  const stdin = await session.stdinFor(inputs, options.maxFileSize);
  const readOptions = { maxFileSize: options.maxFileSize, stdin };
  const readContext = (filter: ContextFilter | (() => Promise<ContextFilter>)) =>
    readProjectContext(inputs, config, {
      cwd: session.io.cwd,
      filter,
      cacheFolder: options.cache && config.cache !== false ? cacheFolder(session.io.env) : undefined,
      ...readOptions,
    });
  const withoutContext = {
    ...profiled.lintOptions,
    rules,
    suppressions: suppressionsFor(profiled.lintOptions.suppressions, options, baseline),
    onNote: onceEach((note: string) => session.say(note)),
    ...readOptions,
    contextSource: options.projectContext && !fixing ? readContext : undefined,
    jobs: options.jobs ?? defaultJobs(),
    parallelThreshold: options.jobsThreshold,
    threads: LINT_THREADS,
  };
  // A lint reads context once its files have told what they need; a fix needs it from its first pass, and learns
  // what its files need by linting them first (its notes are the fix's own, said once).
  const context =
    options.projectContext && fixing ? await readContext(() => contextNeededBy(inputs, withoutContext)) : [];
  const lintOptions = { ...withoutContext, context };
  const fixed = fixing
    ? await runFixes(session, inputs, lintOptions, {
        write: options.fix === true,
        diff: !options.fix,
        only: options.fixOnly,
      })
    : undefined;
  // Kustomize sources are fixed after the named files, so each fix sees the files as the other left them.
  const sourcesFixed =
    fixing && kustomize.length > 0
      ? await runKustomizeFixes(session, { dirs: kustomize, command: options.kustomizeCommand }, lintOptions, {
          write: options.fix === true,
          diff: !options.fix,
          only: options.fixOnly,
        })
      : undefined;
  if (fixing && kustomize.length > 0 && !sourcesFixed) return;
  const written = [fixed, sourcesFixed].reduce(
    (sum, outcome) => ({
      problems: sum.problems + (outcome?.written.problems ?? 0),
      files: sum.files + (outcome?.written.files ?? 0),
    }),
    { problems: 0, files: 0 },
  );
  if (options.fix && written.problems > 0)
    session.say(`fixed ${plural(written.problems, 'problem')} in ${plural(written.files, 'file')}`);
  const plain = !fixing && !baseline && kustomize.length === 0 && charts.length === 0;
  const streamed = plain ? await streamedLint(session, inputs, lintOptions, options, rules) : undefined;
  if (streamed) {
    session.exitCode = exitCodeFor(session, streamed, options.maxWarnings);
    return;
  }
  // What a fix run leaves behind could not be fixed (the reasons were printed), so it no longer counts as fixable.
  const linted = fixed
    ? [...fixed.results, ...(sourcesFixed?.results ?? [])].map((result) => ({
        ...result,
        findings: result.findings.map((finding) => ({ ...finding, fixable: false })),
      }))
    : await lintWithProgress(session, inputs, lintOptions, options.progress !== false);
  nameHelmTemplates(linted, stdin);
  if (kustomize.length > 0 && !fixing) {
    const rendered = await renderedResults(session, kustomize, options.kustomizeCommand, lintOptions);
    if (!rendered) return;
    linted.push(...rendered);
  }
  let helmFixed: HelmFixOutcome | undefined;
  if (charts.length > 0) {
    helmFixed = fixing
      ? await fixHelmResults(session, charts, options.helmCommand, lintOptions, {
          write: options.fix === true,
          only: options.fixOnly,
        })
      : undefined;
    const rendered = fixing ? helmFixed?.results : await helmResults(session, charts, options.helmCommand, lintOptions);
    if (!rendered) return;
    linted.push(...rendered);
  }
  const baselineSummary = await baseline?.finish(session);
  const results = keepAtLeast(linted, options.quiet ? 'error' : options.minSeverity);
  // When the fixed manifest or a diff took stdout, the report of what remains goes to stderr.
  const stream =
    fixed?.usedStdout || sourcesFixed?.usedStdout || helmFixed?.usedStdout ? session.io.stderr : session.io.stdout;
  const report = reportSetup(session, options, rules, stream);
  const output = await formatResults(options.format, results, {
    ...report.context,
    ...(baselineSummary ? { baseline: baselineSummary } : {}),
  });
  writeReport(output, options.outputFile, stream);
  session.exitCode = exitCodeFor(session, ExitCounts.of(results), options.maxWarnings);
}

/** Findings of `--kustomize` renders, in their source files; undefined (exit 2, said why) when none can render. */
async function renderedResults(
  session: CliSession,
  dirs: string[],
  command: string | undefined,
  lintOptions: LintOptions,
): Promise<FileResult[] | undefined> {
  try {
    return await lintKustomizations(dirs, { ...lintOptions, command, cwd: session.io.cwd, env: session.io.env });
  } catch (error) {
    if (!(error instanceof KustomizeError)) throw error;
    session.say(error.message);
    session.exitCode = EXIT_TROUBLE;
    return undefined;
  }
}

/** The default command: `kubemend [paths...]`. */
export function configureLint(program: Command, session: CliSession): Command {
  return program
    .argument('[paths...]', 'files, directories and globs to lint; - reads stdin')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(Object.keys(FORMATS))
        .argParser(choiceParser('--format', Object.keys(FORMATS)))
        .default('stylish'),
    )
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option('-f, --manifest <path>', 'a manifest to lint, as in kubeaudit (repeatable)', collect, [])
    .option('--rule <id>', 'run only this rule (repeatable)', collect, [])
    .addOption(
      new Option(
        '--profile <profile>',
        'which rules run: kubeaudit (default), the Pod Security Standards level pss-baseline or ' +
          "pss-restricted, or auto (the level each Namespace's pod-security.kubernetes.io/enforce " +
          'label sets)',
      )
        .choices(PROFILES)
        .argParser(choiceParser('--profile', PROFILES)),
    )
    .option(
      '--pss-version <version>',
      `the Kubernetes version whose Pod Security Standards apply, as enforce-version: ${describePssVersions()}; default latest`,
      parsePssVersionOption,
    )
    .addOption(
      new Option('--min-severity <severity>', 'show findings of this severity and above')
        .choices(SEVERITIES)
        .argParser(choiceParser('--min-severity', SEVERITIES))
        .default('info'),
    )
    .option('--max-warnings <n>', 'exit 1 when more than n warnings are shown (-1: no limit)', parseMaxWarnings)
    .option('--quiet', 'show errors only')
    .option('--no-color', 'never colour the output (also NO_COLOR=1)')
    .option('--no-progress', 'no progress line (shown on a terminal, outside CI, when a run lasts over a second)')
    .option(
      '--sarif-include-suppressed',
      'SARIF: include suppressed findings (override labels, comments, annotations, config, baseline), as suppressed results',
    )
    .option('--sarif-category <name>', 'SARIF: set automationDetails.id to "<name>/" (one category per analysis)')
    .option(
      '--fix',
      'fix what can be fixed, in place (stdin: the fixed manifest goes to stdout), then report what remains',
    )
    .option('--fix-dry-run', 'print a unified diff of the fixes without writing anything')
    .option('--diff', 'same as --fix-dry-run')
    .option('--fix-only <rule|code>', 'fix only findings of this rule or code (repeatable)', collect, [])
    .option(
      '--kustomize <dir>',
      'render this kustomization with kustomize (or kubectl kustomize) and lint the result, findings at their source files; --fix fixes them there (repeatable)',
      collect,
      [],
    )
    .option(
      '--kustomize-command <command>',
      'render with this command: kustomize or kubectl (default: kustomize on PATH, else kubectl)',
    )
    .option(
      '--helm <chart>',
      'render this chart with helm template and lint the result, findings at their templates and values keys (repeatable)',
      collect,
      [],
    )
    .option('--values <file>', 'a values file for the --helm charts, as helm template -f (repeatable)', collect, [])
    .option('--set <key=value>', 'a value for the --helm charts, as helm template --set (repeatable)', collect, [])
    .option('--helm-command <command>', 'render with this helm (default: helm on PATH)')
    .option('--no-project-context', "cross-file rules (netpols, asat) do not read the project's other manifests")
    .option('--no-cache', 'read the project context afresh, without the cache in ~/.cache/kubemend (nor writing it)')
    .addOption(maxFileSizeOption())
    .addOption(jobsOption())
    .addOption(jobsThresholdOption())
    .option('-c, --config <file>', 'read this .kubemend.yaml instead of looking for one')
    .option(
      '-k, --kconfig <file>',
      'read a kubeaudit config file (enabledAuditors, auditors.<name>.<option>); .kubemend.yaml wins over it',
    )
    .option('--no-inline-config', 'ignore kubemend-disable comments and ignore.kubemend.io annotations')
    .option('--baseline', 'report only findings that are not in the baseline file; the exit code counts only those')
    .option(
      '--write-baseline',
      'write the current findings to the baseline file (accepting them), then report as --baseline does',
    )
    .option(
      '--baseline-file <path>',
      `the baseline file (default ${BASELINE_FILE_NAME}, or baseline: in .kubemend.yaml); implies --baseline`,
    )
    .addHelpText('after', LINT_EXAMPLES)
    .action((paths: string[], options: LintCommandOptions, command: Command) =>
      lintAction(session, paths, options, command),
    );
}
