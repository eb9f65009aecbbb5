import type { Rule } from '../engine/types.js';
import { PROFILES } from '../presets/profiles.js';
import { ENGINE_RULES, PSS_RULES, RULES } from '../presets/registry.js';
import { PSS_VERSIONS } from '../rule-api/pss-versions.js';
import { configSchema } from './schema.js';

/*
 * The `.kubemend.yaml` that `kubemend init` writes: every setting at its default, each explained by a comment, so
 * that a team changes a line instead of looking keys up. Top-level keys the schema has and this template does not
 * know yet are listed as comments with their description, so new settings show up here without an edit.
 */

const KNOWN_KEYS = new Set(['profile', 'pssVersion', 'rules', 'codes', 'ignore', 'workloadKinds']);
const WIDTH = 116;

/** A description as `#` lines, wrapped to fit. */
function comment(text: string, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + 2 + line.length + 1 + word.length > WIDTH) {
      lines.push(`${indent}# ${line}`);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(`${indent}# ${line}`);
  return lines;
}

/** `key: value` at `indent`; JSON is YAML, so defaults read back as the same values. A list takes a line per item. */
function setting(indent: string, key: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) return [`${indent}${key}: ${JSON.stringify(value ?? null)}`];
  return [`${indent}${key}:`, ...value.map((item) => `${indent}  - ${JSON.stringify(item)}`)];
}

function ruleLines(rule: Rule): string[] {
  const options = Object.entries(rule.meta.options ?? {});
  const lines = comment(rule.meta.description, '  ');
  if (options.length === 0) return [...lines, `  ${rule.meta.id}: on`];
  lines.push(`  ${rule.meta.id}:`, '    options:');
  for (const [name, option] of options)
    lines.push(...comment(option.description, '      '), ...setting('      ', name, option.default));
  return lines;
}

function schemaDescription(key: string): string {
  const properties = (configSchema() as { properties: Record<string, { description?: string }> }).properties;
  return properties[key]?.description ?? '';
}

/** The commented `.kubemend.yaml` with every default, which validates against schemas/kubemend-config.schema.json. */
export function configTemplate(): string {
  const properties = Object.keys((configSchema() as { properties: Record<string, unknown> }).properties);
  const lines = [
    '# yaml-language-server: $schema=./node_modules/kubemend/schemas/kubemend-config.schema.json',
    '# kubemend configuration, written by `kubemend init` with every default. Change what your team needs; the',
    '# README ("Configuration") explains each key, and `kubemend explain <rule>` each rule.',
    '',
    ...comment(`${schemaDescription('profile')} One of: ${PROFILES.join(', ')}.`),
    'profile: kubeaudit',
    ...comment(`${schemaDescription('pssVersion')} One of: latest, ${PSS_VERSIONS[1]} to ${PSS_VERSIONS.at(-1)}.`),
    'pssVersion: latest',
    '',
    ...comment(schemaDescription('rules')),
    'rules:',
    "  # kubeaudit's rules (profile kubeaudit)",
    ...RULES.flatMap(ruleLines),
    '  # The Pod Security Standards controls (profiles pss-baseline, pss-restricted and auto)',
    ...PSS_RULES.flatMap(ruleLines),
    '  # What kubemend says about suppression comments and annotations (every profile)',
    ...ENGINE_RULES.flatMap(ruleLines),
    '',
    ...comment(schemaDescription('codes')),
    '# codes:',
    '#   PrivilegedNil: off',
    '#   AutomountServiceAccountTokenDeprecated: info',
    '',
    ...comment(schemaDescription('ignore')),
    'ignore: []',
    '# ignore:',
    '#   - vendor/',
    '#   - "**/templates/"   # unrendered Helm charts: lint `helm template` output instead',
    '',
    ...comment(schemaDescription('workloadKinds')),
    '# workloadKinds:',
    '#   - kind: CloneSet',
    '#     apiVersion: apps.kruise.io',
    '#     templatePath: spec.template',
  ];
  for (const key of properties.filter((name) => !KNOWN_KEYS.has(name)))
    lines.push('', ...comment(schemaDescription(key)), `# ${key}:`);
  return `${lines.join('\n')}\n`;
}
