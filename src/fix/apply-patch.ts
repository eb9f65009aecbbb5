import { isDeepStrictEqual } from 'node:util';
import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Scalar,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { findPair, keyText, resolve, type NodePath } from '../load/nodes.js';
import { readString } from '../load/scalars.js';
import type { PathPatch } from './plan.js';
import { renderFlow, renderPair, renderScalar, renderSequenceItem, type RenderStyle } from './render.js';
import { columnOf, lastLineOf, lineEnd, lineStart, nextLineStart, type TextEdit } from './text-edits.js';

/** A patch that cannot be turned into a text edit without guessing; the file is then left as it is. */
export class FixError extends Error {}

type Container = YAMLMap | YAMLSeq;

interface Context {
  doc: Document.Parsed;
  text: string;
  style: RenderStyle;
}

function nest(path: NodePath, value: unknown): unknown {
  let nested = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i]!;
    if (typeof segment === 'number') throw new FixError(`cannot create list item ${segment}: the list is missing`);
    nested = { [segment]: nested };
  }
  return nested;
}

function isNullNode(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function range(node: { range?: [number, number, number] | null } | null | undefined): [number, number, number] {
  if (!node?.range) throw new FixError('a node without a source position');
  return node.range;
}

function hasMergeKey(map: YAMLMap): boolean {
  return map.items.some((item) => isPair(item) && keyText(item) === '<<');
}

/** End of a pair's text (its value, or its key when the value is empty). */
function pairEnd(pair: Pair): number {
  const value = pair.value as Node | null;
  if (
    value &&
    (value as Node).range &&
    !(isScalar(value) && value.value === null && range(value)[0] === range(value)[1])
  )
    return range(value)[1];
  return range(pair.key as Node)[1];
}

function colonAfterKey(text: string, pair: Pair): number {
  const colon = text.indexOf(':', range(pair.key as Node)[1]);
  if (colon === -1) throw new FixError('cannot find the colon after a key');
  return colon;
}

/**
 * Where a new value goes after `key:`: past the colon and any anchor or tag written there (`key: &shared`), so an
 * anchor that aliases refer to stays in place.
 */
function valueSlot(text: string, colon: number): number {
  const end = lineEnd(text, colon);
  const prop = /[ \t]+[&!][^\s,[\]{}]*/y;
  let at = colon + 1;
  for (prop.lastIndex = at; at < end && prop.exec(text) !== null && prop.lastIndex <= end; prop.lastIndex = at)
    at = prop.lastIndex;
  return at;
}

function startsDoubleQuoted(collection: YAMLMap | YAMLSeq): boolean {
  const first = collection.items[0];
  const node = isPair(first) ? first.key : first;
  return isScalar(node) && node.type === Scalar.QUOTE_DOUBLE;
}

/**
 * Whether a flow collection is written as JSON (in a document that is JSON, or starting with a double-quoted key or
 * item): what is added to it then is JSON too.
 */
function isJson(ctx: Context, collection: YAMLMap | YAMLSeq): boolean {
  if (!collection.flow) return false;
  if (startsDoubleQuoted(collection)) return true;
  const root = ctx.doc.contents;
  return (isMap(root) || isSeq(root)) && root.flow === true && startsDoubleQuoted(root);
}

/** Text for a scalar that replaces `old`, keeping its quote style where the new value is a string. */
function replacementScalar(old: Node | null, value: unknown): string {
  if (typeof value === 'string' && isScalar(old)) {
    if (old.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (old.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  }
  return renderScalar(value);
}

/** Lines rendered for insertion at a line start, each ending with the file's line end. */
function asLines(lines: string[], style: RenderStyle): string {
  return lines.map((line) => line + style.eol).join('');
}

/** Inserts whole lines after the line where `end` lies. */
function insertLinesAfter(ctx: Context, end: number, lines: string[]): TextEdit {
  const at = nextLineStart(ctx.text, lastLineOf(ctx.text, end));
  const needsBreak = at === ctx.text.length && at > 0 && ctx.text[at - 1] !== '\n';
  return { start: at, end: at, text: (needsBreak ? ctx.style.eol : '') + asLines(lines, ctx.style) };
}

function blockChildColumn(ctx: Context, keyColumn: number, value: unknown): number {
  if (Array.isArray(value)) return keyColumn + (ctx.style.indentSequences ? ctx.style.indent : 0);
  return keyColumn + ctx.style.indent;
}

function isNonEmptyCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

/** Block lines for a collection value of `pair`, one level below its key. */
function renderBlockValue(ctx: Context, pair: Pair, value: Record<string, unknown> | unknown[]): string[] {
  const keyColumn = columnOf(ctx.text, range(pair.key as Node)[0]);
  const column = blockChildColumn(ctx, keyColumn, value);
  return Array.isArray(value)
    ? value.flatMap((item) => renderSequenceItem(item, column, ctx.style))
    : Object.entries(value).flatMap(([k, v]) => renderPair(k, v, column, ctx.style));
}

/**
 * Gives `pair` (in a block mapping) a new block collection value: whatever follows the colon up to `oldEnd`
 * goes, and the new lines follow the key's line (after any comment on it).
 */
function blockValueEdits(
  ctx: Context,
  pair: Pair,
  oldEnd: number | undefined,
  value: Record<string, unknown> | unknown[],
): TextEdit[] {
  const colon = colonAfterKey(ctx.text, pair);
  const slot = valueSlot(ctx.text, colon);
  const stop = oldEnd === undefined ? colon : lastLineOf(ctx.text, oldEnd);
  const edits: TextEdit[] = [];
  if (stop > slot) edits.push({ start: slot, end: stop, text: '' });
  const at = lineEnd(ctx.text, Math.max(colon, stop));
  edits.push({
    start: at,
    end: at,
    text: renderBlockValue(ctx, pair, value)
      .map((line) => ctx.style.eol + line)
      .join(''),
  });
  return edits;
}

/** `key:` with an empty or null value gets a value. */
function fillEmptyValue(ctx: Context, pair: Pair, parent: YAMLMap, value: unknown): TextEdit[] {
  const old = pair.value as Node | null;
  const oldRange = old?.range && old.range[1] > old.range[0] ? old.range : undefined;
  if (!parent.flow && isNonEmptyCollection(value)) return blockValueEdits(ctx, pair, oldRange?.[1], value);
  const text =
    typeof value === 'object' && value !== null
      ? renderFlow(value, isJson(ctx, parent))
      : replacementScalar(old, value);
  if (oldRange) return [{ start: oldRange[0], end: lastLineOf(ctx.text, oldRange[1]), text }];
  const slot = valueSlot(ctx.text, colonAfterKey(ctx.text, pair));
  return [{ start: slot, end: slot, text: ` ${text}` }];
}

/**
 * Adds an entry after the last one (starting at `lastStart`, ending at `lastEnd`) of a flow collection opened at
 * `open`: on the same line when the collection is written on one line, else on a line of its own, below the last.
 */
function appendFlowEntry(ctx: Context, open: number, lastStart: number, lastEnd: number, entry: string): TextEdit {
  const oneLine = lineStart(ctx.text, open) === lineStart(ctx.text, lastStart);
  const separator = oneLine ? ', ' : `,${ctx.style.eol}${' '.repeat(columnOf(ctx.text, lastStart))}`;
  return { start: lastEnd, end: lastEnd, text: separator + entry };
}

/** Adds `key: value` to a mapping that lacks it, after its last pair and in its style. */
function insertPair(ctx: Context, map: YAMLMap, key: string, value: unknown): TextEdit[] {
  if (map.flow) {
    const [start, end] = range(map);
    const close = ctx.text.lastIndexOf('}', end - 1);
    if (close < start) throw new FixError('cannot find the end of a flow mapping');
    const json = isJson(ctx, map);
    const entry = `${json ? JSON.stringify(key) : renderScalar(key)}: ${renderFlow(value, json)}`;
    if (map.items.length === 0) return [{ start: close, end: close, text: entry }];
    const last = map.items[map.items.length - 1]!;
    return [appendFlowEntry(ctx, start, range(last.key as Node)[0], pairEnd(last), entry)];
  }
  if (map.items.length === 0) throw new FixError('an empty block mapping');
  const first = map.items[0]!;
  const column = columnOf(ctx.text, range(first.key as Node)[0]);
  const last = map.items[map.items.length - 1]!;
  return [insertLinesAfter(ctx, pairEnd(last), renderPair(key, value, column, ctx.style))];
}

/** Replaces an existing value: a scalar in place (keeping its quotes), a collection in its own style. */
function replaceValue(ctx: Context, pair: Pair, parent: YAMLMap, value: unknown): TextEdit[] {
  const old = pair.value as Node | null;
  if (isNullNode(old) && !isAlias(old)) return fillEmptyValue(ctx, pair, parent, value);
  const [start, end] = range(old as Node);
  const oldIsBlock = isCollection(old) && !old.flow;
  if (!isNonEmptyCollection(value)) {
    const json = isJson(ctx, parent) || (isCollection(old) && isJson(ctx, old));
    const text = typeof value === 'object' && value !== null ? renderFlow(value, json) : replacementScalar(old, value);
    if (oldIsBlock) return collapseBlockValue(ctx, pair, end, text);
    return [{ start, end: lastLineOf(ctx.text, end), text }];
  }
  if (parent.flow || (isCollection(old) && old.flow))
    return [{ start, end, text: renderFlow(value, isJson(ctx, parent) || (isCollection(old) && isJson(ctx, old))) }];
  if (!oldIsBlock) return blockValueEdits(ctx, pair, end, value);
  const column = columnOf(ctx.text, isSeq(old) ? ctx.text.lastIndexOf('-', start) : start);
  const lines = Array.isArray(value)
    ? value.flatMap((item) => renderSequenceItem(item, column, ctx.style))
    : Object.entries(value).flatMap(([k, v]) => renderPair(k, v, column, ctx.style));
  return [
    {
      start: lineStart(ctx.text, start),
      end: nextLineStart(ctx.text, lastLineOf(ctx.text, end)),
      text: asLines(lines, ctx.style),
    },
  ];
}

/**
 * Replaces the block collection that `pair` holds (ending at `end`) by `text` on the key's line, keeping what is
 * written there after the colon (an anchor, a comment).
 */
function collapseBlockValue(ctx: Context, pair: Pair, end: number, text: string): TextEdit[] {
  const colon = colonAfterKey(ctx.text, pair);
  const slot = valueSlot(ctx.text, colon);
  return [
    { start: slot, end: slot, text: ` ${text}` },
    { start: lineEnd(ctx.text, colon), end: lastLineOf(ctx.text, end), text: '' },
  ];
}

/** Start of the comment lines directly above `offset` at the same column: yaml attaches them to that node. */
function attachedCommentStart(text: string, offset: number): number {
  const column = columnOf(text, offset);
  let start = lineStart(text, offset);
  while (start > 0) {
    const previous = lineStart(text, start - 1);
    const line = text.slice(previous, start);
    if (!new RegExp(`^ {${column}}#`).test(line)) break;
    start = previous;
  }
  return start;
}

/** Removes one entry (a pair of a mapping, an item of a sequence), with its line and the comments that belong to it. */
function removeEntry(
  ctx: Context,
  collection: Container,
  index: number,
  ownerPair: Pair | undefined,
  emptyText: string,
): TextEdit[] {
  const entries = collection.items as (Pair | Node)[];
  const entry = entries[index]!;
  const entryStart = isPair(entry) ? range(entry.key as Node)[0] : range(entry as Node)[0];
  const entryEnd = isPair(entry) ? pairEnd(entry) : range(entry as Node)[1];
  if (collection.flow) {
    if (entries.length === 1) return [{ start: entryStart, end: entryEnd, text: '' }];
    if (index < entries.length - 1) {
      const next = entries[index + 1]!;
      const nextStart = isPair(next) ? range(next.key as Node)[0] : range(next as Node)[0];
      return [{ start: entryStart, end: nextStart, text: '' }];
    }
    const previous = entries[index - 1]!;
    const previousEnd = isPair(previous) ? pairEnd(previous) : range(previous as Node)[1];
    return [{ start: previousEnd, end: entryEnd, text: '' }];
  }
  if (entries.length === 1) {
    if (ownerPair) return collapseBlockValue(ctx, ownerPair, range(collection)[1], emptyText);
    return [{ start: range(collection)[0], end: lastLineOf(ctx.text, range(collection)[1]), text: emptyText }];
  }
  const dash = isSeq(collection) ? ctx.text.lastIndexOf('-', entryStart) : entryStart;
  const firstOnDashLine =
    isMap(collection) && index === 0 && /-\s*$/.test(ctx.text.slice(lineStart(ctx.text, entryStart), entryStart));
  if (firstOnDashLine) {
    const next = entries[1] as Pair;
    return [{ start: entryStart, end: range(next.key as Node)[0], text: '' }];
  }
  const start = attachedCommentStart(ctx.text, dash);
  return [{ start, end: nextLineStart(ctx.text, lastLineOf(ctx.text, entryEnd)), text: '' }];
}

interface Walk {
  /** The collection holding the last segment. */
  parent: Container;
  /** The pair whose value `parent` is (undefined for the document root or a sequence item). */
  parentPair: Pair | undefined;
  /** The segment under `parent` that the patch addresses. */
  last: string | number;
}

/**
 * Follows `path` to the collection that holds its last segment. A missing mapping on the way is reported
 * through `missing` (so `set` can create it); other gaps throw.
 */
function walk(
  ctx: Context,
  path: NodePath,
  missing: (map: YAMLMap, pair: Pair | undefined, key: string, rest: NodePath) => TextEdit[] | undefined,
): Walk | TextEdit[] | undefined {
  let current: Node | undefined = resolve(ctx.doc, ctx.doc.contents);
  let currentPair: Pair | undefined;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!;
    if (typeof segment === 'number') {
      if (!isSeq(current)) throw new FixError(`expected a list at ${path.slice(0, i).join('.')}`);
      const item = resolve(ctx.doc, current.items[segment]);
      if (!item) throw new FixError(`no item ${segment} at ${path.slice(0, i).join('.')}`);
      current = item;
      currentPair = undefined;
      continue;
    }
    if (!isMap(current))
      throw new FixError(`expected a mapping at ${path.slice(0, i).join('.') || 'the document root'}`);
    const pair = findPair(current, segment);
    if (!pair) {
      if (hasMergeKey(current))
        throw new FixError(`${path.slice(0, i + 1).join('.')} may come from a YAML merge key (<<); fix it by hand`);
      return missing(current, undefined, segment, path.slice(i + 1));
    }
    const value = resolve(ctx.doc, pair.value);
    if (isNullNode(value)) return missing(current, pair, segment, path.slice(i + 1));
    if (!isCollection(value)) throw new FixError(`${path.slice(0, i + 1).join('.')} is a scalar, not a mapping`);
    current = value;
    currentPair = pair;
  }
  if (!isCollection(current))
    throw new FixError(`expected a mapping or list at ${path.slice(0, -1).join('.') || 'the document root'}`);
  return { parent: current, parentPair: currentPair, last: path[path.length - 1]! };
}

function setPatch(ctx: Context, path: NodePath, value: unknown): TextEdit[] {
  const result = walk(ctx, path, (map, pair, key, rest) => {
    const nested = nest(rest, value);
    return pair ? fillEmptyValue(ctx, pair, map, nested) : insertPair(ctx, map, key, nested);
  });
  if (Array.isArray(result) || result === undefined) return result ?? [];
  const { parent, last } = result;
  if (typeof last === 'number') {
    if (!isSeq(parent) || !parent.items[last]) throw new FixError(`no list item ${last} to set`);
    const item = parent.items[last] as Node;
    if (isCollection(item) || (typeof value === 'object' && value !== null))
      throw new FixError('only scalar list items can be replaced');
    return [{ start: range(item)[0], end: lastLineOf(ctx.text, range(item)[1]), text: replacementScalar(item, value) }];
  }
  if (!isMap(parent)) throw new FixError(`expected a mapping to hold ${last}`);
  const pair = findPair(parent, last);
  if (!pair) {
    if (hasMergeKey(parent))
      throw new FixError(`${path.join('.')} may come from a YAML merge key (<<); fix it by hand`);
    return insertPair(ctx, parent, last, value);
  }
  return replaceValue(ctx, pair, parent, value);
}

function deletePatch(ctx: Context, path: NodePath): TextEdit[] {
  const result = walk(ctx, path, () => []);
  if (Array.isArray(result) || result === undefined) return [];
  const { parent, parentPair, last } = result;
  if (typeof last === 'number') {
    if (!isSeq(parent) || !parent.items[last]) return [];
    return removeEntry(ctx, parent, last, parentPair, '[]');
  }
  if (!isMap(parent)) return [];
  const index = parent.items.findIndex((item) => isPair(item) && keyText(item) === last);
  return index === -1 ? [] : removeEntry(ctx, parent, index, parentPair, '{}');
}

/** Whether a list item is `value`: a scalar by its text as Kubernetes reads it, a collection by its content. */
function sameValue(doc: Document, node: unknown, value: unknown): boolean {
  const resolved = resolve(doc, node);
  if (typeof value === 'object' && value !== null)
    return isCollection(resolved) && isDeepStrictEqual(resolved.toJS(doc), value);
  return isScalar(resolved) && readString(resolved) === String(value);
}

function addToListPatch(ctx: Context, path: NodePath, value: unknown): TextEdit[] {
  const result = walk(ctx, [...path, 0], (map, pair, key, rest) => {
    const nested = nest(rest.slice(0, -1), [value]);
    return pair ? fillEmptyValue(ctx, pair, map, nested) : insertPair(ctx, map, key, nested);
  });
  if (Array.isArray(result) || result === undefined) return result ?? [];
  const { parent: list } = result;
  if (!isSeq(list)) throw new FixError(`${path.join('.')} is not a list`);
  if (list.items.some((item) => sameValue(ctx.doc, item, value))) return [];
  if (list.flow) {
    const [start, end] = range(list);
    if (list.items.length === 0) {
      const close = ctx.text.lastIndexOf(']', end - 1);
      if (close < start) throw new FixError('cannot find the end of a flow list');
      return [{ start: close, end: close, text: renderFlow(value, isJson(ctx, list)) }];
    }
    const lastItem = list.items[list.items.length - 1] as Node;
    return [appendFlowEntry(ctx, start, range(lastItem)[0], range(lastItem)[1], renderFlow(value, isJson(ctx, list)))];
  }
  if (list.items.length === 0) throw new FixError('an empty block list');
  const firstItem = list.items[0] as Node;
  const dashColumn = columnOf(ctx.text, ctx.text.lastIndexOf('-', range(firstItem)[0]));
  const lastItem = list.items[list.items.length - 1] as Node;
  return [insertLinesAfter(ctx, range(lastItem)[1], renderSequenceItem(value, dashColumn, ctx.style))];
}

function removeFromListPatch(ctx: Context, path: NodePath, value: unknown): TextEdit[] {
  const result = walk(ctx, [...path, 0], () => []);
  if (Array.isArray(result) || result === undefined) return [];
  const { parent: list, parentPair } = result;
  if (!isSeq(list)) return [];
  const index = list.items.findIndex((item) => sameValue(ctx.doc, item, value));
  return index === -1 ? [] : removeEntry(ctx, list, index, parentPair, '[]');
}

/** The text edits that carry out one patch on one document. */
export function editsForPatch(doc: Document.Parsed, text: string, style: RenderStyle, patch: PathPatch): TextEdit[] {
  const ctx: Context = { doc, text, style };
  switch (patch.op) {
    case 'set':
      return setPatch(ctx, patch.path, patch.value);
    case 'delete':
      return deletePatch(ctx, patch.path);
    case 'addToList':
      return addToListPatch(ctx, patch.path, patch.value);
    case 'removeFromList':
      return removeFromListPatch(ctx, patch.path, patch.value);
  }
}
