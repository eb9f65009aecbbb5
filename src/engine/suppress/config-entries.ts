import { STDIN_NAME } from '../../load/read.js';
import type { NodePath } from '../../load/nodes.js';
import type { ConfigIssue } from '../config-issue.js';
import { pathBelow, withFolderContents } from '../../load/globs.js';
import type { Finding, Rule } from '../types.js';
import { hasExpired, isCalendarDate } from './dates.js';
import { NameBook, namesFinding } from './names.js';

/*
 * `suppressions:` and `suppressionPolicy:` of .kubemend.yaml: entries that accept findings by rule or code, and
 * optionally by files (globs relative to the config file), kinds, names, namespaces and containers.
 */

type JsonSchema = Record<string, unknown>;

export interface ConfigSuppression {
  /** Rule ids or codes. */
  rules: readonly string[];
  /** Whether a file, as results name it, is covered; every file when absent. */
  files?: (file: string) => boolean;
  kinds?: readonly string[];
  names?: readonly string[];
  namespaces?: readonly string[];
  containers?: readonly string[];
  reason: string | null;
  until: string | null;
}

/** What `suppressionPolicy` says, with the defaults filled in. */
export interface SuppressionPolicy {
  requireReason: boolean;
  /** Whether comments and annotations suppress anything. */
  inline: boolean;
  /** Rule ids and codes no comment or annotation may suppress (config entries still can). */
  unsuppressible: readonly string[];
}

export const DEFAULT_POLICY: SuppressionPolicy = { requireReason: true, inline: true, unsuppressible: [] };

function isListed(list: readonly string[] | undefined, value: string | null): boolean {
  return list === undefined || (value !== null && list.includes(value));
}

export function configCovers(entry: ConfigSuppression, file: string, finding: Finding): boolean {
  return (
    entry.rules.some((name) => namesFinding(name, finding)) &&
    (entry.files?.(file) ?? true) &&
    isListed(entry.kinds, finding.resource.kind) &&
    isListed(entry.names, finding.resource.name) &&
    isListed(entry.namespaces, finding.resource.namespace) &&
    isListed(entry.containers, finding.container)
  );
}

const strings = (description: string, minItems = 0) => ({
  description,
  type: 'array',
  ...(minItems ? { minItems } : {}),
  items: { type: 'string', minLength: 1 },
});

/** The keys of .kubemend.yaml this module reads, for the config's JSON Schema. */
export function suppressionConfigSchema(): Record<string, JsonSchema> {
  return {
    suppressions: {
      description:
        'Findings to accept, each entry by rule ids or codes and optional selectors (all must ' +
        'match), with the reason. Findings it accepts are reported as suppressed, not as problems.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rules'],
        properties: {
          rules: strings('Rule ids or codes, e.g. privileged or PrivilegedTrue.', 1),
          files: strings(
            'Glob patterns of files, relative to the folder of this file (a folder name covers everything below it).',
          ),
          kinds: strings('Kinds of the resources, e.g. DaemonSet.'),
          names: strings('metadata.name of the resources.'),
          namespaces: strings('metadata.namespace of the resources.'),
          containers: strings('Container names; pod-level findings have none, so they do not match.'),
          reason: {
            description: 'Why these findings are accepted (required unless suppressionPolicy.requireReason is false).',
            type: 'string',
            minLength: 1,
          },
          until: {
            description:
              'The last day the entry applies, YYYY-MM-DD; after it kubemend warns and reports the findings again.',
            type: 'string',
          },
        },
      },
    },
    suppressionPolicy: {
      description: 'What kubemend-disable comments and ignore.kubemend.io annotations may do.',
      type: 'object',
      additionalProperties: false,
      properties: {
        requireReason: {
          description:
            'A suppression without a reason does not apply and is reported as SuppressionInvalid. Default: true.',
          type: 'boolean',
        },
        inline: {
          description: 'false: ignore suppression comments and annotations (as --no-inline-config). Default: true.',
          type: 'boolean',
        },
        unsuppressible: strings(
          'Rule ids or codes that no comment or annotation may suppress; entries of suppressions: still can.',
        ),
      },
    },
    baseline: {
      description: 'The baseline file (relative to the folder of this file); setting it turns --baseline on.',
      type: 'string',
      minLength: 1,
    },
  };
}

interface RawEntry {
  rules: string[];
  files?: string[];
  kinds?: string[];
  names?: string[];
  namespaces?: string[];
  containers?: string[];
  reason?: string;
  until?: string;
}

export interface SuppressionConfigData {
  suppressions?: RawEntry[];
  suppressionPolicy?: Partial<SuppressionPolicy>;
}

export interface SuppressionConfig {
  entries: ConfigSuppression[];
  policy: SuppressionPolicy;
  /** Problems that make the config unusable. */
  errors: ConfigIssue[];
  /** Accepted, but worth telling: expired entries. */
  warnings: ConfigIssue[];
}

interface ReadContext {
  /** The folder of the config file: `files` patterns start there. */
  base: string;
  today: string;
  /** Every rule kubemend has, for checking names. */
  rules: readonly Rule[];
  issueAt(keyPath: NodePath, problem: string): ConfigIssue;
}

async function fileMatcher(base: string, patterns: readonly string[]): Promise<(file: string) => boolean> {
  const { default: micromatch } = await import('micromatch');
  const globs = withFolderContents(patterns);
  return (file) => {
    const relative = file === STDIN_NAME ? undefined : pathBelow(base, file);
    return relative !== undefined && micromatch.isMatch(relative, globs, { dot: true });
  };
}

/** Checks and resolves the suppression keys of a validated .kubemend.yaml. */
export async function readSuppressionConfig(
  data: SuppressionConfigData,
  context: ReadContext,
): Promise<SuppressionConfig> {
  const names = new NameBook(context.rules, []);
  const policy: SuppressionPolicy = { ...DEFAULT_POLICY, ...data.suppressionPolicy };
  const result: SuppressionConfig = { entries: [], policy, errors: [], warnings: [] };
  const checkNames = (list: readonly string[], keyPath: NodePath) =>
    list.forEach((name, index) => {
      if (names.isKnown(name)) return;
      const suggestion = names.suggest(name);
      result.errors.push(
        context.issueAt(
          [...keyPath, index],
          `unknown rule or code "${name}"${suggestion ? `; did you mean ${suggestion}?` : ''}`,
        ),
      );
    });
  checkNames(policy.unsuppressible, ['suppressionPolicy', 'unsuppressible']);
  for (const [index, raw] of (data.suppressions ?? []).entries()) {
    const at: NodePath = ['suppressions', index];
    checkNames(raw.rules, [...at, 'rules']);
    if (raw.reason === undefined && policy.requireReason) {
      result.errors.push(
        context.issueAt(
          at,
          'reason is missing: say why these findings are accepted (or set suppressionPolicy.requireReason: false)',
        ),
      );
    }
    if (raw.until !== undefined && !isCalendarDate(raw.until)) {
      result.errors.push(context.issueAt([...at, 'until'], `must be a date written YYYY-MM-DD, not "${raw.until}"`));
    } else if (raw.until !== undefined && hasExpired(raw.until, context.today)) {
      result.warnings.push(
        context.issueAt(
          [...at, 'until'],
          `expired on ${raw.until}: the entry no longer suppresses anything; fix its findings or move the date`,
        ),
      );
    }
    const { files, reason, until, ...selectors } = raw;
    result.entries.push({
      ...selectors,
      ...(files ? { files: await fileMatcher(context.base, files) } : {}),
      reason: reason ?? null,
      until: until ?? null,
    });
  }
  return result;
}
