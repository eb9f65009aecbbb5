import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NodePath } from '../../load/nodes.js';
import { STDIN_NAME } from '../../load/read.js';
import { CONTAINER_LISTS } from '../../load/workloads.js';
import type { FileResult, Finding } from '../types.js';

/*
 * The baseline: the findings a repository had when it adopted kubemend, accepted so that only new ones fail.
 * A finding is identified without line numbers and container indexes: rule, code, resource (kind, namespace, name),
 * container name and field path, in a file relative to the baseline file; then, for files that moved, without the
 * file. Entries count, so a second identical problem is new. The file is sorted JSON, one entry per line.
 */

export const BASELINE_FILE_NAME = '.kubemend-baseline.json';
const BASELINE_VERSION = 1;

export interface BaselineEntry {
  /** Relative to the baseline file's folder, with `/`; `<stdin>` for standard input. */
  file: string;
  rule: string;
  code: string;
  kind: string;
  namespace: string | null;
  name: string | null;
  container: string | null;
  field: string | null;
  count: number;
}

export interface BaselineOutcome {
  /** Findings the baseline accepted. */
  matched: number;
  /** Findings it did not. */
  new: number;
  /** Entries (with the count of findings) that no longer occur: their file was linted (without errors), or is gone. */
  stale: BaselineEntry[];
  /** Entries of files this run did not lint: still valid, kept when the baseline is written again. */
  unchecked: BaselineEntry[];
  /** The findings of this run as entries. */
  current: BaselineEntry[];
}

const CONTAINER_LIST_KEYS = new Set(CONTAINER_LISTS.map(({ key }) => key));

/**
 * A finding's field from its resource's root, each container written `containers[]`: the container's name is kept
 * beside it, so reordering containers changes nothing.
 */
export function fieldPathOf(nodePath: NodePath, resourcePath: NodePath): string {
  const inResource = resourcePath.every((segment, index) => nodePath[index] === segment);
  const own = inResource ? nodePath.slice(resourcePath.length) : nodePath;
  let text = '';
  own.forEach((segment, index) => {
    if (typeof segment === 'number') text += CONTAINER_LIST_KEYS.has(String(own[index - 1])) ? '[]' : `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  });
  return text;
}

type Identity = Omit<BaselineEntry, 'file' | 'count'>;

function identityOf(finding: Finding): Identity {
  const { kind, namespace, name } = finding.resource;
  return {
    rule: finding.rule,
    code: finding.code,
    kind,
    namespace,
    name,
    container: finding.container,
    field: finding.field ?? null,
  };
}

function identityKey(identity: Identity): string {
  return JSON.stringify([
    identity.rule,
    identity.code,
    identity.kind,
    identity.namespace,
    identity.name,
    identity.container,
    identity.field,
  ]);
}

function entryKey(entry: Omit<BaselineEntry, 'count'>): string {
  return `${entry.file}\n${identityKey(entry)}`;
}

interface Slot {
  entry: BaselineEntry;
  left: number;
}

interface Matching {
  slots: Slot[];
  linted: Set<string>;
  current: Map<string, BaselineEntry>;
  matched: number;
  new: number;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * A baseline file's entries, matched against a run's findings by the engine (`accept`), once all rules have
 * reported. In `record` mode (--write-baseline) it accepts every finding and remembers them as the new entries.
 */
export class Baseline {
  private matching: Matching | undefined;

  constructor(
    readonly entries: readonly BaselineEntry[],
    private readonly options: {
      /** The baseline file's folder: entries' files are relative to it. */
      dir: string;
      /** The baseline file as the user knows it, for the suppression's reason. */
      name: string;
      record?: boolean;
    },
  ) {}

  get reason(): string {
    return `listed in the baseline ${this.options.name}`;
  }

  private fileOf(file: string): string {
    return file === STDIN_NAME
      ? STDIN_NAME
      : path.relative(this.options.dir, path.resolve(file)).split(path.sep).join('/');
  }

  /** The findings the baseline accepts: first those listed for their own file, then those of files that moved. */
  accept(results: readonly FileResult[]): Set<Finding> {
    const slots = this.entries.map((entry) => ({ entry, left: entry.count }));
    const exact = new Map<string, Slot[]>();
    const anyFile = new Map<string, Slot[]>();
    for (const slot of slots) {
      push(exact, entryKey(slot.entry), slot);
      push(anyFile, identityKey(slot.entry), slot);
    }
    const take = (candidates: Slot[] | undefined) => {
      const slot = candidates?.find((candidate) => candidate.left > 0);
      if (slot) slot.left--;
      return slot !== undefined;
    };
    const accepted = new Set<Finding>();
    const moved: Finding[] = [];
    const matching: Matching = { slots, linted: new Set(), current: new Map(), matched: 0, new: 0 };
    for (const result of results) {
      const file = this.fileOf(result.file);
      // A file that could not be read completely keeps its entries: its findings may only be hidden today.
      if (result.errors.length === 0) matching.linted.add(file);
      for (const finding of result.findings) {
        const entry = { file, ...identityOf(finding), count: 1 };
        const key = entryKey(entry);
        const seen = matching.current.get(key);
        if (seen) seen.count++;
        else matching.current.set(key, entry);
        if (take(exact.get(key))) accepted.add(finding);
        else moved.push(finding);
      }
    }
    for (const finding of moved) if (take(anyFile.get(identityKey(identityOf(finding))))) accepted.add(finding);
    if (this.options.record) for (const result of results) for (const finding of result.findings) accepted.add(finding);
    matching.matched = accepted.size;
    matching.new = [...matching.current.values()].reduce((sum, entry) => sum + entry.count, 0) - accepted.size;
    this.matching = matching;
    return accepted;
  }

  /** What the last `accept` found. */
  outcome(): BaselineOutcome {
    const matching = this.matching;
    if (!matching) throw new Error('the baseline was not matched against a run');
    const left = matching.slots.filter((slot) => slot.left > 0).map((slot) => ({ ...slot.entry, count: slot.left }));
    const isStale = (entry: BaselineEntry) =>
      matching.linted.has(entry.file) || !existsSync(path.resolve(this.options.dir, entry.file));
    return {
      matched: matching.matched,
      new: matching.new,
      stale: left.filter(isStale),
      unchecked: left.filter((entry) => !isStale(entry)),
      current: [...matching.current.values()],
    };
  }
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const fields = (entry: BaselineEntry) => [
    entry.file,
    entry.kind,
    entry.namespace ?? '',
    entry.name ?? '',
    entry.container ?? '',
    entry.rule,
    entry.code,
    entry.field ?? '',
  ];
  const [left, right] = [fields(a), fields(b)];
  for (let index = 0; index < left.length; index++) {
    if (left[index]! !== right[index]!) return left[index]! < right[index]! ? -1 : 1;
  }
  return 0;
}

/** The baseline file's text: entries merged and sorted, one per line, so that it diffs well in review. */
export function serializeBaseline(entries: readonly BaselineEntry[]): string {
  const merged = new Map<string, BaselineEntry>();
  for (const entry of entries) {
    const key = entryKey(entry);
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, count: seen.count + entry.count } : { ...entry });
  }
  const lines = [...merged.values()]
    .sort(compareEntries)
    .map(({ file, rule, code, kind, namespace, name, container, field, count }) => {
      return `    ${JSON.stringify({ file, rule, code, kind, namespace, name, container, field, count })}`;
    });
  const list = lines.length === 0 ? '[]' : `[\n${lines.join(',\n')}\n  ]`;
  return `{\n  "version": ${BASELINE_VERSION},\n  "entries": ${list}\n}\n`;
}

const nullableString = { type: ['string', 'null'] };
const BASELINE_SCHEMA = {
  type: 'object',
  required: ['version', 'entries'],
  properties: {
    version: { const: BASELINE_VERSION },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['file', 'rule', 'code', 'kind', 'namespace', 'name', 'container', 'field', 'count'],
        properties: {
          file: { type: 'string' },
          rule: { type: 'string' },
          code: { type: 'string' },
          kind: { type: 'string' },
          namespace: nullableString,
          name: nullableString,
          container: nullableString,
          field: nullableString,
          count: { type: 'integer', minimum: 1 },
        },
      },
    },
  },
};

/** A baseline file's entries; throws an Error saying what is wrong (for a person) when it is not one. */
export async function parseBaseline(text: string): Promise<BaselineEntry[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > BASELINE_VERSION) {
    throw new Error(`written by a newer kubemend (baseline version ${version}): upgrade kubemend`);
  }
  const { Ajv } = await import('ajv');
  const validate = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(BASELINE_SCHEMA);
  if (!validate(data)) {
    const error = validate.errors![0]!;
    throw new Error(
      `not a kubemend baseline: ${error.instancePath ? `${error.instancePath.slice(1).replaceAll('/', '.')} ` : ''}${error.message ?? 'is wrong'}`,
    );
  }
  return (data as { entries: BaselineEntry[] }).entries;
}
