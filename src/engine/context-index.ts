import { scanDocuments } from '../load/document-scan.js';
import { objectKeyOf, type ObjectKey } from '../load/object-key.js';
import { decodeManifest } from '../load/text.js';
import { hasSpellingEscape, kindMention, namesKind, queryMatches, SPELLING_ESCAPE } from './context-filter.js';
import type { ContextQuery } from './types.js';

/*
 * What a file of the project can give project context, for the context cache: its objects of the kinds cross-file
 * rules read, or "always" when only reading it can tell. Decided by the look at bytes and text that the context
 * filter (context-filter.ts) takes, so that a file the index rules out is one the filter would have passed by for
 * any query of those kinds; the objects themselves are read from the CST (load/object-key.ts).
 */

/** A file's objects of the indexed kinds; `'always'` when the file is read for every query. */
export type FileObjects = readonly ObjectKey[] | 'always';

/** The objects of `kinds` that the file of `bytes` holds, as far as a query of project context could match them. */
export function fileObjects(bytes: Uint8Array, kinds: readonly string[]): FileObjects {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A kind spelled with an escape is not in the bytes as itself: such a file is looked into document by document.
  const escaped = hasSpellingEscape(buffer);
  // Most files name none of the kinds: the bytes tell, before any text is made of them.
  if (!escaped && !kinds.some((kind) => namesKind(buffer, Buffer.from(kind)))) return [];
  const asBytes = !buffer.includes(LINE_SEPARATOR) && !buffer.includes(PARAGRAPH_SEPARATOR);
  let text: string;
  try {
    // Kinds and document markers are ASCII, and no byte of a multi-byte UTF-8 character is: read as latin1, the
    // bytes have the text's lines, documents and `kind:` words, and only the documents that matter are decoded. A
    // file holding U+2028 or U+2029 (line breaks to JavaScript's `^`, not to YAML) is decoded whole, as for the cut.
    text = asBytes ? buffer.toString('latin1') : decodeManifest(bytes).text;
  } catch {
    return []; // Context passes by a file it cannot decode.
  }
  const mention = kindMention(kinds);
  if (!escaped && !mention.test(text)) return [];
  const documents = scanDocuments(text);
  if (documents === undefined) return 'always';
  const wanted = new Set(kinds);
  const objects: ObjectKey[] = [];
  for (const { kind, text: documentText } of documents) {
    // As the filter's cut: a kind shown plainly is the document's; a List, or a kind not shown so, is looked into.
    const shown = kind !== undefined && !kind.endsWith('List');
    if (shown ? !wanted.has(kind) : !mention.test(documentText) && !SPELLING_ESCAPE.test(documentText)) continue;
    // A List's items are objects too; the CST look reads the top level only.
    if (!shown && kind !== undefined) return 'always';
    let decoded: string;
    try {
      decoded = asBytes ? decodeManifest(Buffer.from(documentText, 'latin1')).text : documentText;
    } catch {
      return []; // The file cannot be decoded: context passes it by.
    }
    // The CST resolves escapes: a name or namespace spelled with one is read as the loader reads it.
    const key = objectKeyOf(decoded);
    if (key === undefined) return 'always';
    if (key !== null && wanted.has(key.kind)) objects.push(key);
  }
  return objects;
}

const LINE_SEPARATOR = Buffer.from('\u2028');
const PARAGRAPH_SEPARATOR = Buffer.from('\u2029');

/** Whether some query may match an object of the file. */
export function mayMatch(objects: FileObjects, queries: readonly ContextQuery[]): boolean {
  if (objects === 'always') return true;
  return objects.some((object) =>
    queries.some((query) =>
      queryMatches(query, object.kind, object.name, object.namespace, (label) => object.labels.includes(label)),
    ),
  );
}
