import { readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { ignoredFiles, type IgnoreSettings } from './ignore.js';

/*
 * The manifests of a project, for project context: the files `kubemend <folder>` would lint (*.yaml and *.yml, dot
 * entries too, node_modules and .git passed by, links followed unless they lead back up, the config's ignore patterns
 * respected as a lint's inputs are: ignore.ts), walked without fast-glob. A pre-commit hook names one file; importing
 * and running the glob library to find the others costs more than the lint of that file, and a plain walk of the
 * folders says the same here.
 */

const MANIFEST_NAME = /\.ya?ml$/;
const NEVER_SEARCHED = new Set(['node_modules', '.git']);

/** A folder's entry: its name and what it is (a link is told by what it leads to at each walk). */
export type FolderEntry = [name: string, type: 'directory' | 'file' | 'link' | 'other'];

/** What a walk may take from an earlier one (the context cache, engine/context-cache.ts). */
export interface WalkCache {
  /** The files the last walk found, if none of the folders it listed has changed since; else undefined. */
  lastWalk(): string[] | undefined;
  /** The entries of `folder`: kept ones while the folder is unchanged, else those `list` gives (then kept). */
  entries(folder: string, list: () => FolderEntry[]): FolderEntry[];
  /** Which of `files` the ignore patterns skip: kept answers, else those `decide` gives (then kept). */
  ignored(files: readonly string[], decide: (files: readonly string[]) => Promise<Set<string>>): Promise<Set<string>>;
  /** Keeps what a walk found that met no link and listed every folder it reached (`entries`), for `lastWalk`. */
  walked(files: readonly string[]): void;
}

/**
 * Absolute paths of the project's manifests under `root`, in the order a directory lint reads them; each file once.
 * With `cache`, unchanged folders are not listed again, and if none changed, the last walk's files are the answer.
 */
export async function listProjectManifests(root: string, config: IgnoreSettings, cache?: WalkCache): Promise<string[]> {
  const known = cache?.lastWalk();
  if (known !== undefined) return known;
  const realRoot = realPathOf(root);
  if (realRoot === undefined) return [];
  // Paths are joined by hand: path.join normalizes the whole path each time, which costs more than the walk itself.
  const top = path.resolve(root);
  const found: { file: string; relative: string; identity: string; linked: boolean }[] = [];
  // What a link leads to, or a folder that could not be listed holds, can change with no folder of the walk
  // changing: a walk that met either is not kept.
  let repeatable = true;
  const walk = (folder: string, relative: string, realAncestors: readonly string[] | undefined) => {
    let entries: FolderEntry[];
    try {
      entries = cache ? cache.entries(folder, () => listFolder(folder)) : listFolder(folder);
    } catch {
      repeatable = false;
      return; // A folder that cannot be listed holds no context; a directory lint reports it, this is no lint.
    }
    for (const [entryName, type] of entries) {
      if (NEVER_SEARCHED.has(entryName)) continue;
      const file = folder.endsWith(path.sep) ? folder + entryName : folder + path.sep + entryName;
      const name = relative === '' ? entryName : `${relative}/${entryName}`;
      const linked = realAncestors !== undefined || type === 'link';
      let isDirectory = type === 'directory';
      let isFile = type === 'file';
      if (type === 'link') {
        repeatable = false;
        const stats = statOf(file);
        isDirectory = stats?.isDirectory() ?? false;
        isFile = stats?.isFile() ?? false;
      }
      if (isDirectory) {
        // Below a link, real paths tell a folder that leads back up to where the walk already is.
        const ancestors = linked ? (realAncestors ?? realAncestorsOf(realRoot, relative)) : undefined;
        const real = linked ? realPathOf(file) : undefined;
        if (real !== undefined && ancestors!.some((ancestor) => ancestor === real || isBelow(real, ancestor))) continue;
        walk(file, name, ancestors && real !== undefined ? [...ancestors, real] : undefined);
      } else if (isFile && MANIFEST_NAME.test(entryName)) {
        found.push({ file, relative: name, identity: linked ? (realPathOf(file) ?? file) : file, linked });
      }
    }
  };
  walk(top, '', undefined);
  found.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  // A file reached through a link and as itself is read once, under its own name, as `kubemend <folder>` names it.
  const own = new Set(found.filter((entry) => !entry.linked).map((entry) => entry.identity));
  const seen = new Set<string>();
  const files = found.flatMap(({ file, identity, linked }) => {
    if ((linked && own.has(identity)) || seen.has(identity)) return [];
    seen.add(identity);
    return [file];
  });
  const decide = (some: readonly string[]) => ignoredFiles(config, some);
  // Without patterns nothing is ignored, and there is nothing to keep.
  const ignored = cache && config.ignore.length > 0 ? await cache.ignored(files, decide) : await decide(files);
  const manifests = files.filter((file) => !config.files.includes(file) && !ignored.has(file));
  if (repeatable) cache?.walked(manifests);
  return manifests;
}

/** The entries of a folder that the walk may follow or take: folders, links and manifests (a cache keeps fewer). */
function listFolder(folder: string): FolderEntry[] {
  const entries: FolderEntry[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const type = typeOf(entry);
    if (NEVER_SEARCHED.has(entry.name) || (type === 'file' && !MANIFEST_NAME.test(entry.name))) continue;
    entries.push([entry.name, type]);
  }
  return entries;
}

function typeOf(entry: Dirent): FolderEntry[1] {
  if (entry.isSymbolicLink()) return 'link';
  if (entry.isDirectory()) return 'directory';
  return entry.isFile() ? 'file' : 'other';
}

/** What a link leads to; undefined when nothing is there or it cannot be told (a loop, no permission). */
function statOf(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function realPathOf(file: string): string | undefined {
  try {
    return realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/** The real paths of the root and of the folders from it down to `relative`, where a link was first met. */
function realAncestorsOf(realRoot: string, relative: string): string[] {
  const ancestors = [realRoot];
  const parts = relative === '' ? [] : relative.split('/');
  for (let count = 1; count <= parts.length; count++)
    ancestors.push(realPathOf(path.join(realRoot, ...parts.slice(0, count))) ?? '');
  return ancestors;
}

function isBelow(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
