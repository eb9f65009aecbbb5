/*
 * A look at a YAML stream's text, without parsing it: where each document is and which `kind` it says it is. It
 * serves those who need a few documents of many (project context needs Namespaces, NetworkPolicies and
 * ServiceAccounts): they parse only those. When the text alone cannot tell, it says so and the caller parses.
 */

/** One document of a stream, as its text shows it. */
export interface ScannedDocument {
  /** Its position in the stream, as the parser counts documents. */
  index: number;
  /** Its text, from the line after its `---` (or the stream's start) to its end. */
  text: string;
  /** The file's line number of the first line of `text`. */
  line: number;
  /** Where `text` starts in the stream's text. */
  start: number;
  /**
   * The kind a block mapping gives at its top level (`kind: Namespace` at column 0); undefined when the document does
   * not say it that way (JSON, flow style, a tag or anchor on the value, no kind at all): only a parse can tell then.
   */
  kind: string | undefined;
}

/** Lines `---` that start a document and hold nothing else, with their line break. */
const BARE_MARKERS = /^---[ \t]*(?:#[^\n]*)?(?:\r?\n|(?![\s\S]))/gm;
/** Lines that make a text-level split unsafe: a marker with content, a document end, a directive. */
const UNUSUAL_MARKER = /^(?:---[ \t]*[^\s#]|\.\.\.|%)/m;
const HAS_CONTENT = /^[ \t]*[^\s#]/m;
/** A plain kind at column 0; a value that starts otherwise (a quote, a tag, an anchor, nothing) is left to the parser. */
const TOP_LEVEL_KIND = /^kind:[ \t]*(?:(['"]?)([A-Za-z][\w.-]*)\1[ \t]*(?:#[^\n]*)?\r?$|[^\n]*$)/m;

/**
 * The documents of `text` in stream order; undefined when its markers are not all bare `---` lines (a `...`, a
 * directive, content after `---`), where only the parser knows where documents start. Text before the first
 * marker is a document only when it holds more than comments, as for the parser; every marker starts one.
 */
export function scanDocuments(text: string): ScannedDocument[] | undefined {
  if (UNUSUAL_MARKER.test(text)) return undefined;
  const documents: ScannedDocument[] = [];
  let line = 1;
  let start = 0;
  const add = (end: number, markerBefore: boolean) => {
    const body = text.slice(start, end);
    if (markerBefore || HAS_CONTENT.test(body))
      documents.push({ index: documents.length, text: body, line, start, kind: TOP_LEVEL_KIND.exec(body)?.[2] });
    line += countLineBreaks(body);
  };
  let marked = false;
  for (const marker of text.matchAll(BARE_MARKERS)) {
    add(marker.index, marked);
    line += countLineBreaks(marker[0]);
    start = marker.index + marker[0].length;
    marked = true;
  }
  add(text.length, marked);
  return documents;
}

export function countLineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
