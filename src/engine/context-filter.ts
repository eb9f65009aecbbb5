import { scanDocuments } from '../load/document-scan.js';
import type { ResourceSetRule, Rule } from './types.js';

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
  /** The documents that may hold a kind some cross-file rule needs; empty when none may. */
  cut(text: string): ContextPiece[];
  /** A quicker first look, at a file's bytes before they are decoded: false when `cut` would surely find nothing. */
  mayMatter(bytes: Uint8Array): boolean;
  /** Whether `cut` finds something, without cutting. */
  mentions(text: string): boolean;
  kindMatters(kind: string): boolean;
}

/** Bytes that may stand right before a kind's name where a document says `kind: X` (in YAML or JSON). */
const BEFORE_KIND = new Set([' ', '\t', ':', '"', "'"].map((char) => char.charCodeAt(0)));

/**
 * Most files of a project hold none of the kinds cross-file rules need, and big files (an install bundle) hold
 * few: a look at each document's text for those kinds (in any YAML or JSON spelling) spares parsing the rest, which
 * is nearly all of a context's cost.
 */
export function contextFilterOf(rules: readonly Rule[]): ContextFilter {
  const setRules = rules.filter((rule): rule is ResourceSetRule => rule.kind === 'resource-set');
  if (setRules.length === 0) {
    return {
      needsContext: false,
      cut: () => [],
      mayMatter: () => false,
      mentions: () => false,
      kindMatters: () => false,
    };
  }
  if (setRules.some((rule) => rule.contextKinds === undefined)) {
    return {
      needsContext: true,
      cut: (text) => [{ text, line: 1, firstIndex: 0 }],
      mayMatter: () => true,
      mentions: () => true,
      kindMatters: () => true,
    };
  }
  const kinds = new Set(setRules.flatMap((rule) => rule.contextKinds ?? []));
  const mention = new RegExp(`\\bkind['"]?\\s*:\\s*['"]?(?:${[...kinds].join('|')})\\b`);
  const names = [...kinds].map((kind) => Buffer.from(kind));
  return {
    needsContext: kinds.size > 0,
    cut: (text) => documentsMentioning(text, mention, kinds),
    mentions: (text) => mention.test(text),
    // Manifests are UTF-8 (decoding refuses anything else), so a kind named in the text is these bytes in the file.
    mayMatter: (bytes) => {
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return names.some((name) => namesKind(buffer, name));
    },
    kindMatters: (kind) => kinds.has(kind),
  };
}

/**
 * Whether `name` stands in `buffer` as a whole word after a space, quote or colon. Nearly every CRD says `scope:
 * Namespaced`, and descriptions mention kinds in passing: only the spelling `kind: Namespace` is worth decoding for.
 */
function namesKind(buffer: Buffer, name: Buffer): boolean {
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

function documentsMentioning(text: string, mention: RegExp, kinds: ReadonlySet<string>): ContextPiece[] {
  if (!mention.test(text)) return [];
  const documents = scanDocuments(text);
  if (documents === undefined) return [{ text, line: 1, firstIndex: 0 }];
  // A document whose kind the text does not show plainly (JSON, flow style, a List's items) is parsed if it may hold one.
  const matters = (kind: string | undefined, document: string) =>
    kind !== undefined && !kind.endsWith('List') ? kinds.has(kind) : mention.test(document);
  return documents
    .filter((document) => matters(document.kind, document.text))
    .map((document) => ({ text: document.text, line: document.line, firstIndex: document.index }));
}
