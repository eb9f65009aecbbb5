import { scanDocuments } from '../load/document-scan.js';
import { resourceLabels, type Resource } from '../load/resources.js';
import type { ContextQuery, ResourceSetRule, Rule } from './types.js';

/** Documents of a context file to parse: their text alone, where it is in the file, and their index in its stream. */
export interface ContextPiece {
  text: string;
  /** The file's line number of the first line of `text`. */
  line: number;
  /** The stream index of the first document of `text`. */
  firstIndex: number;
}

/** What a lint run needs of the project's other files (see LintRun.addContext). */
export interface ContextFilter {
  /** Whether any rule of the run reads context at all. */
  needsContext: boolean;
  /** The documents that may hold an object some cross-file rule needs; empty when none may. */
  cut(text: string): ContextPiece[];
  /** A quicker first look, at a file's bytes before they are decoded: false when `cut` would surely find nothing. */
  mayMatter(bytes: Uint8Array): boolean;
  /** Whether `cut` may find something, without cutting. */
  mentions(text: string): boolean;
  /** Whether `rule` needs the facts of `resource`, of a document `cut` kept. */
  wants(rule: ResourceSetRule, resource: Resource): boolean;
  /** The objects needed, all of them; undefined when every object is (a rule that names no `contextKinds`). */
  queries: readonly ContextQuery[] | undefined;
}

/** What one rule needs: undefined for everything (a rule that names no `contextKinds`). */
type Needs = readonly ContextQuery[] | undefined;

/**
 * What the resource-set rules of `rules` need of the project's other files. With `factsOf` (the facts each rule
 * kept of the linted files), rules that declare `contextQueries` name the very objects they need; otherwise every
 * object of their `contextKinds` is needed. Most files of a project hold none of them, and big files (an install
 * bundle) hold few: a look at the bytes, then at each document's text, spares decoding and parsing the rest, which
 * is nearly all of a context's cost.
 */
export function contextFilterOf(
  rules: readonly Rule[],
  factsOf?: (rule: ResourceSetRule) => readonly unknown[],
): ContextFilter {
  const needs = new Map<ResourceSetRule, Needs>();
  for (const rule of rules) if (rule.kind === 'resource-set') needs.set(rule, needsOf(rule, factsOf));
  const wants = (rule: ResourceSetRule, resource: Resource) => {
    const queries = needs.get(rule);
    return queries === undefined ? needs.has(rule) : queries.some((query) => matches(query, resource));
  };
  const all = [...needs.values()];
  if (all.some((queries) => queries === undefined)) {
    return {
      needsContext: true,
      cut: (text) => [{ text, line: 1, firstIndex: 0 }],
      mayMatter: () => true,
      mentions: () => true,
      wants,
      queries: undefined,
    };
  }
  const queries = all.flatMap((queries) => queries ?? []);
  const probe = new QueryProbe(queries);
  return {
    needsContext: !probe.empty,
    cut: (text) => probe.cut(text),
    mayMatter: (bytes) => probe.mayMatter(bytes),
    mentions: (text) => probe.mentions(text),
    wants,
    queries,
  };
}

function needsOf(rule: ResourceSetRule, factsOf: ((rule: ResourceSetRule) => readonly unknown[]) | undefined): Needs {
  if (rule.contextKinds === undefined) return undefined;
  if (factsOf && rule.contextQueries) return rule.contextQueries(factsOf(rule));
  return rule.contextKinds.map((kind) => ({ kind }));
}

function matches(query: ContextQuery, resource: Resource): boolean {
  return queryMatches(query, resource.kind, resource.name, resource.namespace ?? '', (label) =>
    resourceLabels(resource).has(label),
  );
}

/** Whether `query` matches an object of this kind, name and namespace (`''` for none) that has the labels told. */
export function queryMatches(
  query: ContextQuery,
  kind: string,
  name: string | undefined,
  namespace: string,
  hasLabel: (label: string) => boolean,
): boolean {
  return (
    query.kind === kind &&
    (query.name === undefined || query.name === name) &&
    (query.namespace === undefined || query.namespace === namespace) &&
    (query.label === undefined || hasLabel(query.label))
  );
}

/** Bytes that may stand right before a kind's name where a document says `kind: X` (in YAML or JSON). */
const BEFORE_KIND = new Set([' ', '\t', ':', '"', "'"].map((char) => char.charCodeAt(0)));
const BACKSLASH = 0x5c;
/**
 * Escapes of a double-quoted string (YAML or JSON) that can spell a letter, digit, `-` or `.`, or join two lines:
 * a kind, name or namespace written with one is not in the text as itself, so a text holding one is read.
 */
export const SPELLING_ESCAPE = /\\[xuU]|\\\r?\n/;
/** More queries than this are not looked for one by one in a text: the parse and the exact match after it tell. */
const MAX_PROBED_QUERIES = 16;

/** Finds, in bytes and then in text, the documents that may hold an object some query matches. */
class QueryProbe {
  readonly empty: boolean;
  /** Per kind, the words (name, namespace, label) an object must show for some query of the kind to match it. */
  private readonly byKind = new Map<string, string[][]>();
  private readonly allQueries: string[][];
  private readonly kindBytes: { kind: string; bytes: Buffer }[];
  private readonly mention: RegExp;

  constructor(queries: readonly ContextQuery[]) {
    const keyed = new Map<string, Map<string, string[]>>();
    for (const query of queries) {
      const words = [query.name, query.namespace, query.label].filter(
        (word): word is string => word !== undefined && word !== '',
      );
      const ofKind = keyed.get(query.kind) ?? new Map<string, string[]>();
      keyed.set(query.kind, ofKind);
      // A query without words matches every object of its kind: the others of the kind need not be looked for.
      if (ofKind.has('')) continue;
      if (words.length === 0) ofKind.clear();
      ofKind.set(words.join('\n'), words);
    }
    for (const [kind, ofKind] of keyed) this.byKind.set(kind, [...ofKind.values()]);
    this.allQueries = [...this.byKind.values()].flat();
    this.empty = this.byKind.size === 0;
    this.kindBytes = [...this.byKind.keys()].map((kind) => ({ kind, bytes: Buffer.from(kind) }));
    this.mention = kindMention([...this.byKind.keys()]);
  }

  // Manifests are UTF-8 (decoding refuses anything else), so a word in the text is these bytes in the file.
  mayMatter(bytes: Uint8Array): boolean {
    if (this.empty) return false;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (hasSpellingEscape(buffer)) return true;
    return this.kindBytes.some(({ kind, bytes: name }) => {
      if (!namesKind(buffer, name)) return false;
      const queries = this.byKind.get(kind)!;
      return queries.length > MAX_PROBED_QUERIES || queries.some((words) => words.every((w) => buffer.includes(w)));
    });
  }

  mentions(text: string): boolean {
    if (this.empty) return false;
    if (SPELLING_ESCAPE.test(text)) return true;
    return this.mention.test(text) && this.anyShowsWords(text, this.allQueries);
  }

  cut(text: string): ContextPiece[] {
    if (!this.mentions(text)) return [];
    const documents = scanDocuments(text);
    if (documents === undefined) return [{ text, line: 1, firstIndex: 0 }];
    return documents
      .filter((document) => this.mayHold(document.kind, document.text))
      .map((document) => ({ text: document.text, line: document.line, firstIndex: document.index }));
  }

  /** A document whose kind the text does not show plainly (JSON, flow style, a List's items) is looked into whole. */
  private mayHold(kind: string | undefined, text: string): boolean {
    if (kind !== undefined && !kind.endsWith('List')) {
      // A kind the text shows plainly is the document's kind: only its name and namespace may hide behind escapes.
      const queries = this.byKind.get(kind);
      return queries !== undefined && (SPELLING_ESCAPE.test(text) || this.anyShowsWords(text, queries));
    }
    return this.mentions(text);
  }

  private anyShowsWords(text: string, queries: readonly string[][]): boolean {
    if (queries.length > MAX_PROBED_QUERIES) return true;
    return queries.some((words) => words.every((word) => text.includes(word)));
  }
}

/** Where a text says `kind: X` (in YAML or JSON) for one of `kinds`. */
export function kindMention(kinds: readonly string[]): RegExp {
  return new RegExp(`\\bkind['"]?\\s*:\\s*['"]?(?:${kinds.map(escapeRegExp).join('|')})\\b`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function hasSpellingEscape(buffer: Buffer): boolean {
  for (let at = buffer.indexOf(BACKSLASH); at !== -1; at = buffer.indexOf(BACKSLASH, at + 1)) {
    const next = buffer[at + 1];
    if (next === 0x78 || next === 0x75 || next === 0x55 || next === 0x0a) return true;
    if (next === 0x0d && buffer[at + 2] === 0x0a) return true;
  }
  return false;
}

/**
 * Whether `name` stands in `buffer` as a whole word after a space, quote or colon. Nearly every CRD says `scope:
 * Namespaced`, and descriptions mention kinds in passing: only the spelling `kind: Namespace` is worth decoding for.
 */
export function namesKind(buffer: Buffer, name: Buffer): boolean {
  for (let at = buffer.indexOf(name); at !== -1; at = buffer.indexOf(name, at + 1)) {
    const after = buffer[at + name.length];
    if (at > 0 && BEFORE_KIND.has(buffer[at - 1]!) && (after === undefined || !isWordByte(after))) return true;
  }
  return false;
}

function isWordByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x5f
  );
}
