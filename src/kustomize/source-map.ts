import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import type { NodePath } from '../load/nodes.js';
import { LineIndex, type Span } from '../load/positions.js';

/*
 * Where a value of a rendered resource was written: the patch that set it (the last one applied wins), else the
 * file the resource comes from (its origin annotation). A field nobody set is shown at its closest ancestor in the
 * resource's own file: the container or the resource that lacks it.
 */

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';

export interface SourceSpot extends Span {
  file: string;
  /** False when the finding could not be placed in a source file and is shown at the kustomization instead. */
  mapped: boolean;
}

export interface SourceFile {
  text: string;
  docs: Document.Parsed[];
  lines: LineIndex;
}

/** Parsed source files, each read once per run. */
export class SourceFiles {
  private readonly files = new Map<string, SourceFile | undefined>();

  get(file: string): SourceFile | undefined {
    if (!this.files.has(file)) {
      try {
        const text = readFileSync(file, 'utf8');
        this.files.set(file, { text, docs: parseAllDocuments(text) as Document.Parsed[], lines: new LineIndex(text) });
      } catch {
        this.files.set(file, undefined);
      }
    }
    return this.files.get(file);
  }
}

/** The key path of the node a rendered span starts at (a key, a scalar, or a collection's first key). */
export function pathAt(node: unknown, offset: number, at: NodePath = []): NodePath | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      if ((pair.key as Node).range?.[0] === offset) return [...at, key];
      const found = pathAt(pair.value, offset, [...at, key]);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const found = pathAt(item, offset, [...at, index]);
      if (found) return found;
    }
  } else if (isScalar(node) && node.range?.[0] === offset) {
    return at;
  }
  return undefined;
}

export function child(node: unknown, segment: string | number): unknown {
  if (typeof segment === 'number') return isSeq(node) ? node.items[segment] : undefined;
  return isMap(node) ? node.items.find((pair) => isScalar(pair.key) && pair.key.value === segment) : undefined;
}

export function valueOf(entry: unknown): unknown {
  return entry && typeof entry === 'object' && 'value' in entry && 'key' in entry
    ? (entry as { value: unknown }).value
    : entry;
}

/** The name of a list item (`containers[2]` → its `name`), which strategic merge matches items by. */
export function itemName(item: unknown): string | undefined {
  const name = valueOf(child(item, 'name'));
  return isScalar(name) ? String(name.value) : undefined;
}

/** How far a rendered path was followed through a source node. */
export interface Followed {
  /** The node at the end (its key for a mapping entry), or the deepest node reached. */
  node: Node | undefined;
  found: boolean;
  /** The source path of the deepest node reached: the rendered path's list indices translated. */
  path: NodePath;
}

/**
 * Follows a rendered path through a source node. List items are matched by name when the rendered item has one
 * (strategic merge does), else by index.
 */
export function follow(source: unknown, renderedRoot: unknown, renderedPath: NodePath): Followed {
  let current: unknown = source;
  let rendered: unknown = renderedRoot;
  let last: Node | undefined = isMap(source) || isSeq(source) ? (source as Node) : undefined;
  const at: (string | number)[] = [];
  for (const segment of renderedPath) {
    const renderedEntry = child(rendered, segment);
    rendered = valueOf(renderedEntry);
    let entry: unknown;
    if (typeof segment === 'number') {
      const name = itemName(rendered);
      const index =
        name !== undefined && isSeq(current)
          ? current.items.findIndex((item) => itemName(item) === name)
          : isSeq(current) && segment < current.items.length
            ? segment
            : -1;
      entry = index >= 0 ? child(current, index) : undefined;
      if (!entry) return { node: last, found: false, path: at };
      at.push(index);
      // A list item is shown by its name, as the linter shows a container.
      last = ((child(entry, 'name') as { key?: Node } | undefined)?.key ?? entry) as Node;
    } else {
      entry = child(current, segment);
      if (!entry) return { node: last, found: false, path: at };
      at.push(segment);
      last = (entry as { key: Node }).key;
    }
    current = valueOf(entry);
  }
  return { node: isScalar(current) ? current : last, found: true, path: at };
}

function spanOf(file: SourceFile, node: Node | undefined): Span {
  const [start, end] = node?.range ?? [0, 0];
  return file.lines.span(start, isScalar(node) ? end : start);
}

/**
 * A patch a kustomization lists, with what it targets: a file (strategic merge or JSON 6902), or an inline
 * `patch: |` block, whose documents are kept here (it has no file of its own to edit).
 */
export interface PatchSource {
  file: string;
  target: { kind?: string; name?: string } | undefined;
  inline?: Document.Parsed[];
}

/** The patches a kustomization lists, in the order kustomize applies them. */
export function patchesOf(kustomizationFile: string, files: SourceFiles): PatchSource[] {
  const source = files.get(kustomizationFile);
  const root = source?.docs[0]?.toJS() as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') return [];
  const folder = path.dirname(kustomizationFile);
  const entries = ['patchesStrategicMerge', 'patchesJson6902', 'patches'].flatMap((key) =>
    Array.isArray(root[key]) ? (root[key] as unknown[]) : [],
  );
  const inline = (text: string, target: PatchSource['target']): PatchSource => ({
    file: kustomizationFile,
    target,
    inline: parseAllDocuments(text) as Document.Parsed[],
  });
  return entries.flatMap((entry): PatchSource[] => {
    if (typeof entry === 'string')
      return [
        entry.includes('\n') ? inline(entry, undefined) : { file: path.resolve(folder, entry), target: undefined },
      ];
    if (!entry || typeof entry !== 'object') return [];
    const { path: file, patch, target } = entry as { path?: unknown; patch?: unknown; target?: PatchSource['target'] };
    if (typeof file === 'string') return [{ file: path.resolve(folder, file), target }];
    return typeof patch === 'string' ? [inline(patch, target)] : [];
  });
}

export function jsonPointer(renderedPath: NodePath): string {
  return renderedPath.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Where a JSON 6902 patch sets the rendered path: the op's value, or a node within it, by its source path. */
function inJsonPatch(
  ops: unknown,
  renderedRoot: unknown,
  renderedPath: NodePath,
): { node: Node | undefined; path: NodePath } | undefined {
  if (!isSeq(ops)) return undefined;
  const pointer = jsonPointer(renderedPath);
  for (let index = ops.items.length - 1; index >= 0; index--) {
    const op = ops.items[index];
    const kind = valueOf(child(op, 'op'));
    const opPath = valueOf(child(op, 'path'));
    if (!isScalar(kind) || !['add', 'replace'].includes(String(kind.value)) || !isScalar(opPath)) continue;
    const target = String(opPath.value);
    if (pointer !== target && !pointer.startsWith(`${target}/`)) continue;
    const depth = target.split('/').length - 1;
    const value = valueOf(child(op, 'value'));
    const inside = follow(value, valueOf(walk(renderedRoot, renderedPath.slice(0, depth))), renderedPath.slice(depth));
    if (inside.found) return { node: inside.node, path: [index, 'value', ...inside.path] };
  }
  return undefined;
}

export function walk(root: unknown, renderedPath: NodePath): unknown {
  let current: unknown = root;
  for (const segment of renderedPath) current = valueOf(child(current, segment));
  return current;
}

function nameOf(resource: unknown): string | undefined {
  const name = valueOf(child(valueOf(child(resource, 'metadata')), 'name'));
  return isScalar(name) ? String(name.value) : undefined;
}

function resourceIndex(docs: readonly Document[], kind: string, name: (candidate: string) => boolean): number {
  return docs.findIndex((doc) => {
    const docKind = valueOf(child(doc.contents, 'kind'));
    const docName = nameOf(doc.contents);
    return isScalar(docKind) && docKind.value === kind && docName !== undefined && name(docName);
  });
}

export interface RenderedResource {
  kind: string;
  /** The rendered resource's root node. */
  root: unknown;
  /** Absolute path of the file it comes from (origin annotation); undefined when it has none or it is remote. */
  origin: string | undefined;
  /** Kustomization files whose transformers changed it, in the order they ran. */
  transformedIn: string[];
}

/** A node of a source file: which file, document and path. */
export interface SourceNode {
  file: string;
  source: SourceFile;
  documentIndex: number;
  /** The path of the node in its document. */
  path: NodePath;
  node: Node | undefined;
}

/** The resource's own document in the file it comes from, and the name it has there. */
export interface OwnDocument {
  file: string;
  source: SourceFile;
  documentIndex: number;
  doc: Document.Parsed;
  name: string;
}

export function ownDocument(resource: RenderedResource, files: SourceFiles): OwnDocument | undefined {
  if (!resource.origin) return undefined;
  const source = files.get(resource.origin);
  if (!source) return undefined;
  // Prefixes and suffixes change the name: the source name is the longest one the rendered name contains.
  const renderedName = nameOf(resource.root) ?? '';
  const documentIndex = resourceIndex(source.docs, resource.kind, (name) => renderedName.includes(name));
  const doc = source.docs[documentIndex];
  if (!doc) return undefined;
  return { file: resource.origin, source, documentIndex, doc, name: nameOf(doc.contents) ?? '' };
}

/** The patches of the resource's kustomizations that may apply to it, the last applied first. */
export function patchesFor(resource: RenderedResource, ownName: string, files: SourceFiles): PatchSource[] {
  return [...new Set(resource.transformedIn)].reverse().flatMap((kustomization) =>
    patchesOf(kustomization, files)
      .reverse()
      .filter(
        (patch) =>
          (patch.target?.kind === undefined || patch.target.kind === resource.kind) &&
          (patch.target?.name === undefined || patch.target.name === ownName),
      ),
  );
}

/** The documents of a patch that apply to the resource: a JSON 6902 op list, or its strategic-merge documents. */
export function patchDocuments(patch: PatchSource, source: SourceFile | undefined, kind: string, ownName: string) {
  const docs = patch.inline ?? source?.docs ?? [];
  return docs.flatMap((doc, documentIndex) =>
    patch.target || isSeq(doc.contents) || resourceIndex([doc], kind, (name) => name === ownName) === 0
      ? [{ doc, documentIndex }]
      : [],
  );
}

/** The patch file that sets a rendered path last, and the node that sets it; undefined when none does. */
export function patchSetting(
  resource: RenderedResource,
  renderedPath: NodePath,
  files: SourceFiles,
  ownName: string,
): SourceNode | undefined {
  for (const patch of patchesFor(resource, ownName, files)) {
    if (patch.inline) continue;
    const source = files.get(patch.file);
    if (!source) continue;
    for (const { doc, documentIndex } of patchDocuments(patch, source, resource.kind, ownName).reverse()) {
      const json = inJsonPatch(doc.contents, resource.root, renderedPath);
      if (json) return { file: patch.file, source, documentIndex, ...json };
      const set = isMap(doc.contents) ? follow(doc.contents, resource.root, renderedPath) : undefined;
      if (set?.found) return { file: patch.file, source, documentIndex, path: set.path, node: set.node };
    }
  }
  return undefined;
}

/** Whether the finding's path is a value (a scalar other than a list item's name, which every patch repeats). */
export function isValueAt(root: unknown, renderedPath: NodePath): boolean {
  return (
    isScalar(walk(root, renderedPath)) && !(renderedPath.at(-1) === 'name' && typeof renderedPath.at(-2) === 'number')
  );
}

/**
 * The source spot of a rendered path: the last patch that sets it, else its line in the resource's own file, else
 * (a missing field) the closest ancestor there. Undefined when the resource's file is unknown.
 */
export function locateSource(
  resource: RenderedResource,
  renderedPath: NodePath,
  files: SourceFiles,
): SourceSpot | undefined {
  if (!resource.origin || !files.get(resource.origin)) return undefined;
  const own = ownDocument(resource, files);
  // A finding about a value points at it; one about a missing field points at an ancestor (the collection, or a
  // container by its name), which every patch of the resource repeats: that one belongs to the resource's own file.
  const atValue = isValueAt(resource.root, renderedPath);
  const set = atValue ? patchSetting(resource, renderedPath, files, own?.name ?? '') : undefined;
  if (set) return { file: set.file, ...spanOf(set.source, set.node), mapped: true };
  if (!own) return undefined;
  // A container that lacks a field is shown by its `name:` key, as the linter shows it.
  const atItemName = !atValue && renderedPath.at(-1) === 'name' && typeof renderedPath.at(-2) === 'number';
  const inOwn = follow(own.doc.contents, resource.root, atItemName ? renderedPath.slice(0, -1) : renderedPath);
  // A value that neither a patch file nor the resource's file sets came from something else (an inline patch, a
  // transformer): no line of a source file can be named for it.
  if (atValue && !inOwn.found) return undefined;
  return { file: own.file, ...spanOf(own.source, inOwn.node ?? (own.doc.contents as Node)), mapped: true };
}
