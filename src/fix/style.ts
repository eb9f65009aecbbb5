import { isMap, isPair, isSeq, type Document } from 'yaml';
import { someNode } from './walk-nodes.js';
import type { RenderStyle } from './render.js';

/**
 * A text's own conventions, read from its text and AST, so inserted lines look like their neighbours: line ends, the
 * indentation step of mappings, and whether block sequences are indented under their key. Each document's are its
 * own (a document fixes alone as it does in its file); a file's, over all its documents, are for documents added to
 * it.
 */

/** What one document shows of the conventions. */
export interface StyleEvidence {
  /** How often each indentation step of a nested block mapping occurs. */
  steps: Map<number, number>;
  /** Block sequences indented under their key, and in the key's column. */
  indented: number;
  flush: number;
}

export function styleEvidence(text: string, doc: Document.Parsed): StyleEvidence {
  const evidence: StyleEvidence = { steps: new Map(), indented: 0, flush: 0 };
  const columnOf = (offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  someNode(doc.contents, (pair) => {
    if (!isPair(pair)) return false;
    const key = pair.key as { range?: [number, number, number] } | null;
    if (!key?.range) return false;
    const value = pair.value;
    const keyColumn = columnOf(key.range[0]);
    if (isMap(value) && !value.flow && value.range) {
      const step = columnOf(value.range[0]) - keyColumn;
      if (step > 0) evidence.steps.set(step, (evidence.steps.get(step) ?? 0) + 1);
    } else if (isSeq(value) && !value.flow && value.range) {
      if (columnOf(value.range[0]) > keyColumn) evidence.indented++;
      else evidence.flush++;
    }
    return false;
  });
  return evidence;
}

/** The line end of a text: CRLF if it has one anywhere. */
export function lineEndOf(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

/** The style the evidence shows most often (2-space indentation and indented sequences when it shows none). */
export function styleOf(eol: string, evidence: readonly StyleEvidence[]): RenderStyle {
  const steps = new Map<number, number>();
  let indented = 0;
  let flush = 0;
  for (const one of evidence) {
    for (const [step, count] of one.steps) steps.set(step, (steps.get(step) ?? 0) + count);
    indented += one.indented;
    flush += one.flush;
  }
  const indent = [...steps.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 2;
  return { eol, indent, indentSequences: indented >= flush };
}
