import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

/** One step from a document root: a mapping key or a sequence index. */
export type PathSegment = string | number;
export type NodePath = readonly PathSegment[];

/** A path as people write it: `spec.containers[0].securityContext`, `metadata.labels["app.kubernetes.io/name"]`. */
export function formatNodePath(path: NodePath): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z_][\w-]*$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

/** Follows aliases to the node they stand for, so checks see what Kubernetes sees. */
export function resolve(doc: Document, node: unknown): Node | undefined {
  let current = node;
  for (let hops = 0; isAlias(current); hops++) {
    if (hops > 64) return undefined;
    current = current.resolve(doc);
  }
  return (current ?? undefined) as Node | undefined;
}

export function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return key.value === null ? undefined : String(key.value);
  return undefined;
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
  for (const item of map.items) if (keyIs(item, keyValue(item), key)) return item;
  return undefined;
}

/** The value of an item's key, when it has one: what `keyIs` compares first. */
function keyValue(item: unknown): unknown {
  return (item as { key?: { value?: unknown } } | null)?.key?.value;
}

/**
 * `keyText(item) === key` for an item of a mapping whose key's value is `value`, compared before yaml's identity
 * checks: this runs for every item of every mapping a rule or a span looks into, and most keys are not the one
 * looked for.
 */
function keyIs(item: unknown, value: unknown, key: string): boolean {
  if (value !== key && (typeof value === 'string' || value === null || String(value) !== key)) return false;
  return isPair(item) && isScalar(item.key);
}

/**
 * The pair for `key`, including pairs brought in by YAML 1.1 merge keys (`<<: *base`), which
 * go-yaml (and so Kubernetes) honours. Own keys win over merged ones, earlier merges over later.
 */
export function lookupPair(doc: Document, map: YAMLMap, key: string, depth = 0): Pair | undefined {
  let merges = false;
  for (const item of map.items) {
    const value = keyValue(item);
    if (keyIs(item, value, key)) return item;
    // Only a string spells `<<`; the loop below checks the pair.
    if (value === '<<') merges = true;
  }
  if (!merges || depth > 16) return undefined;
  for (const item of map.items) {
    if (!keyIs(item, keyValue(item), '<<')) continue;
    const merged = resolve(doc, (item as Pair).value);
    const sources = isSeq(merged) ? merged.items.map((entry) => resolve(doc, entry)) : [merged];
    for (const source of sources) {
      const found = isMap(source) ? lookupPair(doc, source, key, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

export function asMap(doc: Document, node: unknown): YAMLMap | undefined {
  const resolved = resolve(doc, node);
  return isMap(resolved) ? resolved : undefined;
}

export function asSeq(doc: Document, node: unknown): YAMLSeq | undefined {
  const resolved = resolve(doc, node);
  return isSeq(resolved) ? resolved : undefined;
}

export function asScalar(doc: Document, node: unknown): Scalar | undefined {
  const resolved = resolve(doc, node);
  return isScalar(resolved) ? resolved : undefined;
}

/** The value node under `key` of a mapping node, aliases followed. */
export function child(doc: Document, node: unknown, key: string): Node | undefined {
  const map = asMap(doc, node);
  if (!map) return undefined;
  const pair = lookupPair(doc, map, key);
  return pair ? resolve(doc, pair.value) : undefined;
}

/** The node at `path` below `node`, or undefined when any step is missing. */
export function nodeAt(doc: Document, node: unknown, path: NodePath): Node | undefined {
  // Each step's node is resolved once, as it is reached.
  let current = resolve(doc, node);
  for (const segment of path) {
    if (current === undefined) return undefined;
    if (typeof segment === 'number') {
      current = isSeq(current) ? resolve(doc, current.items[segment]) : undefined;
    } else {
      const pair = isMap(current) ? lookupPair(doc, current, segment) : undefined;
      current = pair ? resolve(doc, pair.value) : undefined;
    }
  }
  return current;
}

/**
 * The node that best shows where `path` is or would be: the value when it exists; otherwise
 * the key of the deepest pair that exists, so a "missing field" points at its would-be parent.
 */
export function closestNode(doc: Document, root: unknown, path: NodePath): { node: Node; found: boolean } {
  let current = resolve(doc, root) as Node;
  let best: Node = current;
  for (const segment of path) {
    if (typeof segment === 'number') {
      const item = isSeq(current) ? resolve(doc, current.items[segment]) : undefined;
      if (!item) return { node: best, found: false };
      current = item;
      best = item;
    } else {
      const pair = isMap(current) ? lookupPair(doc, current, segment) : undefined;
      if (!pair) return { node: best, found: false };
      const value = resolve(doc, pair.value);
      best = pair.key as Node;
      if (!value || (isScalar(value) && value.value === null && !value.range)) return { node: best, found: false };
      current = value;
      if (isScalar(value)) best = value;
    }
  }
  return { node: best, found: true };
}
