import { expect } from 'vitest';
import { Composer, isMap, isPair, isScalar, isSeq, Parser, type Document } from 'yaml';
import { buildDocument, COMPOSE_OPTIONS } from '../../src/load/cst-compose.js';
import { composesQuietly } from '../../src/load/cst-document.js';
import { streamManifest } from '../../src/load/stream-parse.js';
import { parseManifest } from '../../src/index.js';

/*
 * The differential check of the documents the loader builds from yaml's CST (src/load/cst-compose.ts) against those
 * yaml's Composer gives: node classes, values, types, formats and ranges, document ranges, directives and errors.
 * Comments are left out on both sides: the loader does not keep them on nodes (see cst-compose.ts).
 */

/** A node as data: its class and every own property but comments, its children likewise. */
function shapeOf(node: unknown): unknown {
  if (isPair(node)) return { pair: [shapeOf(node.key), shapeOf(node.value)] };
  if (!isMap(node) && !isSeq(node) && !isScalar(node)) return node;
  const own: Record<string, unknown> = { ...node };
  for (const comment of ['comment', 'commentBefore', 'spaceBefore']) delete own[comment];
  const items = own.items as unknown[] | undefined;
  return { class: node.constructor.name, ...own, ...(items ? { items: items.map(shapeOf) } : {}) };
}

export function documentShape(doc: Document.Parsed): unknown {
  // The Composer hands its directives to each document in the options; a built document has its own.
  const options: Record<string, unknown> = { ...doc.options };
  delete options._directives;
  return {
    contents: shapeOf(doc.contents),
    range: doc.range,
    errors: doc.errors.map(({ code, pos }) => ({ code, pos })),
    warnings: doc.warnings.map(({ code, pos }) => ({ code, pos })),
    docStart: doc.directives.docStart,
    docEnd: doc.directives.docEnd,
    yaml: doc.directives.yaml,
    tags: doc.directives.tags,
    schema: doc.schema.name,
    options,
  };
}

/**
 * Checks every document of `text` that only spaces, comments and `...` surround: it is built when the CST check
 * vouches for it, and then equals what the Composer gives. Then the loader's stream (documents built, composed or
 * refused) gives the documents and file errors `parseManifest` (yaml composes every one) does. Returns how many
 * documents there were and how many were built.
 */
export function expectBuiltAsComposed(text: string): { documents: number; built: number } {
  const tokens = Array.from(new Parser().parse(text));
  const composed = Array.from(new Composer(COMPOSE_OPTIONS).compose(tokens));
  let documents = 0;
  let built = 0;
  // After a directive or an error, the loader composes every document: directives change what the next means.
  let composeAll = false;
  tokens.forEach((token, at) => {
    if (token.type !== 'document') {
      composeAll ||= !QUIET_AFTER.has(token.type);
      return;
    }
    const doc = composed[documents++]!;
    const next = tokens.findIndex((other, index) => index > at && other.type === 'document');
    const after = tokens.slice(at + 1, next === -1 ? undefined : next);
    const quietAfter = after.every((other) => QUIET_AFTER.has(other.type));
    if (composeAll || !quietAfter) return;
    // The builder makes the CST check's checks as it goes: it builds exactly the documents the check vouches for.
    const own = buildDocument(token, after);
    if (!composesQuietly(token)) {
      expect(own, `document ${documents - 1} was built`).toBeUndefined();
      return;
    }
    expect(own, `document ${documents - 1} was not built`).toBeDefined();
    expect(doc.errors).toEqual([]);
    expect(documentShape(own!)).toEqual(documentShape(doc));
    built++;
  });
  const stream = streamManifest(text);
  const streamed = [...stream.documents].map(({ index, doc }) => ({ index, doc: documentShape(doc) }));
  const parsed = parseManifest(text);
  expect(streamed).toEqual(parsed.documents.map(({ index, doc }) => ({ index, doc: documentShape(doc) })));
  expect(stream.errors).toEqual(parsed.errors);
  return { documents, built };
}

const QUIET_AFTER = new Set(['space', 'newline', 'comment', 'byte-order-mark', 'doc-end']);
