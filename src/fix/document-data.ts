import { isDeepStrictEqual } from 'node:util';
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

/**
 * Whether the document's data is `expected`, as `isDeepStrictEqual(dataOf(doc, what), expected)` says, but compared
 * on the nodes where they are plain, without making the data.
 */
export function hasData(doc: Document.Parsed, expected: unknown, what: string): boolean {
  try {
    return samePlainData(doc.contents, expected);
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
  }
  return isDeepStrictEqual(dataOf(doc, what), expected);
}

/**
 * `isDeepStrictEqual(plainData(node), expected)`. It walks the whole tree even when a difference is found, so that
 * it throws NOT_PLAIN exactly where plainData does.
 */
function samePlainData(node: unknown, expected: unknown): boolean {
  if (node === null) return expected === null;
  if (isScalar(node)) return Object.is(plainValue(node.value), expected);
  if (isMap(node) && node.constructor === YAMLMap) {
    const names = new Set<string>();
    for (const { key } of node.items) {
      const name = isScalar(key) ? key.value : undefined;
      if (typeof name !== 'string' || name === '__proto__' || name === '<<' || names.has(name)) throw NOT_PLAIN;
      names.add(name);
    }
    const record = isRecord(expected) ? expected : undefined;
    let same = record !== undefined && Object.keys(record).length === names.size;
    for (const { key, value } of node.items) {
      const name = (key as { value: string }).value;
      const own = record !== undefined && Object.hasOwn(record, name);
      same = samePlainData(value, own ? record[name] : undefined) && own && same;
    }
    return same;
  }
  if (isSeq(node) && node.constructor === YAMLSeq) {
    const list = isList(expected) ? expected : undefined;
    let same = list !== undefined && Object.keys(list).length === node.items.length;
    node.items.forEach((item, at) => (same = samePlainData(item, list?.[at]) && same));
    return same;
  }
  throw NOT_PLAIN;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function isList(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
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
