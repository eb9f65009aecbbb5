import { isDeepStrictEqual } from 'node:util';
import { isMap, isSeq, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { findPair, resolve, type NodePath } from '../load/nodes.js';
import { hasAlias, type PlannedPatch } from './plan.js';

/** Where walking `path` in the document stops short, and why; undefined when the whole path is there. */
interface Gap {
  depth: number;
  /** What the document has at `depth`: no collection of the segment's kind, a mapping without the key, no value. */
  kind: 'not-a-collection' | 'absent-key' | 'no-value';
}

function gapIn(doc: Document.Parsed, path: NodePath): Gap | undefined {
  let node: unknown = doc.contents;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth]!;
    const collection = resolve(doc, node);
    if (typeof segment === 'number' ? !isSeq(collection) : !isMap(collection))
      return { depth, kind: 'not-a-collection' };
    if (typeof segment === 'number') {
      node = (collection as YAMLSeq).items[segment];
    } else {
      const pair = findPair(collection as YAMLMap, segment);
      if (!pair) return { depth, kind: 'absent-key' };
      node = pair.value;
    }
    if (node === undefined) return { depth, kind: 'no-value' };
  }
  return undefined;
}

/** The first node of `path` the document lacks (or has as a scalar a patch would replace), as a key; else undefined. */
export function firstMissing(doc: Document.Parsed, path: NodePath): string | undefined {
  const gap = gapIn(doc, path);
  if (!gap) return undefined;
  return JSON.stringify(path.slice(0, gap.kind === 'not-a-collection' ? gap.depth : gap.depth + 1));
}

/** How deep the first key of `path` that a mapping of the document lacks is, when one is (no pair at all). */
function absentKeyDepth(doc: Document.Parsed, path: NodePath): number | undefined {
  const gap = gapIn(doc, path);
  return gap?.kind === 'absent-key' ? gap.depth : undefined;
}

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether one patch, as data, fits the tree a group of patches creates as plain keys, without contradicting it. */
function fitsTree(tree: Tree, rest: NodePath, planned: PlannedPatch): boolean {
  const { op } = planned.patch;
  if ((op !== 'set' && op !== 'addToList') || rest.length === 0) return false;
  if (rest.some((segment) => typeof segment !== 'string')) return false;
  let node: unknown = tree;
  for (const segment of rest as string[]) {
    if (node === undefined) return true;
    if (!isTree(node)) return false;
    node = node[segment];
  }
  return node === undefined || (op === 'addToList' && Array.isArray(node));
}

/** Adds a patch that `fitsTree` to the tree. */
function addToTree(tree: Tree, rest: NodePath, planned: PlannedPatch): void {
  let node = tree;
  for (const segment of rest.slice(0, -1) as string[]) node = (node[segment] ??= {}) as Tree;
  const leaf = rest[rest.length - 1] as string;
  const { patch } = planned;
  if (patch.op === 'set') {
    node[leaf] = structuredClone(patch.value);
  } else if ('value' in patch) {
    const list = (node[leaf] ??= []) as unknown[];
    if (!list.some((item) => isDeepStrictEqual(item, patch.value))) list.push(structuredClone(patch.value));
  }
}

function startsWith(path: NodePath, prefix: NodePath): boolean {
  return path.length > prefix.length && prefix.every((segment, i) => path[i] === segment);
}

/**
 * Consecutive patches that all create one absent key (a container's new `securityContext` and its fields) become one
 * patch setting that key to everything they add, in their order: the text is the one they make one after the other,
 * but computed on one parse instead of one parse each (most of --fix's cost on a large file). Anything else, and any
 * document with aliases (whose steps `planAliases` ordered), is left as it is. The combined patch serves every
 * source of its parts; `fixDocument` verifies it against the parts and redoes them one at a time if it fails.
 */
export function combineCreations(doc: Document.Parsed, steps: readonly PlannedPatch[]): PlannedPatch[] {
  if (hasAlias(doc)) return [...steps];
  const out: PlannedPatch[] = [];
  for (let start = 0; start < steps.length;) {
    const depth = absentKeyDepth(doc, steps[start]!.patch.path);
    let end = start;
    if (depth !== undefined) {
      const key = steps[start]!.patch.path.slice(0, depth + 1);
      const tree: Tree = {};
      for (; end < steps.length; end++) {
        const step = steps[end]!;
        const rest = step.patch.path.slice(depth + 1);
        if (!startsWith(step.patch.path, key) || !fitsTree(tree, rest, step)) break;
        addToTree(tree, rest, step);
      }
      if (end - start >= 2) {
        const sources = [...new Set(steps.slice(start, end).flatMap((step) => step.sources))];
        out.push({ patch: { op: 'set', path: key, value: tree }, sources });
        start = end;
        continue;
      }
    }
    out.push(steps[start]!);
    start++;
  }
  return out;
}
