import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { WORKLOAD_KINDS, apiGroup, type WorkloadKind } from '../load/workloads.js';
import { ConfigError, formatIssue, type ConfigIssue } from '../engine/config-issue.js';
import type { LintOptions } from '../engine/run.js';
import { todayUtc } from '../engine/suppress/dates.js';
import { readSuppressionConfig, type SuppressionConfigData } from '../engine/suppress/config-entries.js';
import type { Rule, Severity } from '../engine/types.js';
import type { ProfileChoice } from '../presets/profiles.js';
import { ALL_RULES, RULES } from '../presets/registry.js';
import { readKubeauditConfig } from './kubeaudit.js';
import { loadPlugins } from './plugins.js';
import { configSchema, PLUGINS_KEY_SCHEMA, SEVERITIES, type SeveritySetting } from './schema.js';
import { issueAt, readSource, type Source } from './source.js';
import { validate } from './wording.js';

/*
 * Two formats: kubemend's own `.kubemend.yaml` (found from the working directory upward, or named with -c) and
 * kubeaudit's config (-k). Both are validated with a JSON Schema built from the registered rules, so options a rule
 * declares are checked the moment it is registered. ajv is imported only when a config file exists: a pre-commit run
 * without one must not pay for it. The jobs are split: the schema (schema.ts), reading and locating (source.ts),
 * ajv's errors in words (wording.ts), kubeaudit's config (kubeaudit.ts), plugins (plugins.ts); this module merges.
 */

const CONFIG_FILE_NAMES = ['.kubemend.yaml', '.kubemend.yml'] as const;

export interface ResolvedConfig {
  /** Absolute paths of the config files read, kubeaudit's first. */
  files: string[];
  /** Enabled rules of the kubeaudit profile, in registry order; `applyProfile` (src/presets/profiles.ts) picks those of another profile. */
  rules: Rule[];
  /** Every rule the config leaves on, whatever the profile. */
  enabledRules: Rule[];
  /** Every rule there is: the built-in ones, then the plugins'. */
  allRules: Rule[];
  /** The profile and Pod Security Standards version `.kubemend.yaml` chooses, if it does. */
  profile: ProfileChoice;
  lintOptions: LintOptions;
  /** Glob patterns of paths not to lint, relative to `ignoreBase`. */
  ignore: string[];
  /** The folder of `.kubemend.yaml` (the working directory when there is none). */
  ignoreBase: string;
  /** Absolute path of the baseline file `.kubemend.yaml` names (which turns --baseline on). */
  baseline?: string;
  /** `cache: false`: no context cache (as --no-cache). */
  cache?: boolean;
  /** Kustomization folders to render and lint (`kustomize:`), absolute. */
  kustomize: string[];
  /** Helm chart folders to render and lint (`helm:`), absolute. */
  helm: string[];
  /** Accepted, but worth telling the user: `<file>:<line>:<column>: <key>: <text>`. */
  warnings: string[];
}

type Settings = Record<string, unknown>;

/** What the config files say, merged: kubeaudit's first, `.kubemend.yaml` on top. */
interface Accumulated {
  enabled: Map<string, boolean>;
  ruleOptions: Record<string, Record<string, unknown>>;
  severities: Record<string, SeveritySetting>;
  workloadKinds: WorkloadKind[];
  ignore: string[];
  kustomize: string[];
  helm: string[];
  warnings: string[];
  profile: ProfileChoice;
  suppressions?: LintOptions['suppressions'];
  baseline?: string;
  cache?: boolean;
}

function addOptions(into: Accumulated, rule: string, options: unknown): void {
  if (options && typeof options === 'object')
    into.ruleOptions[rule] = { ...into.ruleOptions[rule], ...(options as Settings) };
}

/** The rules of the plugins `.kubemend.yaml` names; its `plugins` key is checked first. */
async function readPlugins(source: Source): Promise<Rule[]> {
  const ids = new Set(ALL_RULES.map((rule) => rule.meta.id));
  await validate(source, PLUGINS_KEY_SCHEMA, ids);
  const { plugins } = source.data as { plugins?: string[] };
  if (!plugins || plugins.length === 0) return [];
  const { rules, issues } = await loadPlugins(plugins, source.file, ALL_RULES, (index, problem) =>
    issueAt(source, ['plugins', index], problem),
  );
  if (issues.length > 0) throw new ConfigError(issues);
  return rules;
}

async function applyKubemend(
  source: Source,
  into: Accumulated,
  allRules: readonly Rule[],
  today: string | undefined,
): Promise<void> {
  await validate(source, configSchema(allRules), new Set(allRules.map((rule) => rule.meta.id)));
  const data = source.data as {
    profile?: ProfileChoice['profile'];
    pssVersion?: string;
    rules?: Settings;
    codes?: Record<string, SeveritySetting>;
    ignore?: string[];
    kustomize?: string[];
    helm?: string[];
    workloadKinds?: { kind: string; apiVersion: string; templatePath: string }[];
  };
  for (const [id, setting] of Object.entries(data.rules ?? {})) {
    const rule = allRules.find((candidate) => candidate.meta.id === id)!;
    const { severity, options } =
      typeof setting === 'object' && setting !== null
        ? (setting as { severity?: SeveritySetting; options?: Settings })
        : { severity: undefined, options: undefined };
    const off = setting === 'off' || setting === false || severity === 'off';
    into.enabled.set(id, !off);
    const ruleSeverity =
      typeof setting === 'string' && SEVERITIES.includes(setting as Severity) ? (setting as Severity) : severity;
    if (ruleSeverity && ruleSeverity !== 'off')
      for (const code of Object.keys(rule.meta.codes)) into.severities[code] = ruleSeverity;
    addOptions(into, id, options);
  }
  Object.assign(into.severities, data.codes ?? {});
  into.profile = { profile: data.profile, pssVersion: data.pssVersion };
  into.ignore.push(...(data.ignore ?? []));
  into.kustomize.push(...(data.kustomize ?? []).map((dir) => path.resolve(path.dirname(source.file), dir)));
  into.helm.push(...(data.helm ?? []).map((dir) => path.resolve(path.dirname(source.file), dir)));
  const issues: ConfigIssue[] = [];
  (data.workloadKinds ?? []).forEach((entry, index) => {
    const segments = entry.templatePath.split('.');
    if (segments.some((segment) => segment.trim() === '')) {
      issues.push(
        issueAt(
          source,
          ['workloadKinds', index, 'templatePath'],
          `must be keys separated by dots, such as spec.template; not ${JSON.stringify(entry.templatePath)}`,
        ),
      );
    }
    into.workloadKinds.push({ kind: entry.kind, groups: [apiGroup(entry.apiVersion)], templatePath: segments });
  });
  const base = path.dirname(source.file);
  const suppression = await readSuppressionConfig(source.data as SuppressionConfigData, {
    base,
    today: today ?? todayUtc(),
    rules: allRules,
    issueAt: (keyPath, problem) => issueAt(source, keyPath, problem),
  });
  issues.push(...suppression.errors);
  into.warnings.push(...suppression.warnings.map(formatIssue));
  into.suppressions = { entries: suppression.entries, policy: suppression.policy };
  const { baseline, cache } = source.data as { baseline?: string; cache?: boolean };
  if (baseline !== undefined) into.baseline = path.resolve(base, baseline);
  if (cache !== undefined) into.cache = cache;
  if (issues.length > 0) throw new ConfigError(issues);
}

/** The nearest `.kubemend.yaml` (or `.yml`) from `cwd` upward, stopping at the repository root (a folder holding `.git`). */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ;) {
    const found = CONFIG_FILE_NAMES.map((name) => path.join(dir, name)).filter((file) =>
      statSync(file, { throwIfNoEntry: false })?.isFile(),
    );
    if (found.length > 1) {
      throw new ConfigError([
        {
          file: displayPath(cwd, found[1]!),
          key: '',
          problem: `${path.basename(found[0]!)} is in the same folder: keep one of them`,
        },
      ]);
    }
    if (found[0]) return found[0];
    const parent = path.dirname(dir);
    if (parent === dir || existsSync(path.join(dir, '.git'))) return undefined;
    dir = parent;
  }
}

function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || path.isAbsolute(relative) ? file : relative;
}

function defaults(cwd: string): ResolvedConfig {
  return {
    files: [],
    rules: [...RULES],
    enabledRules: [...ALL_RULES],
    allRules: [...ALL_RULES],
    profile: {},
    lintOptions: { rules: [...RULES], knownRules: ALL_RULES, workloadKinds: WORKLOAD_KINDS },
    ignore: [],
    ignoreBase: path.resolve(cwd),
    kustomize: [],
    helm: [],
    warnings: [],
  };
}

/**
 * Reads the kubeaudit config (`kubeauditConfigFile`) and kubemend's own (`configFile`, or the one found from `cwd`
 * upward) and merges them: `.kubemend.yaml` wins. Throws a ConfigError naming the file and key of every problem.
 */
export async function loadConfig(options: {
  cwd: string;
  kubeauditConfigFile?: string;
  configFile?: string;
  today?: string;
}): Promise<ResolvedConfig> {
  const { cwd } = options;
  const kubemendFile = options.configFile !== undefined ? path.resolve(cwd, options.configFile) : findConfigFile(cwd);
  if (kubemendFile === undefined && options.kubeauditConfigFile === undefined) return defaults(cwd);
  const into: Accumulated = {
    enabled: new Map(),
    ruleOptions: {},
    severities: {},
    workloadKinds: [],
    ignore: [],
    kustomize: [],
    helm: [],
    warnings: [],
    profile: {},
  };
  const files: string[] = [];
  if (options.kubeauditConfigFile !== undefined) {
    const file = path.resolve(cwd, options.kubeauditConfigFile);
    // kubeaudit decodes its config with go-yaml, which reads YAML 1.1 (`no` is false).
    const auditors = RULES.filter((rule) => rule.meta.kubeaudit !== undefined);
    const kubeaudit = await readKubeauditConfig(readSource(file, options.kubeauditConfigFile, '1.1'), auditors);
    for (const [rule, enabled] of kubeaudit.enabled) into.enabled.set(rule, enabled);
    for (const [rule, values] of Object.entries(kubeaudit.ruleOptions)) addOptions(into, rule, values);
    into.warnings.push(...kubeaudit.warnings);
    files.push(file);
  }
  let plugins: Rule[] = [];
  if (kubemendFile !== undefined) {
    const source = readSource(kubemendFile, options.configFile ?? displayPath(cwd, kubemendFile), '1.2');
    plugins = await readPlugins(source);
    await applyKubemend(source, into, [...ALL_RULES, ...plugins], options.today);
    files.push(kubemendFile);
  }
  const allRules = [...ALL_RULES, ...plugins];
  const enabledRules = allRules.filter((rule) => into.enabled.get(rule.meta.id) !== false);
  const rules = enabledRules.filter((rule) => RULES.includes(rule) || plugins.includes(rule));
  return {
    files,
    rules,
    enabledRules,
    allRules,
    profile: into.profile,
    lintOptions: {
      rules,
      knownRules: allRules,
      workloadKinds: [...into.workloadKinds, ...WORKLOAD_KINDS],
      ruleOptions: into.ruleOptions,
      severities: into.severities,
      ...(into.suppressions ? { suppressions: into.suppressions } : {}),
    },
    ignore: into.ignore,
    ignoreBase: kubemendFile !== undefined ? path.dirname(kubemendFile) : path.resolve(cwd),
    ...(into.baseline !== undefined ? { baseline: into.baseline } : {}),
    ...(into.cache !== undefined ? { cache: into.cache } : {}),
    kustomize: into.kustomize,
    helm: into.helm,
    warnings: into.warnings,
  };
}
