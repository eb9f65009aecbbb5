import { CST, Document, isScalar, Scalar, type Schema, type YAMLMap, type YAMLSeq } from 'yaml';
import {
  depthIsPlain,
  documentFrameIsPlain,
  flowEndIsPlain,
  flowItemIsPlain,
  mapItemIsPlain,
  scalarIsPlain,
  seqItemIsPlain,
} from './cst-document.js';
import { collectionsOf, newPair, newScalar, type Collections } from './yaml-nodes.js';

/*
 * A document's AST built straight from yaml's CST, for the documents of the plain shapes of manifests that
 * cst-document.ts checks: a block mapping with nothing yaml's composer would report and no tag, anchor or alias. For
 * those, composing is only building nodes, and this builds the same ones (yaml's classes, values, types and ranges;
 * test/cst-compose.test.ts compares them with the composer's) while making cst-document.ts's checks item by item, in
 * one walk. A document that fails one is not built (the caller composes it). Comments are not attached to nodes: the
 * loader keeps comments only when a file has suppression comments, and such a file is composed by yaml (parse.ts).
 *
 * Each step follows yaml's compose/*.js (compose-doc, resolve-block-map, resolve-block-seq, resolve-flow-collection,
 * compose-scalar, resolve-end, util-empty-scalar-position) for those shapes.
 */

/** The options the loader composes with (yaml's Composer gets the same). */
export const COMPOSE_OPTIONS = { uniqueKeys: true, prettyErrors: false, keepSourceTokens: false } as const;

type Built = Scalar | YAMLMap | YAMLSeq;

/**
 * What builds every document: they all have the loader's options, so each has a schema equal to the first's, which
 * their collections share (see yaml-nodes.ts).
 */
let builder: Builder | undefined;

/**
 * The document yaml's Composer would give for `document` followed by `after` (spaces, comments and plain `...` only),
 * except comments; undefined when it is not plain (see cst-document.ts).
 */
export function buildDocument(document: CST.Document, after: readonly CST.Token[]): Document.Parsed | undefined {
  if (!documentFrameIsPlain(document)) return undefined;
  const doc = new Document(undefined, COMPOSE_OPTIONS) as Document.Parsed;
  if (document.start.some((token) => token.type === 'doc-start')) doc.directives.docStart = true;
  let contents: Built;
  try {
    contents = (builder ??= new Builder(doc.schema, doc.options)).node(document.value!, 0);
  } catch {
    return undefined; // Not plain: composing says what is wrong, if anything.
  }
  doc.contents = contents as Document.Parsed['contents'];
  const contentEnd = contents.range![2];
  doc.range = [document.offset, contentEnd, endOffset(document.end, contentEnd)];
  for (const token of after) {
    if (token.type !== 'doc-end') continue;
    doc.directives.docEnd = true;
    doc.range[2] = endOffset(token.end, token.offset + token.source.length);
  }
  return doc;
}

/** resolveEnd's offset: past the spaces, comments and line breaks after a node. */
function endOffset(tokens: readonly CST.SourceToken[] | undefined, offset: number): number {
  if (tokens) for (const token of tokens) offset += token.source.length;
  return offset;
}

/** resolveProps's `end`: past its tokens, or `offset` when there are none. */
function propsEnd(tokens: readonly CST.SourceToken[], offset: number): number {
  const last = tokens[tokens.length - 1];
  return last ? last.offset + last.source.length : offset;
}

function hasComment(tokens: readonly CST.SourceToken[]): boolean {
  for (const token of tokens) if (token.type === 'comment') return true;
  return false;
}

/** A scalar tag of the schema that its composer tries on plain scalars, in order. */
interface TestedTag {
  test: RegExp;
  format?: string;
  resolve: (value: string, onError: (message: string) => void, options: Document.Parsed['options']) => unknown;
}

/** Something cst-document.ts's checks do not vouch for, or a complaint resolving a scalar: the caller composes. */
function notPlain(): never {
  throw new Error('not plain');
}

class Builder {
  private readonly tested: TestedTag[];
  private readonly collections: Collections;

  constructor(
    schema: Schema,
    private readonly options: Document.Parsed['options'],
  ) {
    this.collections = collectionsOf(schema);
    this.tested = schema.tags.filter((tag) => tag.default === true && 'test' in tag && tag.test) as TestedTag[];
  }

  node(token: CST.Token, depth: number): Built {
    switch (token.type) {
      case 'block-map':
        return this.blockMap(token, depth);
      case 'block-seq':
        return this.blockSeq(token, depth);
      case 'flow-collection':
        return this.flowCollection(token, depth);
      default:
        if (!scalarIsPlain(token)) return notPlain();
        return token.type === 'scalar' ? this.plain(token) : this.quoted(token as CST.FlowScalar | CST.BlockScalar);
    }
  }

  private blockMap(token: CST.BlockMap, depth: number): YAMLMap {
    if (!depthIsPlain(depth)) notPlain();
    const map = this.collections.newMap();
    const names: string[] = [];
    let offset = token.offset;
    let commentEnd: number | undefined;
    for (const item of token.items) {
      if (!mapItemIsPlain(token, item, names)) notPlain();
      const { start, key, sep, value } = item;
      const keyEnd = propsEnd(start, offset);
      if (!sep) {
        commentEnd = keyEnd; // An item of comments only.
        continue;
      }
      const keyNode = key ? this.node(key, depth + 1) : this.empty(keyEnd, start, hasComment(start));
      offset = propsEnd(sep, keyNode.range![2]);
      const valueNode = value ? this.node(value, depth + 1) : this.empty(offset, sep, hasComment(sep));
      offset = valueNode.range![2];
      map.items.push(newPair(keyNode, valueNode));
    }
    map.range = [token.offset, offset, commentEnd ?? offset];
    return map;
  }

  private blockSeq(token: CST.BlockSequence, depth: number): YAMLSeq {
    if (!depthIsPlain(depth)) notPlain();
    const seq = this.collections.newSeq();
    let offset = token.offset;
    let commentEnd: number | undefined;
    for (const item of token.items) {
      if (!seqItemIsPlain(item)) notPlain();
      const { start, value } = item;
      const end = propsEnd(start, offset);
      if (!start.some((item) => item.type === 'seq-item-ind')) {
        commentEnd = end; // An item of comments only.
        continue;
      }
      const node = value ? this.node(value, depth + 1) : this.empty(end, start, hasComment(start));
      offset = node.range![2];
      seq.items.push(node);
    }
    seq.range = [token.offset, offset, commentEnd ?? offset];
    return seq;
  }

  private flowCollection(token: CST.FlowCollection, depth: number): YAMLMap | YAMLSeq {
    if (!depthIsPlain(depth) || !flowEndIsPlain(token)) notPlain();
    const isMap = token.start.source === '{';
    const collection = isMap ? this.collections.newMap() : this.collections.newSeq();
    collection.flow = true;
    const names: string[] = [];
    let offset = token.offset + token.start.source.length;
    for (let at = 0; at < token.items.length; at++) {
      if (!flowItemIsPlain(token, at, names)) notPlain();
      const { start, key, sep, value } = token.items[at]!;
      const end = propsEnd(start, offset);
      if (!sep && !value) {
        offset = end; // A trailing comma, or comments.
        continue;
      }
      if (!isMap) {
        const node = this.node(value!, depth + 1);
        (collection as YAMLSeq).items.push(node);
        offset = node.range![2];
        continue;
      }
      const keyNode = key ? this.node(key, depth + 1) : this.empty(end, start, hasComment(start));
      const valueEnd = propsEnd(sep ?? [], keyNode.range![2]);
      const valueNode = value ? this.node(value, depth + 1) : this.empty(valueEnd, sep, hasComment(sep ?? []));
      (collection as YAMLMap).items.push(newPair(keyNode, valueNode));
      offset = valueNode.range![2];
    }
    const [close, ...after] = token.end;
    const closeEnd = close!.offset + close!.source.length;
    collection.range = [token.offset, closeEnd, after.length > 0 ? endOffset(after, closeEnd) : closeEnd];
    return collection;
  }

  /** composeEmptyNode: a null placed after the tokens before it and their spaces. */
  private empty(offset: number, before: readonly CST.SourceToken[] | undefined, comment = false): Scalar {
    const at = emptyScalarPosition(offset, before);
    const scalar = this.resolvePlain('');
    scalar.range = [at, at, comment ? offset : at];
    scalar.source = '';
    scalar.type = Scalar.PLAIN;
    return scalar;
  }

  private plain(token: CST.FlowScalar): Scalar {
    const { source, offset } = token;
    // A one-line plain scalar is its source; a multi-line one is folded.
    const value = source.includes('\n') || source.includes('\r') ? resolved(token).value : source;
    const scalar = this.resolvePlain(value);
    const valueEnd = offset + source.length;
    scalar.range = [offset, valueEnd, endOffset(token.end, valueEnd)];
    scalar.source = value;
    scalar.type = Scalar.PLAIN;
    return scalar;
  }

  /** findScalarTagByTest and the tag's resolve, as composeScalar does; most plain values cannot be anything but strings. */
  private resolvePlain(value: string): Scalar {
    if (!NULL_OR_BOOLEAN.has(value) && !NUMBER_START.has(value[0]!)) return newScalar(value);
    const tag = this.tested.find((candidate) => candidate.test.test(value));
    if (!tag) return newScalar(value);
    const resolvedValue = tag.resolve(value, notPlain, this.options);
    const scalar = isScalar(resolvedValue) ? resolvedValue : newScalar(resolvedValue);
    if (tag.format) scalar.format = tag.format;
    return scalar;
  }

  private quoted(token: CST.FlowScalar | CST.BlockScalar): Scalar {
    const { value, type, range } = simpleQuoted(token) ?? resolved(token);
    const scalar = newScalar(value);
    scalar.range = range;
    scalar.source = value;
    scalar.type = type!;
    return scalar;
  }
}

/**
 * The core schema's null and boolean spellings (its tags' tests: `name` or `false-ish` need no regular expression
 * to be strings) and the first characters of its numbers' spellings; any other plain value is a string.
 */
const NULL_OR_BOOLEAN = new Set(['', '~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const NUMBER_START = new Set('0123456789+-.');

type ResolvedScalar = NonNullable<ReturnType<typeof CST.resolveAsScalar>>;

/** A one-line quoted scalar without escapes, resolved without yaml's unfolding. */
function simpleQuoted(token: CST.FlowScalar | CST.BlockScalar): ResolvedScalar | undefined {
  const { source, offset } = token;
  if (token.type === 'block-scalar' || source.includes('\n') || source.includes('\r')) return undefined;
  let value: string;
  let type: Scalar.Type;
  if (token.type === 'single-quoted-scalar') {
    value = source.slice(1, -1).replaceAll("''", "'");
    type = Scalar.QUOTE_SINGLE;
  } else {
    if (source.includes('\\')) return undefined;
    value = source.slice(1, -1);
    type = Scalar.QUOTE_DOUBLE;
  }
  const valueEnd = offset + source.length;
  return { value, type, comment: '', range: [offset, valueEnd, endOffset(token.end, valueEnd)] };
}

function resolved(token: CST.FlowScalar | CST.BlockScalar): ResolvedScalar {
  return CST.resolveAsScalar(token, true, notPlain) ?? notPlain();
}

/** yaml's emptyScalarPosition: after the last token before it that is not space, comment or line break, and spaces. */
function emptyScalarPosition(offset: number, before: readonly CST.SourceToken[] | undefined): number {
  if (!before) return offset;
  for (let at = before.length - 1; at >= 0; at--) {
    const token = before[at]!;
    if (token.type === 'space' || token.type === 'comment' || token.type === 'newline') {
      offset -= token.source.length;
      continue;
    }
    for (let next = before[++at]; next?.type === 'space'; next = before[++at]) offset += next.source.length;
    break;
  }
  return offset;
}
