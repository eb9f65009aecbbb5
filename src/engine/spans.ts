import { isMap, isScalar, type Document, type Node } from 'yaml';
import { asMap, asSeq, closestNode, findPair, lookupPair, resolve, type NodePath } from '../load/nodes.js';
import type { LineIndex } from '../load/positions.js';
import { CONTAINER_LISTS } from '../load/workloads.js';
import type { FindingSpan } from './types.js';

const CONTAINER_LIST_KEYS = new Set(CONTAINER_LISTS.map(({ key }) => key));

/**
 * The span a finding shows: the node at `path`, or the closest present ancestor. A whole mapping is too
 * big to underline, so a container is shown by its `name: …` pair and other mappings by their first line.
 * With `withCoveringLines`, a missing field's span also says where else it could be shown (see FindingSpan).
 */
export function spanOfPath(
  doc: Document,
  lines: LineIndex,
  text: string,
  path: NodePath,
  withCoveringLines = false,
): FindingSpan {
  const { node, found } = closestNode(doc, doc.contents, path);
  const span = spanOfNode(node, lines, text);
  return found || !withCoveringLines ? span : { ...span, coveringLines: coveringLines(doc, lines, text, path) };
}

/**
 * For a path that does not exist: the lines where the finding would be shown had fewer of its parents existed, from
 * its container (or the document's root) down to where it is shown. A fix that creates a missing parent (a
 * `securityContext`) moves such a finding down; a suppression comment on any of these lines keeps covering it.
 */
function coveringLines(doc: Document, lines: LineIndex, text: string, path: NodePath): number[] {
  const found: number[] = [];
  let current = resolve(doc, doc.contents);
  for (const [index, segment] of path.entries()) {
    if (typeof segment === 'number') {
      const item = resolve(doc, asSeq(doc, current)?.items[segment]);
      if (!item) break;
      // A container's missing field belongs to the container, not to the lines above it.
      if (CONTAINER_LIST_KEYS.has(String(path[index - 1]))) found.length = 0;
      found.push(spanOfNode(item, lines, text).line);
      current = item;
    } else {
      const map = asMap(doc, current);
      const pair = map ? lookupPair(doc, map, segment) : undefined;
      const key = pair?.key as Node | undefined;
      if (!key?.range) break;
      found.push(lines.position(key.range[0]).line);
      current = resolve(doc, pair!.value);
    }
  }
  return found;
}

function spanOfNode(node: Node, lines: LineIndex, text: string): FindingSpan {
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
  const firstLineEnd =
    lineEnd === -1 ? valueEnd : Math.min(valueEnd, text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd);
  return lines.span(start, Math.max(firstLineEnd, start));
}
