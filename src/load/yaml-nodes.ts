import { Pair, Scalar, YAMLMap, YAMLSeq, type Schema } from 'yaml';

/*
 * yaml's node classes, made without running their constructors. Each constructor gives its node the node type that
 * yaml's `isScalar`, `isMap`, `isPair` and the others read (`Symbol.for('yaml.node.type')`) with
 * `Object.defineProperty`, which costs ~10 times an object's allocation: with a document's hundreds of nodes, a
 * tenth of building it from the CST (cst-compose.ts). Here the type sits once on a prototype between the node and its
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

/** `new YAMLMap(schema)`. */
export function newMap(schema: Schema): YAMLMap {
  return collection(Object.create(MAP) as YAMLMap, schema);
}

/** `new YAMLSeq(schema)`. */
export function newSeq(schema: Schema): YAMLSeq {
  return collection(Object.create(SEQ) as YAMLSeq, schema);
}

/** What yaml's Collection constructor adds: its schema (not enumerable, as there), and no items yet. */
function collection<T extends YAMLMap | YAMLSeq>(node: T, schema: Schema): T {
  Object.defineProperty(node, 'schema', { value: schema, configurable: true, enumerable: false, writable: true });
  node.items = [];
  return node;
}
