import { Composer, Parser, type CST, type Document } from 'yaml';
import { composesQuietly, documentEndIsPlain, documentType } from './cst-document.js';
import type { LocatedError } from './errors.js';
import { dedupeErrors, documentProblem, helmTemplateOffset, parseManifest, type ParsedManifest } from './parse.js';
import { LineIndex } from './positions.js';

/** A manifest read one document at a time: `errors` is complete once `documents` has been iterated to its end. */
export interface StreamedManifest extends Omit<ParsedManifest, 'documents'> {
  documents: Iterable<{ index: number; doc: Document.Parsed }>;
}

/** Whether some reader needs the objects of this type; a List's objects are always read. */
export type ReadsType = (apiVersion: string, kind: string) => boolean;

export interface StreamOptions {
  comments?: boolean;
  /**
   * Only the documents that hold an object of a type it accepts (and those the CST cannot vouch for) are composed
   * and given; the others are checked on the CST for everything the loader reports, and left out.
   */
  reads?: ReadsType;
  /** The text's documents, parsed already with the loader's options (by a fix verifying the text): not parsed again. */
  parsed?: readonly Document.Parsed[];
}

/**
 * Like `parseManifest`, but each document is parsed only when the iteration reaches it, so a caller that lets go of
 * a document before taking the next holds one AST at a time, however many documents the file has. A single
 * iteration only. With `comments`, every comment must be known before the first document is seen (a suppression
 * comment may sit anywhere), so the file is parsed at once, as `parseManifest` does.
 */
export function streamManifest(text: string, options: StreamOptions = {}): StreamedManifest {
  if (options.comments) return parseManifest(text, options);
  const lines = new LineIndex(text);
  const errors: LocatedError[] = [];
  return { documents: documentsOf(text, lines, errors, options.reads, options.parsed), errors, lines };
}

function* documentsOf(
  text: string,
  lines: LineIndex,
  errors: LocatedError[],
  reads: ReadsType | undefined,
  parsed: readonly Document.Parsed[] | undefined,
): Generator<{ index: number; doc: Document.Parsed }> {
  const helm = helmTemplateOffset(text);
  // A template is composed whole: its "{{ }}" are reported from the AST.
  const indexes = reads && helm === undefined && !parsed ? [] : undefined;
  let composed = 0;
  for (const doc of parsed ?? composeDocuments(text, reads, indexes)) {
    const index = indexes ? indexes[composed]! : composed;
    composed++;
    const problem = documentProblem(doc, text, lines, helm);
    if (problem) errors.push(problem);
    else yield { index, doc };
  }
  const kept = dedupeErrors(errors);
  errors.length = 0;
  for (const error of kept) errors.push(error);
}

function composeDocuments(text: string, reads: ReadsType | undefined, indexes: number[] | undefined) {
  const composer = new Composer({ uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  const tokens = new Parser().parse(text);
  return composer.compose(indexes ? withoutUnread(tokens, reads!, indexes) : tokens);
}

/** The top-level tokens that may follow a document and still leave it as it was. */
const QUIET_TOKENS = new Set(['space', 'newline', 'comment', 'byte-order-mark']);

/**
 * The parser's tokens without the documents nobody reads that composing would find nothing wrong with; `indexes`
 * gets the stream index of each document passed on, in order. A document left out takes with it what the composer
 * would have given it: the tokens up to its last `...`. If anything else follows it (an error, a directive), it is
 * passed on after all, with the rest of the stream.
 */
function* withoutUnread(tokens: Iterable<CST.Token>, reads: ReadsType, indexes: number[]): Generator<CST.Token> {
  let count = 0;
  let left: { document: CST.Document; index: number; after: CST.Token[] } | undefined;
  let composeAll = false;
  for (const token of tokens) {
    if (left) {
      if (token.type !== 'document' && (QUIET_TOKENS.has(token.type) || isPlainEnd(token))) {
        left.after.push(token);
        continue;
      }
      const { document, index, after } = left;
      left = undefined;
      if (token.type === 'document') {
        yield* after.slice(lastEndIn(after) + 1);
      } else {
        indexes.push(index);
        yield document;
        yield* after;
        composeAll = true;
      }
    }
    if (token.type === 'document') {
      const index = count++;
      if (!composeAll && !isRead(token, reads)) {
        left = { document: token, index, after: [] };
        continue;
      }
      indexes.push(index);
    } else if (!QUIET_TOKENS.has(token.type) && token.type !== 'doc-end') {
      composeAll = true;
    }
    yield token;
  }
}

function isPlainEnd(token: CST.Token): boolean {
  return token.type === 'doc-end' && documentEndIsPlain(token);
}

function lastEndIn(tokens: readonly CST.Token[]): number {
  for (let at = tokens.length - 1; at >= 0; at--) if (tokens[at]!.type === 'doc-end') return at;
  return -1;
}

/** Whether a document must be composed: someone reads its type, or its CST alone cannot vouch for it. */
function isRead(document: CST.Document, reads: ReadsType): boolean {
  const type = documentType(document);
  if (!type) return true;
  const { apiVersion, kind } = type;
  // Without both, the document holds no object (see resources.ts); a List's objects may be of any type.
  const read = apiVersion !== undefined && kind !== undefined && (kind.endsWith('List') || reads(apiVersion, kind));
  return read || !composesQuietly(document);
}
