import type { CST } from 'yaml';
import { composesQuietly, documentType, keyName, QUIET_TOKENS, resolvedCleanly } from './cst-document.js';
import { cstTokens } from './cst-tokens.js';
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
  for (const token of cstTokens(identitySections(text))) {
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

/** A line at column 0 that starts an entry of a plain key, which it names. */
const TOP_LEVEL_KEY = /^([A-Za-z_][\w.-]*)[ \t]*:(?=[ \t\r]|$)/;
const IDENTITY_KEYS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * The document's text without the top-level entries of other plain keys (`spec`, `data`, …), which are most of its
 * bytes and tell nothing of its kind, name, namespace or labels: yaml's parser, the cost of this look, reads only
 * the rest. An entry runs from its key's line to the next line that starts one (startsEntry); lines at column 0
 * that start no such entry (a quoted or merge key, anything unusual) are kept, so whatever could change
 * the reading stays for the parser to see (an alias left without its anchor is not plain: the file is then read).
 */
function identitySections(text: string): string {
  const kept: string[] = [];
  let keeping = true;
  for (const line of text.split('\n')) {
    if (startsEntry(line)) {
      const key = TOP_LEVEL_KEY.exec(line)?.[1];
      keeping = key === undefined || IDENTITY_KEYS.has(key);
    }
    if (keeping) kept.push(line);
  }
  return kept.join('\n');
}

/**
 * Whether a line starts a top-level entry: it starts at column 0, and is no comment and no item of a sequence (`key:`
 * may be followed by its sequence's `- item` lines at the key's own indentation).
 */
function startsEntry(line: string): boolean {
  const first = line[0];
  if (first === undefined || first === ' ' || first === '#' || first === '\r') return false;
  return !(first === '-' && (line.length === 1 || line[1] === ' ' || line[1] === '\r'));
}

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
