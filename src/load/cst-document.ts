import { CST } from 'yaml';
import { isNullPlain } from './scalars.js';

/*
 * A look at one document of yaml's CST (the `Parser`'s tokens, before composing): which type of object it holds, and
 * whether composing it could report anything. Composing costs about a third of a parse; most documents of a
 * repository (CRDs, ConfigMaps, RBAC) are read by no rule, so the loader skips those this look can vouch for.
 *
 * The checks follow yaml's composer (compose/resolve-props.js, resolve-block-map.js, resolve-block-seq.js,
 * resolve-flow-collection.js, compose-doc.js, resolve-end.js) for the plain shapes of real manifests: block and flow
 * mappings and sequences, scalars without tags or anchors. Anything else (a tag, an anchor, an alias, an explicit
 * key, a tab, a key that is not a string, a pair in a flow sequence, deep nesting) is "not plain", and the caller
 * composes the document as before, so the loader's own checks see it.
 */

/** Deeper documents are composed, so that the loader's nesting limit sees them. */
const MAX_PLAIN_DEPTH = 64;

/** yaml reports a key whose `:` is more than 1024 characters after its start; longer ones are left to it. */
const MAX_PLAIN_KEY_SPAN = 1000;

/** Plain scalars the core schema reads as null, a boolean or a number: as keys they are left to the composer. */
const NON_STRING_PLAIN = /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+.0-9].*)?$/;

/** Characters a plain scalar may not start with (yaml reports them). */
const BAD_PLAIN_START = new Set([',', '%', '|', '>', '@', '`', '\t']);

/** A `kind` or `apiVersion` written plainly enough to be read without composing. */
const PLAIN_TYPE_WORD = /^[\w./-]+$/;

/** The type of the object a document holds, as Kubernetes reads it; a field is undefined when missing or null. */
export interface DocumentType {
  apiVersion: string | undefined;
  kind: string | undefined;
}

/** Top-level tokens beside a document that leave it as it was: spaces, line breaks, comments, a byte order mark. */
export const QUIET_TOKENS: ReadonlySet<string> = new Set(['space', 'newline', 'comment', 'byte-order-mark']);

/**
 * The top-level `apiVersion` and `kind` of a block mapping, when both are plain or quoted words (or missing);
 * undefined when only composing can tell (a tag, an alias, a flow or JSON document, an unusual spelling).
 */
export function documentType(document: CST.Document): DocumentType | undefined {
  if (document.value?.type !== 'block-map') return undefined;
  const type: DocumentType = { apiVersion: undefined, kind: undefined };
  for (const { key, sep, value } of document.value.items) {
    const name = key && sep ? keyName(key) : undefined;
    if (name !== 'kind' && name !== 'apiVersion') continue;
    const word = typeWord(value);
    if (word === false) return undefined;
    type[name] = word;
  }
  return type;
}

/**
 * Whether composing the document would report no error and give no alias, tag or anchor: its plain shapes checked as
 * yaml's composer checks them. False also when it is not that plain (compose it then).
 */
export function composesQuietly(document: CST.Document): boolean {
  return documentFrameIsPlain(document) && mapIsPlain(document.value as CST.BlockMap, 0);
}

/**
 * Whether a document is a block mapping whose start (`---`, comments) and end add nothing yaml would report; its
 * items are checked one by one (`mapItemIsPlain` and the others below, as `composesQuietly` does and cst-compose.ts).
 */
export function documentFrameIsPlain(document: CST.Document): boolean {
  const start = propsOf(document.start, 'doc-start', true);
  if (start === NOT_PLAIN || document.value?.type !== 'block-map') return false;
  if (start & FOUND && !(start & NEWLINE)) return false;
  return endIsPlain(document.end, false);
}

/** Whether the `...` that ends a document adds nothing yaml would report. */
export function documentEndIsPlain(token: CST.DocumentEnd): boolean {
  return endIsPlain(token.end, true);
}

/** What props hold, as bits (allocation-free: this runs for every collection item). */
const FOUND = 1;
const NEWLINE = 2;
const COMMA = 4;
const NOT_PLAIN = -1;

/**
 * resolveProps for tokens with no anchor, tag or tab: which of FOUND (the indicator), NEWLINE and COMMA they hold, or
 * NOT_PLAIN when yaml could object to them. In a flow collection (`flow`), one comma may stand among them.
 */
function propsOf(tokens: readonly CST.SourceToken[], indicator: string, startOnNewline: boolean, flow = false): number {
  let hasSpace = startOnNewline;
  let props = 0;
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
        if (token.source.includes('\t')) return NOT_PLAIN;
        hasSpace = true;
        break;
      case 'newline':
        props |= NEWLINE;
        hasSpace = true;
        break;
      case 'comment':
        if (!hasSpace) return NOT_PLAIN;
        break;
      case 'comma':
        if (!flow || props & COMMA) return NOT_PLAIN;
        props |= COMMA;
        hasSpace = false;
        break;
      default:
        if (token.type !== indicator || props & FOUND) return NOT_PLAIN;
        props |= FOUND;
        hasSpace = false;
    }
  }
  return props;
}

/** resolveEnd: only spaces, line breaks and comments (after a space where `spaceBeforeComment`). */
function endIsPlain(tokens: readonly CST.SourceToken[] | undefined, spaceBeforeComment: boolean): boolean {
  if (tokens === undefined) return true;
  let hasSpace = false;
  for (const token of tokens) {
    if (token.type === 'space' || token.type === 'newline') hasSpace = true;
    else if (token.type !== 'comment' || (spaceBeforeComment && !hasSpace)) return false;
  }
  return true;
}

/** Collections nested deeper are "not plain" (see MAX_PLAIN_DEPTH). */
export function depthIsPlain(depth: number): boolean {
  return depth <= MAX_PLAIN_DEPTH;
}

function mapIsPlain(map: CST.BlockMap, depth: number): boolean {
  if (!depthIsPlain(depth)) return false;
  const names: string[] = [];
  for (const item of map.items)
    if (!mapItemIsPlain(map, item, names) || (item.value && !valueIsPlain(item.value, depth + 1))) return false;
  return true;
}

/**
 * One item of a block mapping, its value's own contents aside: a string key (not among `names`, which it joins) at
 * the mapping's indentation, then `:`, or an item of comments only (no `sep`).
 */
export function mapItemIsPlain(map: CST.BlockMap, item: CST.BlockMap['items'][number], names: string[]): boolean {
  const keyProps = propsOf(item.start, 'explicit-key-ind', true);
  if (keyProps === NOT_PLAIN || keyProps & FOUND || item.explicitKey) return false;
  const { key, sep, value } = item;
  if (!sep) return !key && !value; // Comments only.
  // keyName takes scalars only, which have an indent.
  if (!key || !isNewName(keyName(key), names) || (key as CST.FlowScalar).indent !== map.indent) return false;
  const valueProps = propsOf(sep, 'map-value-ind', false);
  if (valueProps === NOT_PLAIN || !(valueProps & FOUND)) return false;
  if (valueIndicator(sep).offset - key.offset > MAX_PLAIN_KEY_SPAN) return false;
  return value?.type !== 'block-map' || (valueProps & NEWLINE) !== 0;
}

/** The `:` among a mapping item's `sep` tokens, which propsOf found there. */
function valueIndicator(sep: readonly CST.SourceToken[]): CST.SourceToken {
  for (const token of sep) if (token.type === 'map-value-ind') return token;
  throw new Error('a mapping value without its indicator');
}

/** Whether `name` is a string key not among `names` (which it joins); yaml reports a duplicate. */
function isNewName(name: string | undefined, names: string[]): boolean {
  if (name === undefined || names.includes(name)) return false;
  names.push(name);
  return true;
}

function seqIsPlain(seq: CST.BlockSequence, depth: number): boolean {
  if (!depthIsPlain(depth)) return false;
  for (const item of seq.items)
    if (!seqItemIsPlain(item) || (item.value && !valueIsPlain(item.value, depth + 1))) return false;
  return true;
}

/** One item of a block sequence, its value's own contents aside: `-`, or comments only. */
export function seqItemIsPlain({ start, value }: CST.BlockSequence['items'][number]): boolean {
  const props = propsOf(start, 'seq-item-ind', true);
  if (props === NOT_PLAIN) return false;
  return (props & FOUND) !== 0 || !value; // Without `-`, comments only.
}

/** resolveFlowCollection, for collections of scalars and flow collections, with no pair in a sequence. */
function flowIsPlain(flow: CST.FlowCollection, depth: number): boolean {
  if (!depthIsPlain(depth)) return false;
  const names: string[] = [];
  for (let at = 0; at < flow.items.length; at++) {
    const value = flow.items[at]!.value;
    if (!flowItemIsPlain(flow, at, names) || (value && !valueIsPlain(value, depth + 1))) return false;
  }
  return flowEndIsPlain(flow);
}

/**
 * The `at`-th item of a flow collection, its value's own contents aside: separated by a comma from the one before,
 * a value that is no block collection, in a mapping after a new string key (see `names`) and `:`; or a trailing
 * comma or comments, last.
 */
export function flowItemIsPlain(flow: CST.FlowCollection, at: number, names: string[]): boolean {
  const { start, key, sep, value } = flow.items[at]!;
  const props = propsOf(start, 'explicit-key-ind', false, true);
  if (props === NOT_PLAIN || props & FOUND || !(props & COMMA) !== (at === 0)) return false;
  if (!key && !sep && !value) return at === flow.items.length - 1; // A trailing comma, or comments.
  if (value && (value.type === 'block-map' || value.type === 'block-seq')) return false;
  if (flow.start.source !== '{') return !key && !sep;
  if (!key || !isNewName(keyName(key), names)) return false;
  const valueProps = propsOf(sep ?? [], 'map-value-ind', false, true);
  return valueProps !== NOT_PLAIN && (valueProps & FOUND) !== 0;
}

/** The closing bracket of a flow collection and what follows it on its line. */
export function flowEndIsPlain(flow: CST.FlowCollection): boolean {
  const [close, ...after] = flow.end;
  return close?.source === (flow.start.source === '{' ? '}' : ']') && endIsPlain(after, true);
}

function valueIsPlain(token: CST.Token, depth: number): boolean {
  switch (token.type) {
    case 'block-map':
      return mapIsPlain(token, depth);
    case 'block-seq':
      return seqIsPlain(token, depth);
    case 'flow-collection':
      return flowIsPlain(token, depth);
    default:
      return scalarIsPlain(token);
  }
}

/** A scalar token (no alias) with nothing yaml would report; false for any other token. */
export function scalarIsPlain(token: CST.Token): boolean {
  switch (token.type) {
    case 'scalar':
      return plainScalarIsClean(token);
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
      return quotedScalarIsClean(token);
    case 'block-scalar':
      return resolvedCleanly(token) !== undefined;
    default:
      return false;
  }
}

/** plainValue and resolveEnd of yaml's resolveFlowScalar, without unfolding the value. */
function plainScalarIsClean(token: CST.FlowScalar): boolean {
  return !BAD_PLAIN_START.has(token.source[0] ?? '') && endIsPlain(token.end, true);
}

/** A quoted scalar with its closing quote and no escapes is clean without being resolved. */
function quotedScalarIsClean(token: CST.FlowScalar): boolean {
  const { source } = token;
  const quote = token.type === 'single-quoted-scalar' ? "'" : '"';
  const simple = source.length > 1 && source.endsWith(quote) && (quote === "'" || !source.includes('\\'));
  return simple ? endIsPlain(token.end, true) : resolvedCleanly(token) !== undefined;
}

/** The scalar's string as yaml reads it (no schema), or undefined when yaml reports something about it. */
export function resolvedCleanly(token: CST.FlowScalar | CST.BlockScalar): string | undefined {
  let clean = true;
  const resolved = CST.resolveAsScalar(token, true, () => {
    clean = false;
  });
  return clean && resolved ? resolved.value : undefined;
}

/** A single-line scalar key that is a string to the core schema, as that string; undefined otherwise. */
export function keyName(key: CST.Token | null): string | undefined {
  if (key?.type !== 'scalar' && key?.type !== 'single-quoted-scalar' && key?.type !== 'double-quoted-scalar')
    return undefined;
  if (key.source.includes('\n')) return undefined;
  if (key.end && !onlySpaces(key.end)) return undefined;
  if (key.type !== 'scalar') return resolvedCleanly(key);
  return plainScalarIsClean(key) && !NON_STRING_PLAIN.test(key.source) ? key.source : undefined;
}

function onlySpaces(tokens: readonly CST.SourceToken[]): boolean {
  for (const token of tokens) if (token.type !== 'space') return false;
  return true;
}

/** A `kind` or `apiVersion` value as Kubernetes reads it; false when only composing can tell. */
function typeWord(value: CST.Token | undefined): string | undefined | false {
  if (!value) return undefined;
  if (value.type === 'scalar') {
    // Kubernetes reads a null as unset: such a type field is no type.
    if (isNullPlain(value.source)) return undefined;
    return PLAIN_TYPE_WORD.test(value.source) && endIsPlain(value.end, true) ? value.source : false;
  }
  if (value.type === 'single-quoted-scalar' || value.type === 'double-quoted-scalar') {
    const text = resolvedCleanly(value);
    return text !== undefined && PLAIN_TYPE_WORD.test(text) ? text : false;
  }
  return false;
}
