import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import * as YamlModule from 'yaml';
import type { Document, LineCounter } from 'yaml';
import type { NodePath } from '../load/nodes.js';
import { WORKLOAD_KINDS, type WorkloadKind } from '../load/workloads.js';
import { ConfigError, formatIssue, type ConfigIssue } from '../engine/config-issue.js';
import { didYouMean } from '../engine/did-you-mean.js';
import { ALLOWED_SUFFIX, REDUNDANT_OVERRIDE_CODE } from '../engine/overrides.js';
import type { LintOptions } from '../engine/run.js';
import { todayUtc } from '../engine/suppress/dates.js';
import {
  readSuppressionConfig,
  suppressionConfigSchema,
  type SuppressionConfigData,
} from '../engine/suppress/config-entries.js';
import type { Rule, Severity } from '../engine/types.js';
import { PROFILES, type ProfileChoice } from '../presets/profiles.js';
import { ALL_RULES, RULES, findRule } from '../presets/registry.js';
import { PSS_VERSIONS } from '../rule-api/pss-versions.js';

/*
 * Two formats: kubemend's own `.kubemend.yaml` (found from the working directory upward, or named with -c) and
 * kubeaudit's config (-k). Both are validated with a JSON Schema built from the registered rules, so options a rule
 * declares are checked the moment it is registered. ajv and the YAML parser are imported only when a config file
 * exists: a pre-commit run without one must not pay for them.
 */

const CONFIG_FILE_NAMES = ['.kubemend.yaml', '.kubemend.yml'] as const;

export type SeveritySetting = Severity | 'off';
type JsonSchema = Record<string, unknown>;

export interface ResolvedConfig {
  /** Absolute paths of the config files read, kubeaudit's first. */
  files: string[];
  /** Enabled rules of the kubeaudit profile, in registry order; `applyProfile` (src/presets/profiles.ts) picks those of another profile. */
  rules: Rule[];
  /** Every registered rule the config leaves on, whatever the profile. */
  enabledRules: Rule[];
  /** The profile and Pod Security Standards version `.kubemend.yaml` chooses, if it does. */
  profile: ProfileChoice;
  lintOptions: LintOptions;
  /** Glob patterns of paths not to lint, relative to `ignoreBase`. */
  ignore: string[];
  /** The folder of `.kubemend.yaml` (the working directory when there is none). */
  ignoreBase: string;
  /** Absolute path of the baseline file `.kubemend.yaml` names (which turns --baseline on). */
  baseline?: string;
  /** Kustomization folders to render and lint (`kustomize:`), absolute. */
  kustomize: string[];
  /** Accepted, but worth telling the user: `<file>:<line>:<column>: <key>: <text>`. */
  warnings: string[];
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const SEVERITY_SETTINGS: readonly SeveritySetting[] = [...SEVERITIES, 'off'];
const RULE_SWITCHES = ['on', 'off', ...SEVERITIES];

function optionsSchema(rule: Rule): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(rule.meta.options ?? {}).map(([name, option]) => [
      name,
      { ...option.schema, description: option.description, default: option.default },
    ]),
  );
  return { type: 'object', additionalProperties: false, properties };
}

function describeCodes(rule: Rule): string {
  return Object.entries(rule.meta.codes)
    .map(([code, meta]) => `${code} (${meta.severity})`)
    .join(', ');
}

function ruleSettingSchema(rule: Rule): JsonSchema {
  const setting: JsonSchema = {
    type: 'object',
    additionalProperties: false,
    properties: {
      severity: {
        description: 'Severity of every code of this rule; off turns the rule off.',
        enum: SEVERITY_SETTINGS,
      },
      ...(rule.meta.options ? { options: optionsSchema(rule) } : {}),
    },
  };
  return {
    description:
      `${rule.meta.description} Codes: ${describeCodes(rule)}. on/off turns the rule on or off; ` +
      `error/warning/info sets the severity of all its codes.`,
    anyOf: [{ enum: RULE_SWITCHES }, { type: 'boolean' }, setting],
  };
}

/** The JSON Schema of `.kubemend.yaml` for the given rules (shipped as schemas/kubemend-config.schema.json for editors). */
export function configSchema(rules: readonly Rule[] = ALL_RULES): JsonSchema {
  const codes = rules.flatMap((rule) => Object.entries(rule.meta.codes).map(([code, meta]) => ({ rule, code, meta })));
  const codeSetting = (description: string) => ({ description, enum: SEVERITY_SETTINGS });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'kubemend configuration (.kubemend.yaml)',
    type: 'object',
    additionalProperties: false,
    properties: {
      profile: {
        description:
          "Which rules run: kubeaudit (the default: kubeaudit's rules), pss-baseline or " +
          'pss-restricted (the Pod Security Standards level, as the Pod Security Admission ' +
          "controller enforces it), or auto (each workload at the level its Namespace's " +
          'pod-security.kubernetes.io/enforce label enforces). --profile wins.',
        enum: [...PROFILES],
      },
      pssVersion: {
        description:
          'The Kubernetes version whose Pod Security Standards apply, as ' +
          'pod-security.kubernetes.io/enforce-version: latest (the default) or v1.0 and up. With ' +
          "profile auto, the cluster's version: what latest means and the newest a Namespace label " +
          'gets. --pss-version wins.',
        enum: [...PSS_VERSIONS],
      },
      rules: {
        description:
          'Rules by id: on, off, a severity for all their codes, or {severity, options}. Rules not listed are on.',
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(rules.map((rule) => [rule.meta.id, ruleSettingSchema(rule)])),
      },
      codes: {
        description:
          `Severity per finding code (error, warning, info, or off to drop the finding); wins over ` +
          `the rule's severity. <Code>${ALLOWED_SUFFIX} codes (findings allowed by an override ` +
          `label) can be set too.`,
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries([
          ...codes.map(({ rule, code, meta }) => [
            code,
            codeSetting(`${rule.meta.id}: ${meta.description} Default: ${meta.severity}.`),
          ]),
          [REDUNDANT_OVERRIDE_CODE, codeSetting('An override label allows something nothing needs. Default: warning.')],
        ]),
        ...(codes.length > 0
          ? {
              patternProperties: {
                [`^(${codes
                  .filter(({ rule }) => rule.kind !== 'engine')
                  .map(({ code }) => code)
                  .join('|')})${ALLOWED_SUFFIX}$`]: codeSetting(
                  'A finding allowed by an override label. Default: info.',
                ),
              },
            }
          : {}),
      },
      ignore: {
        description:
          'Glob patterns of files not to lint, relative to the folder of this file (a folder name ' +
          'ignores everything below it). Files named on the command line are skipped too, with a warning.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      kustomize: {
        description:
          'Kustomization folders to render with kustomize and lint, relative to the folder of this file, as with --kustomize (which adds to them).',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      workloadKinds: {
        description:
          'More kinds that run pods (custom resources), checked by the workload rules. They win over the built-in table.',
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'apiVersion', 'templatePath'],
          properties: {
            kind: { description: 'The kind, e.g. Workflow.', type: 'string', minLength: 1 },
            apiVersion: {
              description:
                'group/version or just the group (e.g. example.com); any version of the group matches. v1 is the core group.',
              type: 'string',
              minLength: 1,
            },
            templatePath: {
              description:
                'Dot-separated path from the object to its pod template (the map holding metadata and spec), e.g. spec.template.',
              type: 'string',
              minLength: 1,
            },
          },
        },
      },
      ...suppressionConfigSchema(),
    },
  };
}

/** The committed schemas/kubemend-config.schema.json, as text (scripts/gen-config-schema.mjs writes it). */
export function configSchemaText(rules: readonly Rule[] = ALL_RULES): string {
  return `${JSON.stringify(configSchema(rules), null, 2)}\n`;
}

const KUBEAUDIT_DEPRECATEDAPIS_KEY = 'config';
const DEPRECATEDAPIS = 'deprecatedapis';

/** kubeaudit's config file (`-k`): `enabledAuditors` and `auditors.<name>.<option>`. */
function kubeauditSchema(rules: readonly Rule[]): JsonSchema {
  const withOptions = rules.filter((rule) => rule.meta.options);
  const deprecatedapis = withOptions.find((rule) => rule.meta.id === DEPRECATEDAPIS);
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabledAuditors: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(rules.map((rule) => [rule.meta.id, { type: 'boolean' }])),
      },
      auditors: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries([
          ...withOptions.map((rule) => [rule.meta.id, optionsSchema(rule)]),
          ...(deprecatedapis
            ? [[KUBEAUDIT_DEPRECATEDAPIS_KEY, { ...optionsSchema(deprecatedapis), deprecated: true }]]
            : []),
        ]),
      },
    },
  };
}

/** Keys kubeaudit's own sample config uses although kubeaudit never read them: accepted with a warning, then dropped. */
const KUBEAUDIT_UNREAD_KEYS: readonly { path: readonly string[]; why: string }[] = [
  {
    path: ['auditors', 'capabilities', 'add'],
    why: 'kubeaudit never read this key and neither does kubemend; capabilities a container may add go in auditors.capabilities.allowAddList',
  },
  {
    path: ['auditors', 'capabilities', 'drop'],
    why: 'kubeaudit never read this key and neither does kubemend; the capabilities rule always expects drop: [ALL]',
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Reading files

type Yaml = typeof YamlModule;

interface Source {
  /** Absolute. */
  file: string;
  /** As shown to the user. */
  display: string;
  data: unknown;
  doc: Document.Parsed;
  lines: LineCounter;
}

function readSource(yaml: Yaml, file: string, display: string, version: '1.1' | '1.2'): Source {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'this is a directory, not a file'
          : `cannot read the file: ${(error as Error).message}`;
    throw new ConfigError([{ file: display, key: '', problem }]);
  }
  const lines = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { version, lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        const problem =
          error.code === 'DUPLICATE_KEY'
            ? 'duplicate key (each key may appear once)'
            : `invalid YAML: ${error.message.split('\n')[0]}`;
        return { file: display, key: '', problem, line, column: col };
      }),
    );
  }
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  return { file, display, data: data ?? {}, doc, lines };
}

/** Line and column of the key (or its value) at `keyPath`; the closest existing parent when it is not there. */
function locate(
  yaml: Yaml,
  source: Source,
  keyPath: NodePath,
  atKey: boolean,
): { line: number; column: number } | undefined {
  let node: unknown = source.doc.contents;
  let key: unknown;
  for (const segment of keyPath) {
    if (yaml.isMap(node)) {
      const pair = node.items.find((item) => yaml.isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      key = pair.key;
      node = pair.value ?? pair.key;
    } else if (yaml.isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      key = undefined;
      node = node.items[segment];
    } else {
      break;
    }
  }
  const target = (atKey && key) || node;
  const range = yaml.isNode(target) ? target.range : undefined;
  if (!range) return undefined;
  const { line, col } = source.lines.linePos(range[0]);
  return { line, column: col };
}

function formatKey(keyPath: NodePath): string {
  return keyPath
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (!/^[\w-]+$/.test(segment)) return `[${JSON.stringify(segment)}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join('');
}

function issueAt(yaml: Yaml, source: Source, keyPath: NodePath, problem: string, atKey = false): ConfigIssue {
  return { file: source.display, key: formatKey(keyPath), problem, ...locate(yaml, source, keyPath, atKey) };
}

// ---------------------------------------------------------------------------------------------------------------
// Turning ajv's errors into one message per problem, naming the key

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  const shown = JSON.stringify(value);
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  null: 'empty',
};

function expectedType(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  return types.map((t: string) => TYPE_WORDS[t] ?? t).join(' or ');
}

function listWithOr(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function unknownKeyProblem(parent: NodePath, key: string, candidates: readonly string[]): string {
  const last = parent[parent.length - 1];
  const isRuleMap = parent.length === 1 && (last === 'rules' || last === 'enabledAuditors' || last === 'auditors');
  const noun = isRuleMap
    ? 'rule'
    : parent.length === 1 && last === 'codes'
      ? 'code'
      : last === 'options' || (parent.length === 2 && parent[0] === 'auditors')
        ? 'option'
        : 'key';
  if (noun === 'rule' && last === 'auditors' && findRule(key)) return `the ${key} rule takes no options`;
  if (key === 'options' && parent.length === 2 && parent[0] === 'rules')
    return `the ${String(last)} rule takes no options`;
  const hint = didYouMean(key, candidates);
  const known =
    candidates.length === 0
      ? ` (this ${parent.length === 0 ? 'file' : 'map'} takes none)`
      : candidates.length <= 16 || noun === 'rule'
        ? ` (known: ${candidates.join(', ')})`
        : '';
  return `unknown ${noun}${hint}${known}`;
}

function parsePointer(pointer: string, data: unknown): NodePath {
  const segments: (string | number)[] = [];
  let current = data;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(current) ? Number(segment) : undefined;
    segments.push(index ?? segment);
    current =
      current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return segments;
}

interface Explained {
  keyPath: NodePath;
  problem: string;
  atKey: boolean;
}

function explainOne(error: ErrorObject, data: unknown): Explained {
  const keyPath = parsePointer(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const parentSchema = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
      return {
        keyPath: [...keyPath, key],
        problem: unknownKeyProblem(keyPath, key, Object.keys(parentSchema?.properties ?? {})),
        atKey: true,
      };
    }
    case 'required':
      return { keyPath, problem: `${String(params.missingProperty)} is missing`, atKey: false };
    case 'type':
      return {
        keyPath,
        problem: `must be ${expectedType(params.type)}, not ${describeValue(error.data)}`,
        atKey: false,
      };
    case 'enum':
      return {
        keyPath,
        problem: `must be ${listWithOr((params.allowedValues as unknown[]).map(String))}, not ${describeValue(error.data)}`,
        atKey: false,
      };
    default:
      return {
        keyPath,
        problem: `${error.message ?? `fails ${error.keyword}`}, not ${describeValue(error.data)}`,
        atKey: false,
      };
  }
}

/**
 * ajv reports every branch of an `anyOf`; a person wants the branch their value was meant for (the one whose type it
 * has), or, when it has none of the types, one message listing what is accepted.
 */
function explain(errors: readonly ErrorObject[], data: unknown): Explained[] {
  const inside = (error: ErrorObject, anyOf: ErrorObject) => error.schemaPath.startsWith(`${anyOf.schemaPath}/`);
  const anyOfs = errors.filter((error) => error.keyword === 'anyOf');
  const top = errors.filter((error) => !anyOfs.some((anyOf) => anyOf !== error && inside(error, anyOf)));
  return top.flatMap((error) => {
    if (error.keyword !== 'anyOf') return [explainOne(error, data)];
    const branches = new Map<string, ErrorObject[]>();
    for (const branchError of errors.filter((candidate) => inside(candidate, error))) {
      const branch = branchError.schemaPath.slice(error.schemaPath.length + 1).split('/')[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), branchError]);
    }
    const wrongType = (list: ErrorObject[]) =>
      list.some(
        (e) =>
          e.instancePath === error.instancePath &&
          (e.keyword === 'type' ||
            (e.keyword === 'enum' &&
              !(e.params as { allowedValues: unknown[] }).allowedValues.some((v) => typeof v === typeof error.data))),
      );
    const fitting = [...branches.values()].find((list) => !wrongType(list));
    if (fitting) return explain(fitting, data);
    const accepted = [...branches.values()].flat().flatMap((e) => {
      if (e.instancePath !== error.instancePath) return [];
      if (e.keyword === 'enum') return (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      if (e.keyword === 'type') return [expectedType((e.params as { type: unknown }).type)];
      return [];
    });
    return [
      {
        keyPath: parsePointer(error.instancePath, data),
        problem: `must be ${listWithOr(accepted)}, not ${describeValue(error.data)}`,
        atKey: false,
      },
    ];
  });
}

async function validate(yaml: Yaml, source: Source, schema: JsonSchema): Promise<void> {
  const { Ajv } = await import('ajv');
  const validator = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true }).compile(schema);
  if (validator(source.data)) return;
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const { keyPath, problem, atKey } of explain(validator.errors ?? [], source.data)) {
    const issue = issueAt(yaml, source, keyPath, problem, atKey);
    const id = formatIssue(issue);
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue);
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw new ConfigError(issues);
}

// ---------------------------------------------------------------------------------------------------------------
// Resolving

type Settings = Record<string, unknown>;

/** What the config files say, merged: kubeaudit's first, `.kubemend.yaml` on top. */
interface Accumulated {
  enabled: Map<string, boolean>;
  ruleOptions: Record<string, Record<string, unknown>>;
  severities: Record<string, SeveritySetting>;
  workloadKinds: WorkloadKind[];
  ignore: string[];
  kustomize: string[];
  warnings: string[];
  profile: ProfileChoice;
  suppressions?: LintOptions['suppressions'];
  baseline?: string;
}

function addOptions(into: Accumulated, rule: string, options: unknown): void {
  if (options && typeof options === 'object')
    into.ruleOptions[rule] = { ...into.ruleOptions[rule], ...(options as Settings) };
}

function acceptsOnlyStrings(schema: unknown): boolean {
  const type = (schema as { type?: unknown } | undefined)?.type;
  if (type === 'string') return true;
  return (
    Array.isArray(type) &&
    type.includes('string') &&
    !type.some((t) => t === 'number' || t === 'integer' || t === 'boolean')
  );
}

/**
 * kubeaudit's options are Go strings, and go-yaml decodes any scalar into a string field as written: `currentVersion:
 * 1.20` is "1.20" to kubeaudit, not the number 1.2. Plain scalars of string-only options are taken as written.
 */
function keepStringOptionsAsWritten(yaml: Yaml, source: Source): void {
  const auditors = source.doc.get('auditors', true);
  if (!yaml.isMap(auditors)) return;
  for (const { key, value: options } of auditors.items) {
    if (!yaml.isScalar(key) || !yaml.isMap(options)) continue;
    const rule = findRule(key.value === KUBEAUDIT_DEPRECATEDAPIS_KEY ? DEPRECATEDAPIS : String(key.value));
    for (const { key: name, value } of options.items) {
      const schema = yaml.isScalar(name) ? rule?.meta.options?.[String(name.value)]?.schema : undefined;
      if (!schema) continue;
      const scalars =
        yaml.isSeq(value) && acceptsOnlyStrings(schema.items) ? value.items : acceptsOnlyStrings(schema) ? [value] : [];
      for (const scalar of scalars) {
        if (
          yaml.isScalar(scalar) &&
          scalar.type === 'PLAIN' &&
          scalar.value !== null &&
          typeof scalar.value !== 'string' &&
          scalar.source
        )
          scalar.value = scalar.source;
      }
    }
  }
  source.data = source.doc.toJS({ maxAliasCount: 1000 }) ?? {};
}

async function applyKubeaudit(yaml: Yaml, source: Source, into: Accumulated): Promise<void> {
  keepStringOptionsAsWritten(yaml, source);
  for (const { path: keyPath, why } of KUBEAUDIT_UNREAD_KEYS) {
    const parent = keyPath
      .slice(0, -1)
      .reduce<unknown>(
        (node, key) => (node && typeof node === 'object' ? (node as Settings)[key] : undefined),
        source.data,
      );
    const last = keyPath[keyPath.length - 1]!;
    if (!parent || typeof parent !== 'object' || !(last in parent)) continue;
    into.warnings.push(formatIssue(issueAt(yaml, source, keyPath, `ignored: ${why}`, true)));
    delete (parent as Settings)[last];
  }
  await validate(yaml, source, kubeauditSchema(RULES));
  const data = source.data as { enabledAuditors?: Record<string, boolean>; auditors?: Record<string, Settings> };
  for (const [rule, enabled] of Object.entries(data.enabledAuditors ?? {})) into.enabled.set(rule, enabled);
  const auditors = { ...data.auditors };
  if (auditors[KUBEAUDIT_DEPRECATEDAPIS_KEY]) {
    into.warnings.push(
      formatIssue(
        issueAt(
          yaml,
          source,
          ['auditors', KUBEAUDIT_DEPRECATEDAPIS_KEY],
          `deprecated: kubeaudit read the ${DEPRECATEDAPIS} options from here by mistake; move them ` +
            `to auditors.${DEPRECATEDAPIS} (which wins when both are set)`,
          true,
        ),
      ),
    );
    addOptions(into, DEPRECATEDAPIS, auditors[KUBEAUDIT_DEPRECATEDAPIS_KEY]);
    delete auditors[KUBEAUDIT_DEPRECATEDAPIS_KEY];
  }
  for (const [rule, options] of Object.entries(auditors)) addOptions(into, rule, options);
}

const CORE_VERSION = /^v\d+((alpha|beta)\d+)?$/;

/** `example.com/v1` and `example.com` both mean the group example.com; `v1` is the core group. */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  if (slash !== -1) return apiVersion.slice(0, slash);
  return CORE_VERSION.test(apiVersion) ? '' : apiVersion;
}

async function applyKubemend(yaml: Yaml, source: Source, into: Accumulated, today: string | undefined): Promise<void> {
  await validate(yaml, source, configSchema(ALL_RULES));
  const data = source.data as {
    profile?: ProfileChoice['profile'];
    pssVersion?: string;
    rules?: Settings;
    codes?: Record<string, SeveritySetting>;
    ignore?: string[];
    kustomize?: string[];
    workloadKinds?: { kind: string; apiVersion: string; templatePath: string }[];
  };
  for (const [id, setting] of Object.entries(data.rules ?? {})) {
    const rule = findRule(id)!;
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
  const issues: ConfigIssue[] = [];
  (data.workloadKinds ?? []).forEach((entry, index) => {
    const segments = entry.templatePath.split('.');
    if (segments.some((segment) => segment.trim() === '')) {
      issues.push(
        issueAt(
          yaml,
          source,
          ['workloadKinds', index, 'templatePath'],
          `must be keys separated by dots, such as spec.template; not ${JSON.stringify(entry.templatePath)}`,
        ),
      );
    }
    into.workloadKinds.push({ kind: entry.kind, groups: [groupOf(entry.apiVersion)], templatePath: segments });
  });
  const base = path.dirname(source.file);
  const suppression = await readSuppressionConfig(source.data as SuppressionConfigData, {
    base,
    today: today ?? todayUtc(),
    rules: ALL_RULES,
    issueAt: (keyPath, problem) => issueAt(yaml, source, keyPath, problem),
  });
  issues.push(...suppression.errors);
  into.warnings.push(...suppression.warnings.map(formatIssue));
  into.suppressions = { entries: suppression.entries, policy: suppression.policy };
  const { baseline } = source.data as { baseline?: string };
  if (baseline !== undefined) into.baseline = path.resolve(base, baseline);
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
    profile: {},
    lintOptions: { rules: [...RULES], knownRules: ALL_RULES, workloadKinds: WORKLOAD_KINDS },
    ignore: [],
    ignoreBase: path.resolve(cwd),
    kustomize: [],
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
  // The loader has `yaml` loaded already; a dynamic import would save nothing (and the CLI bundle inlines it).
  const yaml = YamlModule;
  const into: Accumulated = {
    enabled: new Map(),
    ruleOptions: {},
    severities: {},
    workloadKinds: [],
    ignore: [],
    kustomize: [],
    warnings: [],
    profile: {},
  };
  const files: string[] = [];
  if (options.kubeauditConfigFile !== undefined) {
    const file = path.resolve(cwd, options.kubeauditConfigFile);
    // kubeaudit decodes its config with go-yaml, which reads YAML 1.1 (`no` is false).
    await applyKubeaudit(yaml, readSource(yaml, file, options.kubeauditConfigFile, '1.1'), into);
    files.push(file);
  }
  if (kubemendFile !== undefined) {
    await applyKubemend(
      yaml,
      readSource(yaml, kubemendFile, options.configFile ?? displayPath(cwd, kubemendFile), '1.2'),
      into,
      options.today,
    );
    files.push(kubemendFile);
  }
  const enabledRules = ALL_RULES.filter((rule) => into.enabled.get(rule.meta.id) !== false);
  const rules = enabledRules.filter((rule) => RULES.includes(rule));
  return {
    files,
    rules,
    enabledRules,
    profile: into.profile,
    lintOptions: {
      rules,
      knownRules: ALL_RULES,
      workloadKinds: [...into.workloadKinds, ...WORKLOAD_KINDS],
      ruleOptions: into.ruleOptions,
      severities: into.severities,
      ...(into.suppressions ? { suppressions: into.suppressions } : {}),
    },
    ignore: into.ignore,
    ignoreBase: kubemendFile !== undefined ? path.dirname(kubemendFile) : path.resolve(cwd),
    ...(into.baseline !== undefined ? { baseline: into.baseline } : {}),
    kustomize: into.kustomize,
    warnings: into.warnings,
  };
}
