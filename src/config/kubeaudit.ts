import { isMap, isScalar, isSeq } from 'yaml';
import { formatIssue } from '../engine/config-issue.js';
import type { Rule } from '../engine/types.js';
import { optionsSchema, type JsonSchema } from './schema.js';
import { issueAt, type Source } from './source.js';
import { validate } from './wording.js';

/*
 * kubeaudit's config file (`-k`): `enabledAuditors` and `auditors.<name>.<option>`, read as kubeaudit read it. What
 * is particular to one auditor (a second key for its options, keys kubeaudit never read) is in its `meta.kubeaudit`.
 */

type Settings = Record<string, unknown>;

/** What a kubeaudit config says: rules turned on or off, options per rule, and warnings to show. */
export interface KubeauditSettings {
  enabled: Map<string, boolean>;
  ruleOptions: Record<string, Settings>;
  warnings: string[];
}

function kubeauditSchema(auditors: readonly Rule[]): JsonSchema {
  const withOptions = auditors.filter((rule) => rule.meta.options);
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabledAuditors: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(auditors.map((rule) => [rule.meta.id, { type: 'boolean' }])),
      },
      auditors: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries([
          ...withOptions.map((rule) => [rule.meta.id, optionsSchema(rule)]),
          ...withOptions.flatMap((rule) => {
            const alias = rule.meta.kubeaudit?.configAlias;
            return alias ? [[alias.key, { ...optionsSchema(rule), deprecated: true }]] : [];
          }),
        ]),
      },
    },
  };
}

/** The auditor whose options `auditors.<key>` holds: its id, or its configAlias. */
function auditorAt(auditors: readonly Rule[], key: string): Rule | undefined {
  return auditors.find((rule) => rule.meta.id === key || rule.meta.kubeaudit?.configAlias?.key === key);
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
function keepStringOptionsAsWritten(source: Source, auditors: readonly Rule[]): void {
  const map = source.doc.get('auditors', true);
  if (!isMap(map)) return;
  for (const { key, value: options } of map.items) {
    if (!isScalar(key) || !isMap(options)) continue;
    const rule = auditorAt(auditors, String(key.value));
    for (const { key: name, value } of options.items) {
      const schema = isScalar(name) ? rule?.meta.options?.[String(name.value)]?.schema : undefined;
      if (!schema) continue;
      const scalars =
        isSeq(value) && acceptsOnlyStrings(schema.items) ? value.items : acceptsOnlyStrings(schema) ? [value] : [];
      for (const scalar of scalars) {
        if (
          isScalar(scalar) &&
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

/** Keys kubeaudit's own sample config uses although kubeaudit never read them: a warning each, then dropped. */
function dropUnreadOptions(source: Source, auditors: readonly Rule[], warnings: string[]): void {
  const data = source.data as { auditors?: Record<string, unknown> };
  for (const rule of auditors) {
    const options = data.auditors?.[rule.meta.id];
    if (!options || typeof options !== 'object') continue;
    for (const [option, why] of Object.entries(rule.meta.kubeaudit?.unreadOptions ?? {})) {
      if (!(option in options)) continue;
      warnings.push(formatIssue(issueAt(source, ['auditors', rule.meta.id, option], `ignored: ${why}`, true)));
      delete (options as Settings)[option];
    }
  }
}

function addOptions(into: Record<string, Settings>, rule: string, options: unknown): void {
  if (options && typeof options === 'object') into[rule] = { ...into[rule], ...(options as Settings) };
}

/** Reads kubeaudit's config (a YAML 1.1 source) for `auditors`, kubeaudit's rules; throws a ConfigError. */
export async function readKubeauditConfig(source: Source, auditors: readonly Rule[]): Promise<KubeauditSettings> {
  const settings: KubeauditSettings = { enabled: new Map(), ruleOptions: {}, warnings: [] };
  keepStringOptionsAsWritten(source, auditors);
  dropUnreadOptions(source, auditors, settings.warnings);
  await validate(source, kubeauditSchema(auditors), new Set(auditors.map((rule) => rule.meta.id)));
  const data = source.data as { enabledAuditors?: Record<string, boolean>; auditors?: Record<string, Settings> };
  for (const [rule, enabled] of Object.entries(data.enabledAuditors ?? {})) settings.enabled.set(rule, enabled);
  const options = { ...data.auditors };
  for (const rule of auditors) {
    const alias = rule.meta.kubeaudit?.configAlias;
    if (!alias || !options[alias.key]) continue;
    settings.warnings.push(formatIssue(issueAt(source, ['auditors', alias.key], alias.why, true)));
    addOptions(settings.ruleOptions, rule.meta.id, options[alias.key]);
    delete options[alias.key];
  }
  for (const [rule, values] of Object.entries(options)) addOptions(settings.ruleOptions, rule, values);
  return settings;
}
