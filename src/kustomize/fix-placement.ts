import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq } from 'yaml';
import type { NodePath } from '../load/nodes.js';
import type { Patch } from '../engine/types.js';
import {
  child,
  follow,
  itemName,
  jsonPointer,
  ownDocument,
  patchDocuments,
  patchesFor,
  patchSetting,
  valueOf,
  walk,
  type OwnDocument,
  type RenderedResource,
  type SourceFiles,
  type SourceNode,
} from './source-map.js';

/*
 * Where a fix of a rendered resource goes in the sources. A wrong value is changed where it is set: the last patch
 * file that sets it, else the resource's own file. A missing field is added to the resource's own file, where the
 * resource is defined. Whatever cannot be placed with certainty is refused with the reason, never guessed.
 */

/** A patch of a source document. */
export interface SourcePatch {
  file: string;
  documentIndex: number;
  patch: Patch;
}

export type Placement = { placed: SourcePatch } | { reason: string };

/** How a file is named in reasons (relative to the working directory). */
export type NameFile = (file: string) => string;

const SMP_DIRECTIVE = '$patch';

function shown(renderedPath: NodePath): string {
  return renderedPath
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`))
    .join('')
    .slice(1);
}

/** Why a list item of the rendered path cannot be told apart in the source: unnamed, and the list changed. */
function unnamedItemMoved(sourceRoot: unknown, renderedRoot: unknown, renderedPath: NodePath): string | undefined {
  for (let depth = 0; depth < renderedPath.length; depth++) {
    const segment = renderedPath[depth];
    if (typeof segment !== 'number') continue;
    const list = renderedPath.slice(0, depth);
    if (itemName(walk(renderedRoot, [...list, segment])) !== undefined) continue;
    const renderedList = walk(renderedRoot, list);
    const translated = follow(sourceRoot, renderedRoot, list);
    const sourceList = translated.found ? walk(sourceRoot, translated.path) : undefined;
    if (!isSeq(renderedList) || !isSeq(sourceList) || renderedList.items.length !== sourceList.items.length)
      return (
        `the list ${shown(list)} is changed by the render, ` +
        'so which of its items is which in the source is not certain'
      );
  }
  return undefined;
}

/**
 * Whether a patch of the resource's chain replaces or removes a part of the path (a JSON 6902 op at an ancestor,
 * `$patch: replace|delete` or a null in a strategic merge): a field added below it in the resource's file would be
 * overwritten. Returns who does it.
 */
function overwrittenBy(
  resource: RenderedResource,
  own: OwnDocument,
  renderedPath: NodePath,
  files: SourceFiles,
  nameFile: NameFile,
): string | undefined {
  const pointer = jsonPointer(renderedPath);
  for (const patch of patchesFor(resource, own.name, files)) {
    const where = patch.inline ? `an inline patch of ${nameFile(patch.file)}` : nameFile(patch.file);
    for (const { doc } of patchDocuments(patch, files.get(patch.file), resource.kind, own.name)) {
      const root = doc.contents;
      if (isSeq(root)) {
        for (const op of root.items) {
          const opPath = valueOf(child(op, 'path'));
          const target = isScalar(opPath) ? String(opPath.value) : undefined;
          if (target !== undefined && (target === pointer || pointer.startsWith(`${target}/`))) return where;
        }
      } else if (isMap(root) && strategicMergeDrops(root, resource.root, renderedPath)) return where;
    }
  }
  return undefined;
}

function strategicMergeDrops(patchRoot: unknown, renderedRoot: unknown, renderedPath: NodePath): boolean {
  for (let depth = 0; depth <= renderedPath.length; depth++) {
    const reached = follow(patchRoot, renderedRoot, renderedPath.slice(0, depth));
    if (!reached.found) return false;
    const node = walk(patchRoot, reached.path);
    if (node === null || (isScalar(node) && node.value === null)) return true;
    const directive = valueOf(child(node, SMP_DIRECTIVE));
    if (isScalar(directive) && ['replace', 'delete'].includes(String(directive.value))) return true;
  }
  return false;
}

function dataOf(node: unknown): unknown {
  return (node as { toJSON?: () => unknown } | null)?.toJSON?.() ?? node;
}

/** A value set where kubemend found it, but changed after (by a transformer, or a later inline patch): uncertain. */
function changedAfter(setter: SourceNode, renderedRoot: unknown, renderedPath: NodePath): boolean {
  const rendered = walk(renderedRoot, renderedPath);
  const source = walk(setter.source.docs[setter.documentIndex]?.contents, setter.path);
  if (isScalar(rendered)) return !isScalar(source) || String(source.value) !== String(rendered.value);
  if (isSeq(rendered)) return !isDeepStrictEqual(dataOf(source), dataOf(rendered));
  return false;
}

function fromTransformer(renderedPath: NodePath): string {
  return (
    `the value of ${shown(renderedPath)} is not written in any file kubemend can edit ` +
    `(an inline patch, a generator or a transformer such as namePrefix, namespace, images or replacements sets it)`
  );
}

/** A wrong value: changed where it is set. */
function placeAtSetter(
  resource: RenderedResource,
  own: OwnDocument | undefined,
  patch: Exclude<Patch, { op: 'appendDocument' }>,
  files: SourceFiles,
): Placement {
  const inOwn = own && follow(own.doc.contents, resource.root, patch.path);
  const setter: SourceNode | undefined =
    patchSetting(resource, patch.path, files, own?.name ?? '') ??
    (own && inOwn?.found
      ? { file: own.file, source: own.source, documentIndex: own.documentIndex, path: inOwn.path, node: undefined }
      : undefined);
  if (!setter || changedAfter(setter, resource.root, patch.path)) return { reason: fromTransformer(patch.path) };
  const setterRoot = setter.source.docs[setter.documentIndex]?.contents;
  const moved = unnamedItemMoved(setterRoot, resource.root, patch.path);
  if (moved) return { reason: moved };
  // Deleting a JSON 6902 op's whole value would leave an op without one.
  if (patch.op === 'delete' && setter.path.at(-1) === 'value' && isSeq(setterRoot))
    return { reason: `${shown(patch.path)} is set by a JSON 6902 op: remove the op by hand` };
  return { placed: { file: setter.file, documentIndex: setter.documentIndex, patch: { ...patch, path: setter.path } } };
}

/** A missing field: added to the resource's own file, unless a patch would overwrite it there. */
function placeInOwnFile(
  resource: RenderedResource,
  own: OwnDocument,
  patch: Exclude<Patch, { op: 'appendDocument' }>,
  files: SourceFiles,
  nameFile: NameFile,
): Placement {
  let present = patch.path.length;
  while (present > 0 && walk(resource.root, patch.path.slice(0, present)) === undefined) present--;
  const reached = follow(own.doc.contents, resource.root, patch.path.slice(0, present));
  const rest = patch.path.slice(reached.path.length);
  const firstItem = rest.findIndex((segment) => typeof segment === 'number');
  if (firstItem >= 0) {
    const item = shown(patch.path.slice(0, reached.path.length + firstItem + 1));
    return { reason: `${item} is not in ${nameFile(own.file)}: a patch adds it` };
  }
  const moved = unnamedItemMoved(own.doc.contents, resource.root, patch.path.slice(0, present));
  if (moved) return { reason: moved };
  const overwriter = overwrittenBy(resource, own, patch.path, files, nameFile);
  if (overwriter)
    return {
      reason:
        `${overwriter} replaces or removes a part of ${shown(patch.path)}, ` +
        `so a field added in ${nameFile(own.file)} would not reach the render`,
    };
  const placed = { ...patch, path: [...reached.path, ...rest] };
  return { placed: { file: own.file, documentIndex: own.documentIndex, patch: placed } };
}

/** The source patch for one patch of a rendered resource, or why it cannot be placed with certainty. */
export function placePatch(
  resource: RenderedResource,
  patch: Patch,
  files: SourceFiles,
  nameFile: NameFile = (file) => path.basename(file),
): Placement {
  if (patch.op === 'appendDocument')
    return { reason: 'its fix adds a new resource, which a kustomization would have to list: add it by hand' };
  if (!resource.origin)
    return { reason: 'the resource is generated or comes from a remote base, so it is in no file kubemend can edit' };
  const own = ownDocument(resource, files);
  const renderedValue = walk(resource.root, patch.path);
  const isMissing = renderedValue === undefined || (patch.op === 'set' && isMap(renderedValue));
  if (!isMissing) return placeAtSetter(resource, own, patch, files);
  if (!own) return { reason: `the resource is not found in ${nameFile(resource.origin)}, the file it comes from` };
  if (patch.op === 'delete' || patch.op === 'removeFromList')
    return { reason: `${shown(patch.path)} is not in the render` };
  return placeInOwnFile(resource, own, patch, files, nameFile);
}
