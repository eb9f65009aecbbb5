import type { Document, YAMLMap } from 'yaml';
import { asMap, asScalar, asSeq, child, type NodePath } from './nodes.js';
import { readString } from './scalars.js';

/** One Kubernetes object in a file: a document, or an item of a `kind: List`. */
export interface Resource {
  doc: Document.Parsed;
  /** Index of the document in the file's YAML stream (0-based). */
  documentIndex: number;
  /** Where the object sits from the document root: `[]`, or `['items', 3]` for a List item. */
  path: NodePath;
  node: YAMLMap;
  apiVersion: string;
  kind: string;
  name: string | undefined;
  namespace: string | undefined;
}

function stringField(doc: Document, node: unknown, ...keys: string[]): string | undefined {
  let current: unknown = node;
  for (const key of keys) current = child(doc, current, key);
  const scalar = asScalar(doc, current);
  return scalar ? readString(scalar) : undefined;
}

function toResource(doc: Document.Parsed, documentIndex: number, node: unknown, path: NodePath): Resource | undefined {
  const map = asMap(doc, node);
  if (!map) return undefined;
  const apiVersion = stringField(doc, map, 'apiVersion');
  const kind = stringField(doc, map, 'kind');
  // Without both, the API server cannot decode the object; such documents (values files, kustomize patches) are not ours.
  if (!apiVersion || !kind) return undefined;
  return {
    doc,
    documentIndex,
    path,
    node: map,
    apiVersion,
    kind,
    name: stringField(doc, map, 'metadata', 'name'),
    namespace: stringField(doc, map, 'metadata', 'namespace'),
  };
}

/** `kind: List` and typed lists (`DeploymentList`, …) hold their objects in `items`; kubectl applies each. */
function isList(resource: Resource): boolean {
  return (
    resource.kind === 'List' ||
    (resource.kind.endsWith('List') && child(resource.doc, resource.node, 'items') !== undefined)
  );
}

export function resourcesOf(doc: Document.Parsed, documentIndex: number): Resource[] {
  const top = toResource(doc, documentIndex, doc.contents, []);
  if (!top) return [];
  if (!isList(top)) return [top];
  const items = asSeq(doc, child(doc, top.node, 'items'));
  const resources: Resource[] = [];
  items?.items.forEach((item, index) => {
    const resource = toResource(doc, documentIndex, item, ['items', index]);
    if (resource) resources.push(resource);
  });
  return resources;
}

/** A mapping of strings (labels, annotations) as Kubernetes decodes it; a null value reads as "". */
export function readStringMap(doc: Document, node: unknown): Map<string, string> {
  const result = new Map<string, string>();
  for (const pair of asMap(doc, node)?.items ?? []) {
    const key = asScalar(doc, pair.key);
    const value = asScalar(doc, pair.value);
    const keyString = key ? readString(key) : undefined;
    if (keyString !== undefined) result.set(keyString, (value && readString(value)) ?? '');
  }
  return result;
}

export function resourceLabels(resource: Resource): Map<string, string> {
  return readStringMap(resource.doc, child(resource.doc, child(resource.doc, resource.node, 'metadata'), 'labels'));
}
