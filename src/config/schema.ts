import type { Severity, Rule } from '../engine/types.js';
import { ALLOWED_SUFFIX, REDUNDANT_OVERRIDE_CODE } from '../engine/overrides.js';
import { suppressionConfigSchema } from '../engine/suppress/config-entries.js';
import { PROFILES } from '../presets/profiles.js';
import { ALL_RULES } from '../presets/registry.js';
import { PSS_VERSIONS } from '../rule-api/pss-versions.js';

/*
 * The JSON Schema of `.kubemend.yaml`, built from the rules' meta: options a rule declares are checked the moment it
 * is registered (or a plugin is loaded). Committed as schemas/kubemend-config.schema.json for editors.
 */

export type SeveritySetting = Severity | 'off';
export type JsonSchema = Record<string, unknown>;

/** `plugins`, checked before the rest: the plugins' rules are part of the schema of `rules` and `codes`. */
export const PLUGINS_SCHEMA: JsonSchema = {
  description:
    'Rule modules written against kubemend/rule: paths relative to the folder of this file (./policies/rules.mjs) ' +
    'or npm package names, resolved from it. Their rules are named <plugin name>/<rule id>.',
  type: 'array',
  items: { type: 'string', minLength: 1 },
};

/** What `plugins` is checked against, alone, before the plugins are loaded. */
export const PLUGINS_KEY_SCHEMA: JsonSchema = { type: 'object', properties: { plugins: PLUGINS_SCHEMA } };

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const SEVERITY_SETTINGS: readonly SeveritySetting[] = [...SEVERITIES, 'off'];
const RULE_SWITCHES = ['on', 'off', ...SEVERITIES];

export function optionsSchema(rule: Rule): JsonSchema {
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
      plugins: PLUGINS_SCHEMA,
      ignore: {
        description:
          'Glob patterns of files not to lint, relative to the folder of this file (a folder name ' +
          'ignores everything below it). Files named on the command line are skipped too, with a warning.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      cache: {
        description:
          'false: read the project context afresh on every run and keep no context cache (as --no-cache); the cache is in $XDG_CACHE_HOME/kubemend or ~/.cache/kubemend, never in the project.',
        type: 'boolean',
      },
      kustomize: {
        description:
          'Kustomization folders to render with kustomize and lint, relative to the folder of this file, as with --kustomize (which adds to them).',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      helm: {
        description:
          'Helm chart folders to render with helm template and lint (with their own values.yaml), relative to the folder of this file, as with --helm (which adds to them).',
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
