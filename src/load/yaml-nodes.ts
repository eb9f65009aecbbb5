import { Pair, Scalar, YAMLMap, YAMLSeq, type Schema } from 'yaml';

/*
 * yaml's node classes, made without running their constructors. Each constructor gives its node the node type that
 * yaml's `isScalar`, `isMap`, `isPair` and the others read (`Symbol.for('yaml.node.type')`) with
 * `Object.defineProperty`, which costs ~10 times an object's allocation: with a document's hundreds of nodes, about
 * half of building it from the CST (cst-compose.ts). Here the type sits once on a prototype between the node and its
 * class's, where those reads find it; the node is otherwise the one the constructor makes (the same own properties,
 * `instanceof` and `constructor`), and yaml's methods (`clone`, `toJS`, `toString`, `setIn`) work on it unchanged.
 */

const NODE_TYPE = Symbol.for('yaml.node.type');

/** A prototype under `sample`'s class prototype holding `sample`'s node type, taken from yaml's own instance. */
function typedPrototype<T extends object>(sample: T): T {
  const type = Object.getOwnPropertyDescriptor(sample, NODE_TYPE);
  if (!type) throw new Error(`yaml's ${sample.constructor.name} has no node type: its identity checks changed`);
  return Object.create(Object.getPrototypeOf(sample) as object, { [NODE_TYPE]: type }) as T;
}

const SCALAR = typedPrototype(new Scalar(null));
const PAIR = typedPrototype(new Pair(null));
const MAP = typedPrototype(new YAMLMap());
const SEQ = typedPrototype(new YAMLSeq());

/** `new Scalar(value)`. */
export function newScalar(value: unknown): Scalar {
  const scalar = Object.create(SCALAR) as Scalar;
  scalar.value = value;
  return scalar;
}

/** `new Pair(key, value)`. */
export function newPair(key: unknown, value: unknown): Pair {
  const pair = Object.create(PAIR) as Pair;
  pair.key = key;
  pair.value = value;
  return pair;
}

/** How `new YAMLMap(schema)` and `new YAMLSeq(schema)` make the collections of documents of one `schema`. */
export interface Collections {
  newMap(): YAMLMap;
  newSeq(): YAMLSeq;
}

/**
 * Collections of `schema`, which sits (not enumerable, as the Collection constructor defines it on each node, at the
 * same cost) on their prototype: for the documents the loader builds, which all have the same options and so equal
 * schemas (yaml reads a collection's only to make new nodes, in `setIn` and `addIn`).
 */
export function collectionsOf(schema: Schema): Collections {
  const withSchema = { schema: { value: schema, configurable: true, enumerable: false, writable: true } };
  const map = Object.create(MAP, withSchema) as YAMLMap;
  const seq = Object.create(SEQ, withSchema) as YAMLSeq;
  return {
    newMap: () => withItems(Object.create(map) as YAMLMap),
    newSeq: () => withItems(Object.create(seq) as YAMLSeq),
  };
}

function withItems<T extends YAMLMap | YAMLSeq>(node: T): T {
  node.items = [];
  return node;
}
