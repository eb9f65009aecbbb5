import { existsSync, readFileSync, statSync } from 'node:fs';
import { cp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { KUSTOMIZATION_FILE_NAMES } from '../load/kustomization.js';
import { temporaryFolder } from '../fix/index.js';

/*
 * Fixes are tried and verified before the user's files change: the kustomizations involved are copied to a
 * temporary folder, keeping their places relative to each other; fixes are written into the copy and rendered there.
 * Kustomize reads only files below a kustomization's folder (its load restrictor), so copying the folder of every
 * kustomization the render reaches copies everything it reads.
 */

const NOT_COPIED = new Set(['.git', 'node_modules']);

export function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The folders of a kustomization and of every local kustomization it lists (resources, bases, components). */
export function kustomizationDirs(dir: string, seen = new Set<string>()): Set<string> {
  const real = path.resolve(dir);
  if (seen.has(real)) return seen;
  seen.add(real);
  const file = KUSTOMIZATION_FILE_NAMES.map((name) => path.join(real, name)).find((candidate) => existsSync(candidate));
  let root: unknown;
  try {
    root = file ? parse(readFileSync(file, 'utf8')) : undefined;
  } catch {
    return seen;
  }
  if (!root || typeof root !== 'object') return seen;
  for (const key of ['resources', 'bases', 'components']) {
    const entries = (root as Record<string, unknown>)[key];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries)
      if (typeof entry === 'string' && isDirectory(path.resolve(real, entry)))
        kustomizationDirs(path.resolve(real, entry), seen);
  }
  return seen;
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function commonAncestor(paths: readonly string[]): string {
  let ancestor = paths[0]!;
  while (!paths.every((candidate) => isInside(ancestor, candidate))) ancestor = path.dirname(ancestor);
  return ancestor;
}

export interface KustomizationsCopy {
  /** Where a folder or file of the user's tree is in the copy. */
  inCopy(file: string): string;
  /** Which file of the user's tree a file of the copy is. */
  fromCopy(file: string): string;
  /** Replaces a file of the copy; a symbolic link is replaced, never written through (it points to the user's). */
  write(fileInCopy: string, text: string): Promise<void>;
  remove(): Promise<void>;
}

/** Copies the kustomizations reached from `dirs` (absolute) to a temporary folder, where fixes are tried. */
export async function copyKustomizations(dirs: readonly string[]): Promise<KustomizationsCopy> {
  const reached = new Set<string>();
  for (const dir of dirs) kustomizationDirs(dir, reached);
  const folders = [...reached].filter((dir) => ![...reached].some((other) => other !== dir && isInside(other, dir)));
  const root = commonAncestor(folders);
  const { path: temporary, remove } = await temporaryFolder('kubemend-kustomize-fix-');
  const inCopy = (file: string) => path.join(temporary, path.relative(root, path.resolve(file)));
  try {
    for (const dir of folders)
      await cp(dir, inCopy(dir), { recursive: true, filter: (source) => !NOT_COPIED.has(path.basename(source)) });
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    inCopy,
    fromCopy: (file) => path.join(root, path.relative(temporary, file)),
    async write(fileInCopy, text) {
      if (!isInside(temporary, fileInCopy)) throw new Error(`${fileInCopy} is outside the copy`);
      await rm(fileInCopy, { force: true });
      await writeFile(fileInCopy, text);
    },
    remove,
  };
}
