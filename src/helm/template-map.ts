import type { NodePath } from '../load/nodes.js';

/*
 * Where a rendered field was written in a Helm template. A template is line-structured YAML with `{{ }}` actions,
 * which no YAML parser reads, so its key lines are read by their indentation, as a person reads them: action-only
 * lines (`{{- with … }}`, `{{- end }}`, `{{- toYaml . | nindent 8 }}`) are not keys, a key whose name is an action is
 * no known key. A rendered path is then followed through the keys; what a `toYaml`/`include`/`tpl` line emits is
 * shown at that line as a best guess, as are the copies a `range` makes of one list item.
 */

/** A key or list item written in the template. */
interface TemplateNode {
  line: number;
  /** 1-based, of the key (or of the item's first character after `- `). */
  column: number;
  endColumn: number;
  /** The indentation column of the node's own line content: deeper lines belong to it. */
  indent: number;
  keys: Map<string, TemplateNode>;
  items: TemplateNode[];
  /** Action lines inside the node that emit YAML (`toYaml`, `include`, `tpl`): where unlisted keys come from. */
  emitters: { line: number; column: number; endColumn: number }[];
  /** A key with nothing after its colon: a list at its own indentation (`key:\n- item`) belongs to it. */
  open: boolean;
}

export interface TemplateSpot {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** True when the spot is the rendered field's own key line; false for a best guess (an emitting action). */
  certain: boolean;
}

const EMITTING_ACTION = /\{\{-?\s*(?:toYaml|include|tpl|template|toJson|\.Files)\b|\|\s*(?:toYaml|nindent|indent)\b/;
const ACTION_ONLY_LINE = /^\s*(?:\{\{.*?\}\}\s*)+$/;
const KEY = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"{][^:#]*?|\{\{.*?\}\}[^:]*?)\s*:(?:\s|$)/;

function newNode(line: number, column: number, endColumn: number, indent: number): TemplateNode {
  return { line, column, endColumn, indent, keys: new Map(), items: [], emitters: [], open: false };
}

function keyName(raw: string): string | undefined {
  if (raw.includes('{{')) return undefined;
  if (raw.startsWith('"')) return JSON.parse(raw) as string;
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  return raw.trim();
}

/** The documents of a template (split at `---` lines), each a tree of its written keys and items. */
export function readTemplate(text: string): TemplateNode[] {
  const documents: TemplateNode[] = [];
  let root = newNode(1, 1, 1, -1);
  let stack: TemplateNode[] = [root];
  let inComment = false;
  // The indentation of a key whose value is a block scalar (`|`, `>`): deeper lines are its text, not keys.
  let blockScalarIndent: number | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    // A multi-line action (a `{{/* comment */}}` block) is skipped whole.
    if (inComment) {
      if (raw.includes('}}')) inComment = false;
      continue;
    }
    if (/^---(\s|$)/.test(raw)) {
      documents.push(root);
      root = newNode(line, 1, 1, -1);
      stack = [root];
      continue;
    }
    const content = raw.trimStart();
    const indent = raw.length - content.length;
    if (content === '' || content.startsWith('#')) continue;
    if (blockScalarIndent !== undefined) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = undefined;
    }
    if (content.startsWith('{{') && !content.includes('}}')) {
      inComment = true;
      continue;
    }
    // An action's indentation need not be its content's (`{{- if … }}` at column 0): it closes no key. What it emits
    // is indented as it says, so it belongs to the deepest key above its column.
    if (ACTION_ONLY_LINE.test(raw)) {
      if (EMITTING_ACTION.test(raw)) {
        const owner = [...stack].reverse().find((node) => node.indent < indent) ?? root;
        owner.emitters.push({ line, column: indent + 1, endColumn: raw.length + 1 });
      }
      continue;
    }
    const isItem = /^-(\s|$)/.test(content);
    while (stack.length > 1 && stack.at(-1)!.indent >= indent) {
      const top = stack.at(-1)!;
      if (isItem && top.open && top.indent === indent) break;
      stack.pop();
    }
    let column = indent;
    let rest = content;
    // `- - key: v`: every dash opens an item of the list the node above holds.
    while (/^-(\s|$)/.test(rest)) {
      const parent = stack.at(-1)!;
      const item = newNode(line, column + 1, raw.length + 1, column);
      parent.items.push(item);
      stack.push(item);
      const after = rest.slice(1);
      const gap = after.length - after.trimStart().length;
      column += 1 + gap;
      rest = after.trimStart();
      if (rest === '') break;
      item.column = column + 1;
    }
    const key = KEY.exec(rest);
    if (!key) continue;
    const name = keyName(key[1]!);
    const node = newNode(line, column + 1, column + 1 + key[1]!.length, column);
    const value = rest.slice(key[0].length).trim();
    node.open = value === '' || value.startsWith('#') || ACTION_ONLY_LINE.test(value);
    if (/^[|>]/.test(value)) blockScalarIndent = column;
    if (name !== undefined) stack.at(-1)!.keys.set(name, node);
    stack.push(node);
  }
  documents.push(root);
  return documents;
}

/**
 * The template spot of a rendered path in one template document: the key line that writes it (certain), else the
 * emitting action of its deepest written ancestor (a best guess), else that ancestor. Undefined when not even the
 * first key is written in the template.
 */
export function locateInTemplate(document: TemplateNode, renderedPath: NodePath): TemplateSpot | undefined {
  let node = document;
  let certain = true;
  for (const segment of renderedPath) {
    let next: TemplateNode | undefined;
    if (typeof segment === 'number') {
      // A `range` writes one item for many; a rendered item past the written ones is the last one's copy.
      next = node.items[Math.min(segment, node.items.length - 1)];
      if (next && segment >= node.items.length) certain = false;
    } else {
      next = node.keys.get(segment);
    }
    if (!next) {
      const emitter = node.emitters[0];
      if (emitter)
        return {
          line: emitter.line,
          column: emitter.column,
          endLine: emitter.line,
          endColumn: emitter.endColumn,
          certain: false,
        };
      if (node === document) return undefined;
      return { ...spotOf(node), certain: false };
    }
    node = next;
  }
  return { ...spotOf(node), certain };
}

function spotOf(node: TemplateNode): Omit<TemplateSpot, 'certain'> {
  return { line: node.line, column: node.column, endLine: node.line, endColumn: node.endColumn };
}

/** The template document a rendered one came from: the n-th of its source when the counts agree, else by kind. */
export function templateDocument(
  documents: readonly TemplateNode[],
  ordinal: number,
  renderedCount: number,
  kind: string,
  templateText: string,
): TemplateNode | undefined {
  if (documents.length === renderedCount) return documents[ordinal];
  const lines = templateText.split(/\r?\n/);
  const ofKind = documents.filter((doc, index) => {
    const start = doc.line - 1;
    const end = documents[index + 1]?.line ?? lines.length + 1;
    return lines.slice(start, end - 1).some((line) => new RegExp(`^kind:\\s*["']?${kind}["']?\\s*$`).test(line));
  });
  return ofKind[0] ?? documents[0];
}
