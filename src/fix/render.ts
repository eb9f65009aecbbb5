/*
 * Writes new YAML for the values a fix inserts. Only new nodes are rendered: existing text is never
 * re-serialised. Strings are quoted whenever YAML 1.1 (Kubernetes) or YAML 1.2 could read them as anything
 * but a string, so `"yes"` or `"0400"` stay strings.
 */

export interface RenderStyle {
  /** Spaces per nesting level of mappings. */
  indent: number;
  /** Whether block sequence items sit indented under their key (`key:\n  - a`) or in its column (`key:\n- a`). */
  indentSequences: boolean;
  eol: string;
}

const AMBIGUOUS_PLAIN =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:\.?[0-9][0-9_:.eE+-]*|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|=|<<)$/;

export function renderScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  const text = String(value);
  const needsQuotes =
    text === '' ||
    AMBIGUOUS_PLAIN.test(text) ||
    /^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(text) ||
    /[\s]$/.test(text) ||
    /: |:$| #|[\n\r\t]/.test(text);
  return needsQuotes ? JSON.stringify(text) : text;
}

function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function isEmptyCollection(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : isCollection(value) && Object.keys(value).length === 0;
}

/**
 * Flow style, for values inside `{…}` / `[…]` and for empty collections. `json` quotes every key and string as
 * JSON does, for documents written as JSON.
 */
export function renderFlow(value: unknown, json = false): string {
  const scalar = (v: unknown) => (json && typeof v === 'string' ? JSON.stringify(v) : renderScalar(v));
  if (Array.isArray(value)) return `[${value.map((item) => renderFlow(item, json)).join(', ')}]`;
  if (isCollection(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${scalar(k)}: ${renderFlow(v, json)}`)
      .join(', ')}}`;
  return scalar(value);
}

/**
 * Lines (without line ends) of `key: value` in block style, the first at column `column`. A collection value
 * goes on the following lines; scalars and empty collections stay on the key's line.
 */
export function renderPair(key: string, value: unknown, column: number, style: RenderStyle): string[] {
  const pad = ' '.repeat(column);
  if (!isCollection(value) || isEmptyCollection(value)) return [`${pad}${renderScalar(key)}: ${renderFlow(value)}`];
  const childColumn = Array.isArray(value)
    ? column + (style.indentSequences ? style.indent : 0)
    : column + style.indent;
  return [`${pad}${renderScalar(key)}:`, ...renderBlock(value, childColumn, style)];
}

/** A collection in block style, every line starting at `column`. */
export function renderBlock(value: Record<string, unknown> | unknown[], column: number, style: RenderStyle): string[] {
  if (!Array.isArray(value)) return Object.entries(value).flatMap(([k, v]) => renderPair(k, v, column, style));
  return value.flatMap((item) => renderSequenceItem(item, column, style));
}

/** `- item` lines; a mapping item continues on the dash's line (`- name: x`). */
export function renderSequenceItem(item: unknown, column: number, style: RenderStyle): string[] {
  const pad = ' '.repeat(column);
  if (!isCollection(item) || isEmptyCollection(item)) return [`${pad}- ${renderFlow(item)}`];
  const lines = renderBlock(item, column + 2, style);
  return [`${pad}- ${lines[0]!.slice(column + 2)}`, ...lines.slice(1)];
}
