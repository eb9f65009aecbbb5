import { describe, expect, it } from 'vitest';
import { isScalar, type Document } from 'yaml';
import { closestNode, nodeAt } from '../src/load/nodes.js';
import { streamManifest } from '../src/load/stream-parse.js';

/*
 * How rules and spans find a field: keys compared as the strings Kubernetes reads, merge keys followed, own keys
 * first. Documents both built from the CST (the loader's usual path) and composed by yaml (an anchor makes it compose).
 */

function documentOf(text: string): Document.Parsed {
  const [first] = [...streamManifest(text, { reads: () => true }).documents];
  return first!.doc;
}

const valueAt = (doc: Document.Parsed, path: (string | number)[]) => {
  const node = nodeAt(doc, doc.contents, path);
  return isScalar(node) ? node.value : node;
};

describe('finding a field', () => {
  it('reads keys that are not strings as the strings they spell, and skips nulls', () => {
    const doc = documentOf(
      'apiVersion: v1\nkind: ConfigMap\ndata:\n  1: one\n  true: yes\n  ~: nothing\n  x: [a, b]\n',
    );
    expect(valueAt(doc, ['data', '1'])).toBe('one');
    expect(valueAt(doc, ['data', 'true'])).toBe('yes');
    expect(valueAt(doc, ['data', 'null'])).toBeUndefined();
    expect(valueAt(doc, ['data', 'x', 1])).toBe('b');
    expect(valueAt(doc, ['data', 'missing'])).toBeUndefined();
  });

  it('follows merge keys and aliases, own keys winning over merged ones', () => {
    const doc = documentOf(
      'apiVersion: v1\nkind: ConfigMap\nbase: &base\n  a: merged\n  b: merged\nother: &other\n  c: second\n' +
        'data:\n  <<: [*base, *other]\n  a: own\n  ref: *base\n',
    );
    expect(valueAt(doc, ['data', 'a'])).toBe('own');
    expect(valueAt(doc, ['data', 'b'])).toBe('merged');
    expect(valueAt(doc, ['data', 'c'])).toBe('second');
    expect(valueAt(doc, ['data', 'ref', 'b'])).toBe('merged');
    expect(valueAt(doc, ['data', 'd'])).toBeUndefined();
  });

  it('shows a missing field at the key of its deepest present parent', () => {
    const doc = documentOf('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      image: x\n');
    const found = closestNode(doc, doc.contents, ['spec', 'containers', 0, 'securityContext', 'privileged']);
    expect(found.found).toBe(false);
    expect(found.node.range?.[0]).toBe(doc.toString().indexOf('- name') + 2);
    expect(closestNode(doc, doc.contents, ['spec', 'containers', 0, 'image']).found).toBe(true);
  });
});
