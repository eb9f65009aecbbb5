import { isCollection, isPair } from 'yaml';

/**
 * Whether `test` holds for a node of the tree under `node` (pairs, their keys and values, collection items, in
 * document order; aliases are not followed), stopping at the first. yaml's `visit` does the same walk, but makes a
 * frozen copy of the path for every node, which made it a tenth of the fix's own work on large files.
 */
export function someNode(node: unknown, test: (node: unknown) => boolean): boolean {
  if (test(node)) return true;
  if (isPair(node)) return someNode(node.key, test) || someNode(node.value, test);
  if (isCollection(node)) for (const item of node.items) if (someNode(item, test)) return true;
  return false;
}
