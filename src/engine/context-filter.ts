import type { ResourceSetRule, Rule } from './types.js';

/** The documents of a file that matter to context, as one text, and where its lines were in the file. */
export interface ContextCut {
  text: string;
  /** The file's line number of each line of `text` (index 0: line 1). */
  lines: number[];
}

/** What a lint run needs of the project's other files (see LintRun.addContext). */
export interface ContextFilter {
  /** Whether any rule of the run reads context at all. */
  needsContext: boolean;
  /**
   * The documents that may hold a kind some cross-file rule needs, each other document reduced to `~` (so document
   * indices stay); undefined when no document may.
   */
  cut(text: string): ContextCut | undefined;
  /** A quicker first look, at a file's bytes before they are decoded: false when `cut` would surely find nothing. */
  mayMatter(bytes: Uint8Array): boolean;
  /** Whether `cut` finds something, without cutting. */
  mentions(text: string): boolean;
  kindMatters(kind: string): boolean;
}

/** Lines `---` that start a document and hold nothing else, with their line break. */
const BARE_MARKERS = /^---[ \t]*(?:#[^\n]*)?(?:\r?\n|(?![\s\S]))/gm;
/** Lines that make a text-level split unsafe: a marker with content, a document end, a directive. */
const UNUSUAL_MARKER = /^(?:---[ \t]*[^\s#]|\.\.\.|%)/m;
const HAS_CONTENT = /^[ \t]*[^\s#]/m;
/** The kind of a document in block style: its line at column 0. */
const TOP_LEVEL_KIND = /^kind:[ \t]*['"]?([^\s'"#]*)/m;

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
      cut: () => undefined,
      mayMatter: () => false,
      mentions: () => false,
      kindMatters: () => false,
    };
  }
  if (setRules.some((rule) => rule.contextKinds === undefined)) {
    return { needsContext: true, cut: whole, mayMatter: () => true, mentions: () => true, kindMatters: () => true };
  }
  const kinds = new Set(setRules.flatMap((rule) => rule.contextKinds ?? []));
  const mention = new RegExp(`\\bkind['"]?\\s*:\\s*['"]?(?:${[...kinds].join('|')})\\b`);
  // A block-style document says its kind at column 0 (a List's items are further in); JSON and flow style do not.
  const matters = (document: string) => {
    const kind = TOP_LEVEL_KIND.exec(document)?.[1];
    return kind !== undefined && !kind.endsWith('List') ? kinds.has(kind) : mention.test(document);
  };
  const names = [...kinds].map((kind) => Buffer.from(kind));
  return {
    needsContext: kinds.size > 0,
    cut: (text) => documentsMentioning(text, mention, matters),
    mentions: (text) => mention.test(text),
    // Manifests are UTF-8 (decoding refuses anything else), so a kind named in the text is these bytes in the file.
    mayMatter: (bytes) =>
      names.some((name) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(name)),
    kindMatters: (kind) => kinds.has(kind),
  };
}

function whole(text: string): ContextCut {
  return { text, lines: text.split('\n').map((_, index) => index + 1) };
}

function documentsMentioning(
  text: string,
  mention: RegExp,
  matters: (document: string) => boolean,
): ContextCut | undefined {
  if (!mention.test(text)) return undefined;
  if (UNUSUAL_MARKER.test(text)) return whole(text);
  /** Whole lines of the cut, each with the file's line number of its first line. */
  const pieces: { text: string; line: number }[] = [];
  let line = 1;
  const addDocument = (document: string) => {
    // `~` keeps an emptied document in its place: an empty one before the first marker would not count as one.
    if (matters(document) || !HAS_CONTENT.test(document)) pieces.push({ text: document, line });
    else pieces.push({ text: document.endsWith('\n') ? '~\n' : '~', line });
    line += countLineBreaks(document);
  };
  let start = 0;
  for (const marker of text.matchAll(BARE_MARKERS)) {
    addDocument(text.slice(start, marker.index));
    pieces.push({ text: marker[0], line });
    line += countLineBreaks(marker[0]);
    start = marker.index + marker[0].length;
  }
  addDocument(text.slice(start));
  const lines: number[] = [];
  for (const piece of pieces) {
    const count = countLineBreaks(piece.text) + (piece.text.endsWith('\n') || piece.text === '' ? 0 : 1);
    for (let index = 0; index < count; index++) lines.push(piece.line + index);
  }
  return { text: pieces.map((piece) => piece.text).join(''), lines };
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
