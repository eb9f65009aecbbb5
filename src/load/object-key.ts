import { Parser, type CST } from 'yaml';
import { composesQuietly, documentType, keyName, resolvedCleanly } from './cst-document.js';
import { isNullPlain } from './scalars.js';

/*
 * What project context asks of an object (a ContextQuery: kind, name, namespace, label), read from one document's
 * CST without composing it, so that a cache can say which files of a project hold what. Only documents that
 * compose quietly (cst-document.ts: no tag, anchor, alias, tab or error) and say these fields plainly are read; for
 * the others only composing can tell, and the caller reads their file every time.
 */

/** An object's kind, name, namespace (`''` for none) and label keys, as the loader would read them. */
export interface ObjectKey {
  kind: string;
  name: string | undefined;
  namespace: string;
  labels: readonly string[];
}

/** A field whose value only composing can tell. */
const UNTOLD = Symbol('untold');

type Pairs = ReadonlyMap<string, CST.Token | undefined>;

/**
 * The object a document's text holds (a document alone, as document-scan.ts cuts a stream): null when it holds none
 * (no `apiVersion` or `kind`), undefined when only composing can tell.
 */
export function objectKeyOf(text: string): ObjectKey | null | undefined {
  let document: CST.Document | undefined;
  for (const token of new Parser().parse(text)) {
    if (token.type === 'document' && document === undefined) document = token;
    else if (!QUIET_TOKENS.has(token.type)) return undefined;
  }
  if (document === undefined) return null;
  if (!composesQuietly(document)) return undefined;
  const type = documentType(document);
  if (type === undefined) return undefined;
  if (!type.apiVersion || !type.kind) return null;
  const top = pairsOf(document.value);
  const metadata = top === UNTOLD ? UNTOLD : fieldPairs(top, 'metadata');
  if (metadata === UNTOLD) return undefined;
  const name = stringOf(metadata.get('name'));
  const namespace = stringOf(metadata.get('namespace'));
  const labels = fieldPairs(metadata, 'labels');
  if (name === UNTOLD || namespace === UNTOLD || labels === UNTOLD) return undefined;
  return { kind: type.kind, name, namespace: namespace ?? '', labels: [...labels.keys()] };
}

/** Tokens a document's text may hold beside its one document. */
const QUIET_TOKENS = new Set(['byte-order-mark', 'comment', 'space', 'newline']);

/** The mapping at `key` of `pairs`: empty when missing or null, UNTOLD when not a plain mapping. */
function fieldPairs(pairs: Pairs, key: string): Pairs | typeof UNTOLD {
  const value = pairs.get(key);
  if (value === undefined || (value.type === 'scalar' && isNullPlain(value.source))) return new Map();
  return pairsOf(value);
}

/**
 * A block or flow mapping's keys and values (composesQuietly has vouched for its keys: strings, each once). A merge
 * key (`<<`) would bring in pairs from elsewhere: UNTOLD.
 */
function pairsOf(token: CST.Token | undefined): Pairs | typeof UNTOLD {
  const isMap = token?.type === 'block-map' || (token?.type === 'flow-collection' && token.start.source === '{');
  if (!isMap) return UNTOLD;
  const pairs = new Map<string, CST.Token | undefined>();
  for (const { key, sep, value } of (token as CST.BlockMap | CST.FlowCollection).items) {
    if (!key || !sep) continue; // Comments only, or a trailing comma.
    const name = keyName(key);
    if (name === undefined || name === '<<') return UNTOLD;
    pairs.set(name, value);
  }
  return pairs;
}

/** A string field as the loader reads it (readString): undefined when missing or null. */
function stringOf(value: CST.Token | undefined): string | undefined | typeof UNTOLD {
  if (value === undefined) return undefined;
  if (value.type === 'scalar') {
    if (value.source.includes('\n')) return UNTOLD;
    return isNullPlain(value.source) ? undefined : value.source;
  }
  if (value.type === 'single-quoted-scalar' || value.type === 'double-quoted-scalar')
    return resolvedCleanly(value) ?? UNTOLD;
  return UNTOLD;
}
