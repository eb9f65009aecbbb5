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

interface SourceFile {
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
        this.files.set(file, { docs: parseAllDocuments(text) as Document.Parsed[], lines: new LineIndex(text) });
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

function child(node: unknown, segment: string | number): unknown {
  if (typeof segment === 'number') return isSeq(node) ? node.items[segment] : undefined;
  return isMap(node) ? node.items.find((pair) => isScalar(pair.key) && pair.key.value === segment) : undefined;
}

function valueOf(entry: unknown): unknown {
  return entry && typeof entry === 'object' && 'value' in entry && 'key' in entry
    ? (entry as { value: unknown }).value
    : entry;
}

/** The name of a list item (`containers[2]` → its `name`), which strategic merge matches items by. */
function itemName(item: unknown): string | undefined {
  const name = valueOf(child(item, 'name'));
  return isScalar(name) ? String(name.value) : undefined;
}

/**
 * Follows a rendered path through a source node. List items are matched by name when the rendered item has one
 * (strategic merge does), else by index. Returns the node at the end (its key for a mapping entry), or the deepest
 * node reached and `found: false`.
 */
function follow(
  source: unknown,
  renderedRoot: unknown,
  renderedPath: NodePath,
): { node: Node | undefined; found: boolean } {
  let current: unknown = source;
  let rendered: unknown = renderedRoot;
  let last: Node | undefined = isMap(source) || isSeq(source) ? (source as Node) : undefined;
  for (const segment of renderedPath) {
    const renderedEntry = child(rendered, segment);
    rendered = valueOf(renderedEntry);
    let entry: unknown;
    if (typeof segment === 'number') {
      const name = itemName(rendered);
      entry =
        name !== undefined && isSeq(current)
          ? current.items.find((item) => itemName(item) === name)
          : child(current, segment);
      if (!entry) return { node: last, found: false };
      // A list item is shown by its name, as the linter shows a container.
      last = ((child(entry, 'name') as { key?: Node } | undefined)?.key ?? entry) as Node;
    } else {
      entry = child(current, segment);
      if (!entry) return { node: last, found: false };
      last = (entry as { key: Node }).key;
    }
    current = valueOf(entry);
  }
  return { node: isScalar(current) ? current : last, found: true };
}

function spanOf(file: SourceFile, node: Node | undefined): Span {
  const [start, end] = node?.range ?? [0, 0];
  return file.lines.span(start, isScalar(node) ? end : start);
}

/** A strategic-merge or JSON 6902 patch file a kustomization lists, with what it targets. */
export interface PatchSource {
  file: string;
  target: { kind?: string; name?: string } | undefined;
}

/** The patch files a kustomization lists, in the order kustomize applies them. */
export function patchesOf(kustomizationFile: string, files: SourceFiles): PatchSource[] {
  const source = files.get(kustomizationFile);
  const root = source?.docs[0]?.toJS() as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') return [];
  const folder = path.dirname(kustomizationFile);
  const entries = ['patchesStrategicMerge', 'patchesJson6902', 'patches'].flatMap((key) =>
    Array.isArray(root[key]) ? (root[key] as unknown[]) : [],
  );
  return entries.flatMap((entry): PatchSource[] => {
    if (typeof entry === 'string')
      return entry.includes('\n') ? [] : [{ file: path.resolve(folder, entry), target: undefined }];
    if (!entry || typeof entry !== 'object') return [];
    const { path: file, target } = entry as { path?: unknown; target?: { kind?: string; name?: string } };
    return typeof file === 'string' ? [{ file: path.resolve(folder, file), target }] : [];
  });
}

function jsonPointer(renderedPath: NodePath): string {
  return renderedPath.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Where a JSON 6902 patch file sets the rendered path: the op's value, or a node within it. */
function inJsonPatch(file: SourceFile, renderedRoot: unknown, renderedPath: NodePath): Span | undefined {
  const ops = file.docs[0]?.contents;
  if (!isSeq(ops)) return undefined;
  const pointer = jsonPointer(renderedPath);
  for (const op of [...ops.items].reverse()) {
    const kind = valueOf(child(op, 'op'));
    const opPath = valueOf(child(op, 'path'));
    if (!isScalar(kind) || !['add', 'replace'].includes(String(kind.value)) || !isScalar(opPath)) continue;
    const target = String(opPath.value);
    if (pointer !== target && !pointer.startsWith(`${target}/`)) continue;
    const depth = target.split('/').length - 1;
    const value = valueOf(child(op, 'value'));
    const inside = follow(value, valueOf(walk(renderedRoot, renderedPath.slice(0, depth))), renderedPath.slice(depth));
    if (inside.found) return spanOf(file, inside.node);
  }
  return undefined;
}

function walk(root: unknown, renderedPath: NodePath): unknown {
  let current: unknown = root;
  for (const segment of renderedPath) current = valueOf(child(current, segment));
  return current;
}

function resourceDoc(
  file: SourceFile,
  kind: string,
  name: (candidate: string) => boolean,
): Document.Parsed | undefined {
  return file.docs.find((doc) => {
    const resource = doc.contents;
    const docKind = valueOf(child(resource, 'kind'));
    const docName = valueOf(child(valueOf(child(resource, 'metadata')), 'name'));
    return isScalar(docKind) && docKind.value === kind && isScalar(docName) && name(String(docName.value));
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

/**
 * The source spot of a rendered path: the last patch that sets it, else its line in the resource's own file, else
 * (a missing field) the closest ancestor there. Undefined when the resource's file is unknown.
 */
export function locateSource(
  resource: RenderedResource,
  renderedPath: NodePath,
  files: SourceFiles,
): SourceSpot | undefined {
  if (!resource.origin) return undefined;
  const originFile = files.get(resource.origin);
  if (!originFile) return undefined;
  // Prefixes and suffixes change the name: the source name is the longest one the rendered name contains.
  const renderedName = String(
    (valueOf(child(valueOf(child(resource.root, 'metadata')), 'name')) as { value?: unknown })?.value ?? '',
  );
  const own = resourceDoc(originFile, resource.kind, (name) => renderedName.includes(name));
  const ownName = String(
    (valueOf(child(valueOf(child(own?.contents, 'metadata')), 'name')) as { value?: unknown })?.value ?? '',
  );
  // A finding about a value points at it; one about a missing field points at an ancestor (the collection, or a
  // container by its name), which every patch of the resource repeats: that one belongs to the resource's own file.
  const atValue =
    isScalar(walk(resource.root, renderedPath)) &&
    !(renderedPath.at(-1) === 'name' && typeof renderedPath.at(-2) === 'number');
  const kustomizations = atValue ? [...new Set(resource.transformedIn)].reverse() : [];
  for (const kustomization of kustomizations) {
    for (const patch of patchesOf(kustomization, files).reverse()) {
      if (patch.target?.kind !== undefined && patch.target.kind !== resource.kind) continue;
      if (patch.target?.name !== undefined && patch.target.name !== ownName) continue;
      const patchFile = files.get(patch.file);
      if (!patchFile) continue;
      const json = inJsonPatch(patchFile, resource.root, renderedPath);
      if (json) return { file: patch.file, ...json, mapped: true };
      const doc = patch.target ? patchFile.docs[0] : resourceDoc(patchFile, resource.kind, (name) => name === ownName);
      const set = doc && isMap(doc.contents) ? follow(doc.contents, resource.root, renderedPath) : undefined;
      if (set?.found) return { file: patch.file, ...spanOf(patchFile, set.node), mapped: true };
    }
  }
  if (!own) return undefined;
  // A container that lacks a field is shown by its `name:` key, as the linter shows it.
  const atItemName = !atValue && renderedPath.at(-1) === 'name' && typeof renderedPath.at(-2) === 'number';
  const inOwn = follow(own.contents, resource.root, atItemName ? renderedPath.slice(0, -1) : renderedPath);
  // A value that neither a patch file nor the resource's file sets came from something else (an inline patch, a
  // transformer): no line of a source file can be named for it.
  if (atValue && !inOwn.found) return undefined;
  return { file: resource.origin, ...spanOf(originFile, inOwn.node ?? (own.contents as Node)), mapped: true };
}
