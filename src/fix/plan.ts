import { isAlias, isCollection, isMap, isPair, isSeq, type Document, type Node } from 'yaml';
import { findPair, keyText, resolve, type NodePath } from '../load/nodes.js';
import type { Patch } from '../engine/types.js';
import { compareText } from '../engine/compare-text.js';
import { someNode } from './walk-nodes.js';

export type PathPatch = Exclude<Patch, { op: 'appendDocument' }>;

export interface PlannedPatch {
  patch: PathPatch;
  /** Why this patch exists: the findings it fixes. When it cannot be made, none of them is fixed. */
  sources: string[];
}

/** Patches that were not made, with the findings they were for and why. */
export interface Rejection {
  sources: string[];
  reason: string;
}

/** A finding's id in a fix run: what people read (the finding's description), made unique by a number. */
export function sourceId(description: string, n: number): string {
  return `${description}\u0000${n}`;
}

function describeSources(sources: readonly string[]): string {
  return [...new Set(sources.map((source) => source.split('\u0000')[0]))].join(', ');
}

function pathKey(path: NodePath): string {
  return JSON.stringify(path);
}

function isPrefix(prefix: NodePath, path: NodePath): boolean {
  return prefix.length < path.length && prefix.every((segment, i) => segment === path[i]);
}

function samePath(a: NodePath, b: NodePath): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

function describe(planned: PlannedPatch): string {
  const patch = planned.patch;
  return 'value' in patch ? `${patch.op} ${JSON.stringify(patch.value)}` : patch.op;
}

/** Whether `a` makes `b` meaningless: both write one field (unless both only add to or remove from a list), or `a` replaces or deletes what `b` changes. */
function contradicts(a: PathPatch, b: PathPatch): boolean {
  if (samePath(a.path, b.path)) return a.op === 'set' || a.op === 'delete' || b.op === 'set' || b.op === 'delete';
  return (
    ((a.op === 'set' || a.op === 'delete') && isPrefix(a.path, b.path)) ||
    ((b.op === 'set' || b.op === 'delete') && isPrefix(b.path, a.path))
  );
}

/**
 * Merges the patches of one document: identical patches collapse into one (keeping every source); patches that
 * contradict each other (two values for one field, or a change inside a field another patch replaces or deletes)
 * are dropped and reported, never guessed.
 */
export function mergePatches(patches: readonly PlannedPatch[]): { patches: PlannedPatch[]; conflicts: Rejection[] } {
  const unique = new Map<string, PlannedPatch>();
  for (const planned of patches) {
    const key = JSON.stringify(planned.patch);
    const existing = unique.get(key);
    if (existing) existing.sources.push(...planned.sources.filter((s) => !existing.sources.includes(s)));
    else unique.set(key, { patch: planned.patch, sources: [...planned.sources] });
  }
  const all = [...unique.values()];
  const rejected = new Set<PlannedPatch>();
  const conflicts: Rejection[] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      if (!contradicts(a.patch, b.patch)) continue;
      rejected.add(a);
      rejected.add(b);
      const field = a.patch.path.length <= b.patch.path.length ? a.patch.path : b.patch.path;
      conflicts.push({
        sources: [...new Set([...a.sources, ...b.sources])],
        reason:
          `conflicting fixes for ${field.join('.')}: ${describe(a)} (for ` +
          `${describeSources(a.sources)}) and ${describe(b)} (for ${describeSources(b.sources)}); ` +
          `fix it by hand`,
      });
    }
  }
  return { patches: all.filter((p) => !rejected.has(p)), conflicts };
}

/**
 * Drops the patches of failed findings. A finding is fixed by all its patches or not at all, so dropping a patch
 * that also served other findings fails those too, until nothing changes.
 */
export function withoutFailed(patches: readonly PlannedPatch[], failed: Set<string>): PlannedPatch[] {
  let kept = [...patches];
  for (;;) {
    const dropped = kept.filter((p) => p.sources.some((s) => failed.has(s)));
    if (dropped.length === 0) return kept;
    for (const p of dropped) for (const s of p.sources) failed.add(s);
    kept = kept.filter((p) => !dropped.includes(p));
  }
}

const isRemoval = (patch: PathPatch) => patch.op === 'delete' || patch.op === 'removeFromList';

/** Compares paths segment by segment, list indices from the highest, so list items are removed from the end. */
function removalOrder(a: NodePath, b: NodePath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return compareText(String(x), String(y));
  }
  return a.length - b.length;
}

/**
 * The order patches are applied in, to text and to data alike: additions and replacements first (by path), then
 * removals, list items from the highest index, so that no removal shifts an index another patch still uses.
 */
export function applicationOrder(patches: readonly PlannedPatch[]): PlannedPatch[] {
  // Each path's key is made once, not in every comparison.
  const additions = patches
    .filter((p) => !isRemoval(p.patch))
    .map((planned) => ({ planned, key: pathKey(planned.patch.path) }))
    .sort((a, b) => compareText(a.key, b.key))
    .map(({ planned }) => planned);
  const removals = patches.filter((p) => isRemoval(p.patch)).sort((a, b) => removalOrder(a.patch.path, b.patch.path));
  return [...additions, ...removals];
}

/** Whether a document has an alias, remembered: a preview plans each of a document's many findings on one AST. */
const aliased = new WeakMap<Document.Parsed, boolean>();

export function hasAlias(doc: Document.Parsed): boolean {
  let found = aliased.get(doc);
  if (found === undefined) {
    found = someNode(doc.contents, isAlias);
    aliased.set(doc, found);
  }
  return found;
}

/** Every anchor that has aliases, with the path of its owner and of each alias. */
function aliasUses(doc: Document.Parsed): { anchor: Node; paths: NodePath[] }[] {
  if (!hasAlias(doc)) return [];
  const aliases = new Map<Node, NodePath[]>();
  const owners = new Map<Node, NodePath>();
  const walk = (node: unknown, path: NodePath) => {
    if (isAlias(node)) {
      const anchor = resolve(doc, node);
      if (anchor) aliases.set(anchor, [...(aliases.get(anchor) ?? []), path]);
      return;
    }
    if (node && typeof node === 'object' && (node as Node).anchor) owners.set(node as Node, path);
    if (!isCollection(node)) return;
    node.items.forEach((item, index) => {
      if (!isPair(item)) walk(item, [...path, index]);
      else if (keyText(item) !== undefined) walk(item.value, [...path, keyText(item)!]);
    });
  };
  walk(doc.contents, []);
  return [...aliases].flatMap(([anchor, paths]) =>
    owners.has(anchor) ? [{ anchor, paths: [owners.get(anchor)!, ...paths] }] : [],
  );
}

/** Where the entry at `path` starts in the text (its key, or its list item), or -1 when it is not there. */
function entryOffset(doc: Document.Parsed, path: NodePath): number {
  let current: unknown = doc.contents;
  let offset = -1;
  for (const segment of path) {
    const node = resolve(doc, current);
    if (typeof segment === 'number') {
      if (!isSeq(node)) return -1;
      current = node.items[segment];
      offset = (current as Node | undefined)?.range?.[0] ?? -1;
    } else {
      if (!isMap(node)) return -1;
      const pair = findPair(node, segment);
      if (!pair) return -1;
      current = pair.value;
      offset = (pair.key as Node | null)?.range?.[0] ?? -1;
    }
  }
  return offset;
}

/** Whether a patch removes the node at `path`: deletes it or an ancestor, or replaces an ancestor. */
function removes(patch: PathPatch, path: NodePath): boolean {
  if (patch.op === 'delete') return samePath(patch.path, path) || isPrefix(patch.path, path);
  return patch.op === 'set' && isPrefix(patch.path, path);
}

type Need = { planned: PlannedPatch; rest: NodePath };

function signature(needs: readonly Need[]): string {
  return JSON.stringify(needs.map(({ planned, rest }) => JSON.stringify({ ...planned.patch, path: rest })).sort());
}

/**
 * Decides how patches that reach into anchored or aliased nodes are made, so that every use of an anchor (its owner
 * and each alias) ends up with exactly what it needs and no alias is left dangling:
 * - every use needs the same change: it is made once, at the anchor;
 * - otherwise each alias whose needs differ from the owner's gets its own copy of the anchored value, which then
 *   gets that alias's fixes; an alias that a patch deletes or replaces as a whole needs no copy;
 * - when the owner itself goes (deleted, or inside a field that is deleted or replaced), every alias that stays
 *   gets a copy.
 * Returns the patches in the order to apply them to the text: copies, additions, then removals from the end of the
 * text backwards, so an anchor is never removed before its aliases and list items go from the last.
 */
export function planAliases(doc: Document.Parsed, patches: readonly PlannedPatch[]): PlannedPatch[] {
  const copies: PlannedPatch[] = [];
  const rewritten = new Map<PlannedPatch, PlannedPatch>();
  for (const { anchor, paths } of aliasUses(doc)) {
    const owner = paths[0]!;
    const uses = paths.map((use) => ({
      use,
      needs: patches
        .filter((p) => samePath(use, p.patch.path) || isPrefix(use, p.patch.path))
        .map((planned): Need => ({ planned, rest: planned.patch.path.slice(use.length) })),
      gone: patches.some((p) => removes(p.patch, use)),
    }));
    const ownerGone = uses[0]!.gone;
    if (!ownerGone && uses.every((u) => u.needs.length === 0)) continue;
    const ownerSignature = signature(uses[0]!.needs);
    const allSame = !ownerGone && uses.every((u) => signature(u.needs) === ownerSignature);
    // A copy serves every fix around this anchor: if it cannot be made, none of them is.
    const sources = [
      ...new Set([
        ...uses.flatMap((u) => u.needs.flatMap((n) => n.planned.sources)),
        ...patches.filter((p) => removes(p.patch, owner)).flatMap((p) => p.sources),
      ]),
    ];
    for (const { use, needs, gone } of uses) {
      const replaced = needs.some(
        ({ planned, rest }) =>
          rest.length === 0 && planned.patch.op !== 'addToList' && planned.patch.op !== 'removeFromList',
      );
      const ownCopy =
        use !== owner && !gone && !replaced && (ownerGone || (!allSame && signature(needs) !== ownerSignature));
      if (ownCopy) copies.push({ patch: { op: 'set', path: use, value: anchor.toJS(doc) as unknown }, sources });
      const base = ownCopy || replaced ? use : owner;
      for (const { planned, rest } of needs)
        rewritten.set(planned, { ...planned, patch: { ...planned.patch, path: [...base, ...rest] } });
    }
  }
  const merged = new Map<string, PlannedPatch>();
  for (const planned of patches.map((p) => rewritten.get(p) ?? p)) {
    const key = JSON.stringify(planned.patch);
    const existing = merged.get(key);
    merged.set(
      key,
      existing ? { ...existing, sources: [...new Set([...existing.sources, ...planned.sources])] } : planned,
    );
  }
  const all = [...merged.values()];
  const additions = applicationOrder(all.filter((p) => !isRemoval(p.patch)));
  const offsets = new Map(all.filter((p) => isRemoval(p.patch)).map((p) => [p, entryOffset(doc, p.patch.path)]));
  const removals = [...offsets.keys()].sort(
    (a, b) => offsets.get(b)! - offsets.get(a)! || removalOrder(a.patch.path, b.patch.path),
  );
  return [...copies, ...additions, ...removals];
}
