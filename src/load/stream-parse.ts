import { Composer, type CST, type Document } from 'yaml';
import { buildDocument, COMPOSE_OPTIONS } from './cst-compose.js';
import { cstTokens } from './cst-tokens.js';
import { composesQuietly, documentEndIsPlain, documentType, QUIET_TOKENS } from './cst-document.js';
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
  // A template is composed whole: its "{{ }}" are reported from the AST. Documents parsed already are all given.
  const indexes = helm === undefined && !parsed ? [] : undefined;
  let composed = 0;
  // The composer's documents, in stream order: those the loader's checks refuse become errors.
  function* checked(docs: Iterable<Document.Parsed>): Generator<{ index: number; doc: Document.Parsed }> {
    for (const doc of docs) {
      const index = indexes ? indexes[composed]! : composed;
      composed++;
      const problem = documentProblem(doc, text, lines, helm);
      if (problem) errors.push(problem);
      else yield { index, doc };
    }
  }
  if (parsed) {
    yield* checked(parsed);
  } else {
    const composer = new Composer(COMPOSE_OPTIONS);
    const tokens = cstTokens(text);
    for (const item of indexes ? planned(tokens, reads, indexes) : tokens) {
      if (item.type !== 'built') {
        yield* checked(composer.next(item));
        continue;
      }
      // A built document comes after those the composer holds: they go first. It needs no check: vetted on the
      // CST, it has no syntax error, alias or tag, and is nested far less deep than documentProblem's limit.
      yield* checked(composer.end());
      yield { index: item.index, doc: item.doc };
    }
    yield* checked(composer.end());
  }
  const kept = dedupeErrors(errors);
  errors.length = 0;
  for (const error of kept) errors.push(error);
}

/** A document built from its CST (cst-compose.ts), with its stream index. */
interface BuiltDocument {
  type: 'built';
  index: number;
  doc: Document.Parsed;
}

/**
 * The parser's tokens for the composer, without the documents it need not see: those nobody reads that composing
 * would find nothing wrong with are left out, those read that it would find nothing wrong with are built from the
 * CST. `indexes` gets the stream index of each document passed on to the composer, in order. A document left out or
 * built takes with it what the composer would have given it: the tokens up to its last `...`. If anything else
 * follows it (an error, a directive), it is passed on after all, with the rest of the stream.
 */
function* planned(
  tokens: Iterable<CST.Token>,
  reads: ReadsType | undefined,
  indexes: number[],
): Generator<CST.Token | BuiltDocument> {
  let count = 0;
  let held: { document: CST.Document; index: number; after: CST.Token[]; build: boolean } | undefined;
  let composeAll = false;
  for (const token of tokens) {
    if (held) {
      if (token.type !== 'document' && (QUIET_TOKENS.has(token.type) || isPlainEnd(token))) {
        held.after.push(token);
        continue;
      }
      const { document, index, after, build } = held;
      held = undefined;
      const built = token.type === 'document' && build ? buildDocument(document, after) : undefined;
      if (built) yield { type: 'built', index, doc: built };
      if (token.type === 'document' && (built || !build)) {
        yield* after.slice(lastEndIn(after) + 1);
      } else {
        indexes.push(index);
        yield document;
        yield* after;
        if (token.type !== 'document') composeAll = true;
      }
    }
    if (token.type === 'document') {
      const index = count++;
      const plan = composeAll ? 'compose' : planFor(token, reads);
      if (plan !== 'compose') {
        held = { document: token, index, after: [], build: plan === 'build' };
        continue;
      }
      indexes.push(index);
    } else if (!QUIET_TOKENS.has(token.type) && token.type !== 'doc-end') {
      composeAll = true;
    }
    yield token;
  }
  if (!held?.build) return;
  const built = buildDocument(held.document, held.after);
  if (built) {
    yield { type: 'built', index: held.index, doc: built };
    return;
  }
  indexes.push(held.index);
  yield held.document;
  yield* held.after;
}

function isPlainEnd(token: CST.Token): boolean {
  return token.type === 'doc-end' && documentEndIsPlain(token);
}

function lastEndIn(tokens: readonly CST.Token[]): number {
  for (let at = tokens.length - 1; at >= 0; at--) if (tokens[at]!.type === 'doc-end') return at;
  return -1;
}

/**
 * What becomes of a document: built from the CST when someone reads its type (or composed, when building finds it is
 * not plain); left out when nobody does and the CST alone can vouch for it; composed otherwise.
 */
function planFor(document: CST.Document, reads: ReadsType | undefined): 'compose' | 'build' | 'skip' {
  const type = reads && documentType(document);
  if (!type) return 'build';
  const { apiVersion, kind } = type;
  // Without both, the document holds no object (see resources.ts); a List's objects may be of any type.
  const read = apiVersion !== undefined && kind !== undefined && (kind.endsWith('List') || reads!(apiVersion, kind));
  if (read) return 'build';
  return composesQuietly(document) ? 'skip' : 'compose';
}
