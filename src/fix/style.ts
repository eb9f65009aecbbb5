import { isMap, isPair, isSeq, visit, type Document } from 'yaml';
import type { RenderStyle } from './render.js';

/**
 * The file's own conventions, read from its text and AST (its documents may stream by one at a time), so inserted
 * lines look like their neighbours: line ends, the indentation step of mappings, and whether block sequences are
 * indented under their key.
 */
export function detectStyle(text: string, docs: Iterable<Document.Parsed>): RenderStyle {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const steps = new Map<number, number>();
  let indented = 0;
  let flush = 0;
  const columnOf = (offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  for (const doc of docs) {
    visit(doc, {
      Pair(_, pair) {
        const key = pair.key as { range?: [number, number, number] } | null;
        if (!isPair(pair) || !key?.range) return;
        const value = pair.value;
        const keyColumn = columnOf(key.range[0]);
        if (isMap(value) && !value.flow && value.range) {
          const step = columnOf(value.range[0]) - keyColumn;
          if (step > 0) steps.set(step, (steps.get(step) ?? 0) + 1);
        } else if (isSeq(value) && !value.flow && value.range) {
          if (columnOf(value.range[0]) > keyColumn) indented++;
          else flush++;
        }
      },
    });
  }
  const indent = [...steps.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 2;
  return { eol, indent, indentSequences: indented >= flush };
}
