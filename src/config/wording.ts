import type { ErrorObject } from 'ajv';
import type { NodePath } from '../load/nodes.js';
import { ConfigError, formatIssue, type ConfigIssue } from '../engine/config-issue.js';
import { didYouMean } from '../engine/did-you-mean.js';
import { issueAt, type Source } from './source.js';
import { validatorFor } from './validators.js';

// ajv's errors, turned into one message per problem that names the key and says what is accepted there.

type RuleIds = ReadonlySet<string>;

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

function unknownKeyProblem(parent: NodePath, key: string, candidates: readonly string[], rules: RuleIds): string {
  const last = parent[parent.length - 1];
  const isRuleMap = parent.length === 1 && (last === 'rules' || last === 'enabledAuditors' || last === 'auditors');
  const noun = isRuleMap
    ? 'rule'
    : parent.length === 1 && last === 'codes'
      ? 'code'
      : last === 'options' || (parent.length === 2 && parent[0] === 'auditors')
        ? 'option'
        : 'key';
  if (noun === 'rule' && last === 'auditors' && rules.has(key)) return `the ${key} rule takes no options`;
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

function explainOne(error: ErrorObject, data: unknown, rules: RuleIds): Explained {
  const keyPath = parsePointer(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const parentSchema = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
      return {
        keyPath: [...keyPath, key],
        problem: unknownKeyProblem(keyPath, key, Object.keys(parentSchema?.properties ?? {}), rules),
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
function explain(errors: readonly ErrorObject[], data: unknown, rules: RuleIds): Explained[] {
  const inside = (error: ErrorObject, anyOf: ErrorObject) => error.schemaPath.startsWith(`${anyOf.schemaPath}/`);
  const anyOfs = errors.filter((error) => error.keyword === 'anyOf');
  const top = errors.filter((error) => !anyOfs.some((anyOf) => anyOf !== error && inside(error, anyOf)));
  return top.flatMap((error) => {
    if (error.keyword !== 'anyOf') return [explainOne(error, data, rules)];
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
    if (fitting) return explain(fitting, data, rules);
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

/**
 * Validates the file against its schema; throws a ConfigError with one problem per key, in the words of
 * `explain`, each placed at its line and column. `rules` are the ids of every rule, for the wording.
 */
export async function validate(source: Source, schema: Record<string, unknown>, rules: RuleIds): Promise<void> {
  const validator = await validatorFor(schema);
  if (validator(source.data)) return;
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const { keyPath, problem, atKey } of explain(validator.errors ?? [], source.data, rules)) {
    const issue = issueAt(source, keyPath, problem, atKey);
    const id = formatIssue(issue);
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue);
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw new ConfigError(issues);
}
