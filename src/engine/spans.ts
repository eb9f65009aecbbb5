import { isMap, isScalar, type Document, type Node } from 'yaml';
import { closestNode, findPair, type NodePath } from '../load/nodes.js';
import type { LineIndex, Span } from '../load/positions.js';

/**
 * The span a finding shows: the node at `path`, or the closest present ancestor. A whole mapping is too
 * big to underline, so a container is shown by its `name: …` pair and other mappings by their first line.
 */
export function spanOfPath(doc: Document, lines: LineIndex, text: string, path: NodePath): Span {
  const { node } = closestNode(doc, doc.contents, path);
  return spanOfNode(node, lines, text);
}

function spanOfNode(node: Node, lines: LineIndex, text: string): Span {
  if (isMap(node)) {
    const name = findPair(node, 'name');
    const nameValue = name?.value;
    if (name && isScalar(name.key) && isScalar(nameValue) && name.key.range && nameValue.range) {
      return lines.span(name.key.range[0], nameValue.range[1]);
    }
  }
  const [start, valueEnd] = node.range ?? [0, 0];
  if (isScalar(node)) return lines.span(start, valueEnd);
  const lineEnd = text.indexOf('\n', start);
  const firstLineEnd = lineEnd === -1 ? valueEnd : Math.min(valueEnd, text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd);
  return lines.span(start, Math.max(firstLineEnd, start));
}
