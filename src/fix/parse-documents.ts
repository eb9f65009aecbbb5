import { Composer, type Document } from 'yaml';
import { COMPOSE_OPTIONS } from '../load/cst-compose.js';
import { cstTokens } from '../load/cst-tokens.js';
import { streamManifest } from '../load/stream-parse.js';

/*
 * How the fix parses what it makes: every document as yaml's Composer gives it, errors included, since a fixed text
 * must read back cleanly. Most fixed documents are the plain shapes the loader builds straight from the CST
 * (load/cst-compose.ts, about twice as fast as composing): the same nodes, values and ranges, only without comments,
 * which nothing in the fix reads from the AST (apply-patch.ts finds comment lines in the text). So the loader's
 * stream reads the text first; if it refuses anything (a syntax error, a Helm template, nesting or aliases beyond its
 * limits), yaml composes the whole text again, so a text with problems gets yaml's own documents and messages.
 */

/** Every document of `text`, as yaml's Composer gives them (but for comments on nodes). */
export function parseDocuments(text: string): Document.Parsed[] {
  const streamed = streamManifest(text);
  const documents: Document.Parsed[] = [];
  for (const { doc } of streamed.documents) documents.push(doc);
  return streamed.errors.length === 0 ? documents : composeDocuments(text);
}

/** Every document of `text` composed by yaml, each only when the iteration reaches it (one AST alive at a time). */
export function streamDocuments(text: string): Iterable<Document.Parsed> {
  return new Composer(COMPOSE_OPTIONS).compose(cstTokens(text));
}

function composeDocuments(text: string): Document.Parsed[] {
  return [...streamDocuments(text)];
}
