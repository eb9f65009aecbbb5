import { isDeepStrictEqual } from 'node:util';
import type { NodePath } from '../load/nodes.js';
import type { Patch } from '../engine/types.js';

/*
 * The same patches applied to plain data: what the document's data must equal after the text edits.
 * Verification compares the two, so an edit that changes anything else is caught before a file is written.
 */

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function get(container: Container, segment: string | number): unknown {
  return (container as Record<string | number, unknown>)[segment];
}

function put(container: Container, segment: string | number, value: unknown): void {
  (container as Record<string | number, unknown>)[segment] = value;
}

function parentOf(root: unknown, path: NodePath, create: boolean): Container | undefined {
  let current = root;
  for (const segment of path.slice(0, -1)) {
    if (!isContainer(current)) return undefined;
    let next = get(current, segment);
    if (!isContainer(next)) {
      if (!create) return undefined;
      next = {};
      put(current, segment, next);
    }
    current = next;
  }
  return isContainer(current) ? current : undefined;
}

/** List items compare as Kubernetes reads them: scalars by their text, mappings and lists by their content. */
function sameItem(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' || typeof b === 'object') return isDeepStrictEqual(a, b);
  return a !== undefined && String(a) === String(b);
}

export function applyPatchToData(root: unknown, patch: Patch): void {
  if (patch.op === 'appendDocument') return;
  const last = patch.path[patch.path.length - 1]!;
  switch (patch.op) {
    case 'set': {
      const parent = parentOf(root, patch.path, true);
      if (parent) put(parent, last, structuredClone(patch.value));
      return;
    }
    case 'delete': {
      const parent = parentOf(root, patch.path, false);
      if (!parent) return;
      if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else delete (parent as Record<string, unknown>)[last];
      return;
    }
    case 'addToList': {
      const parent = parentOf(root, patch.path, true);
      if (!parent) return;
      const list = get(parent, last);
      if (!Array.isArray(list)) put(parent, last, [structuredClone(patch.value)]);
      else if (!list.some((item) => sameItem(item, patch.value))) list.push(structuredClone(patch.value));
      return;
    }
    case 'removeFromList': {
      const parent = parentOf(root, patch.path, false);
      const list = parent ? get(parent, last) : undefined;
      if (!Array.isArray(list)) return;
      const index = list.findIndex((item) => sameItem(item, patch.value));
      if (index !== -1) list.splice(index, 1);
      return;
    }
  }
}
