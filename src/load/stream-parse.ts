import { Composer, Parser, type Document } from 'yaml';
import type { LocatedError } from './errors.js';
import { dedupeErrors, documentProblem, helmTemplateOffset, parseManifest, type ParsedManifest } from './parse.js';
import { LineIndex } from './positions.js';

/** A manifest read one document at a time: `errors` is complete once `documents` has been iterated to its end. */
export interface StreamedManifest extends Omit<ParsedManifest, 'documents'> {
  documents: Iterable<{ index: number; doc: Document.Parsed }>;
}

/**
 * Like `parseManifest`, but each document is parsed only when the iteration reaches it, so a caller that lets go of
 * a document before taking the next holds one AST at a time, however many documents the file has. A single
 * iteration only. With `comments`, every comment must be known before the first document is seen (a suppression
 * comment may sit anywhere), so the file is parsed at once, as `parseManifest` does.
 */
export function streamManifest(text: string, options: { comments?: boolean } = {}): StreamedManifest {
  if (options.comments) return parseManifest(text, options);
  const lines = new LineIndex(text);
  const errors: LocatedError[] = [];
  return { documents: documentsOf(text, lines, errors), errors, lines };
}

function* documentsOf(
  text: string,
  lines: LineIndex,
  errors: LocatedError[],
): Generator<{ index: number; doc: Document.Parsed }> {
  const helm = helmTemplateOffset(text);
  const composer = new Composer({ uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  let index = 0;
  for (const doc of composer.compose(new Parser().parse(text))) {
    const problem = documentProblem(doc, text, lines, helm);
    if (problem) errors.push(problem);
    else yield { index, doc };
    index++;
  }
  const kept = dedupeErrors(errors);
  errors.length = 0;
  for (const error of kept) errors.push(error);
}
