import { isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { FixError } from './apply-patch.js';

/*
 * A document's data as verification compares it: what JSON makes of yaml's `toJS`, every alias expanded into its
 * own copy. Manifests are nearly always plain mappings, sequences and scalars, whose data is read here straight from
 * the nodes, without `toJS`'s context and the JSON round trip (once most of the cost of verifying a fix); anything
 * else (an alias, a tag's own class, a key that is not a plain string, a value JSON would change) goes the long way.
 */

/** Thrown by `plainData` on a node it does not read itself. */
const NOT_PLAIN = Symbol('not plain');

/** The document's data; a dangling alias (or one expanded too often) is a FixError naming `what`. */
export function dataOf(doc: Document.Parsed, what: string): unknown {
  try {
    return plainData(doc.contents);
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
  }
  try {
    return JSON.parse(JSON.stringify(doc.toJS({ maxAliasCount: -1 }) ?? null)) as unknown;
  } catch (error) {
    throw new FixError(`${what} would not read back (${error instanceof Error ? error.message : String(error)})`);
  }
}

function plainData(node: unknown): unknown {
  if (node === null) return null;
  if (isScalar(node)) return plainValue(node.value);
  if (isMap(node) && node.constructor === YAMLMap) {
    const data: Record<string, unknown> = {};
    for (const { key, value } of node.items) {
      const name = isScalar(key) ? key.value : undefined;
      // `__proto__` and `<<` (a merge, where the schema has them) are yaml's special keys; a repeated key is an error.
      if (typeof name !== 'string' || name === '__proto__' || name === '<<' || Object.hasOwn(data, name))
        throw NOT_PLAIN;
      data[name] = plainData(value);
    }
    return data;
  }
  if (isSeq(node) && node.constructor === YAMLSeq) return node.items.map(plainData);
  throw NOT_PLAIN;
}

/** A scalar's value as JSON gives it back: a number JSON cannot write, a date or binary data go the long way. */
function plainValue(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value === 0 ? 0 : value;
  throw NOT_PLAIN;
}
