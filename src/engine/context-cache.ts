import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { IgnoreSettings } from '../load/ignore.js';
import type { FolderEntry, WalkCache } from '../load/project-manifests.js';
import { readPackageJson } from '../package-info.js';
import { cacheFileIn, readCacheFile, writeCacheFile } from './cache-file.js';
import { fileObjects, mayMatch, type FileObjects } from './context-index.js';
import type { ContextQuery } from './types.js';

/*
 * The context cache. A pre-commit hook lints a few files of a project, commit after commit, and each run would read
 * the whole project for context. The cache keeps, per file, what context queries can match in it (context-index.ts),
 * and per folder, its listing, each under the stamp of what it was read from (device, inode, size, mtime and ctime):
 * an unchanged project then costs a stat per folder and file, and only files that may match are read. An entry is
 * trusted only if its file had not changed for RACY_MS when it was written (git's racy rule: a file changed again
 * within its timestamp's granularity keeps its stamp), and only by the kubemend version, cache format, project root
 * and ignore settings it was written for.
 *
 * Times are Node's milliseconds as doubles (a quarter of a microsecond apart today), not `bigint` nanoseconds: building
 * BigIntStats took most of a warm run's time. The racy rule makes them enough: a change after an entry was written
 * sets the ctime (which no one can set back) at least RACY_MS past the one the entry holds.
 */

/** Bumped when what is stored changes meaning; the kubemend version is part of the key as well. */
const FORMAT = 1;
/** Entries of what changed less than this before the cache was written are not kept: they are read next time. */
const RACY_MS = 2000;

interface Stored {
  format: number;
  version: string;
  key: string;
  /** The kinds the file entries list objects of. */
  kinds: string[];
  folders: Record<string, [stamp: string, entries: FolderEntry[]]>;
  files: Record<string, [stamp: string, objects: FileObjects]>;
  ignored: Record<string, boolean>;
}

/** An entry made in this run, with when what it was read from last changed. */
interface Fresh<T> {
  value: T;
  changedMs: number | undefined;
}

/** What the cache knows of a file for some queries. */
export interface FileLookup {
  /** Whether the file may hold an object they match; undefined when the cache cannot tell (read it, then `learn`). */
  mayMatch: boolean | undefined;
  /** Keeps what the file's bytes, read after the lookup, hold; then whether it may hold an object they match. */
  learn(bytes: Uint8Array): boolean;
}

export class ContextCache implements WalkCache {
  private readonly stored: Stored;
  private readonly folders = new Map<string, Fresh<[string, FolderEntry[]]>>();
  private readonly files = new Map<string, Fresh<[string, FileObjects]>>();
  private readonly ignoredFlags = new Map<string, boolean>();
  private changed = false;
  private readonly prefix: string;

  private constructor(
    private readonly file: string,
    private readonly root: string,
    private readonly header: Pick<Stored, 'format' | 'version' | 'key'>,
  ) {
    this.prefix = root.endsWith(path.sep) ? root : root + path.sep;
    const stored = readCacheFile(file);
    this.stored = isStored(stored, header) ? stored : { ...header, kinds: [], folders: {}, files: {}, ignored: {} };
  }

  /** The cache of the project at `root` listed with `config`'s ignore settings, in `folder`; empty if unreadable. */
  static open(folder: string, root: string, config: IgnoreSettings): ContextCache {
    const top = path.resolve(root);
    const key = JSON.stringify([top, config.ignore, config.ignoreBase, config.files]);
    return new ContextCache(cacheFileIn(folder, hashOf(top)), top, { format: FORMAT, version: versionOf(), key });
  }

  entries(folder: string, list: () => FolderEntry[]): FolderEntry[] {
    const relative = this.relative(folder);
    const stats = statSync(folder);
    const stamp = `${stats.dev}:${stats.ino}:${stats.mtimeMs}:${stats.ctimeMs}`;
    const known = own(this.stored.folders, relative);
    if (known?.[0] === stamp && isFolderEntries(known[1])) {
      this.folders.set(relative, { value: known, changedMs: undefined });
      return known[1];
    }
    const entries = list();
    this.folders.set(relative, { value: [stamp, entries], changedMs: changedMs(stats) });
    this.changed = true;
    return entries;
  }

  async ignored(
    files: readonly string[],
    decide: (files: readonly string[]) => Promise<Set<string>>,
  ): Promise<Set<string>> {
    const flagOf = (file: string) => {
      const flag = own(this.stored.ignored, this.relative(file));
      return typeof flag === 'boolean' ? flag : undefined;
    };
    const unknown = files.filter((file) => flagOf(file) === undefined);
    const decided = unknown.length > 0 ? await decide(unknown) : new Set<string>();
    const ignored = new Set<string>();
    for (const file of files) {
      const flag = flagOf(file) ?? decided.has(file);
      this.ignoredFlags.set(this.relative(file), flag);
      if (flag) ignored.add(file);
    }
    if (unknown.length > 0) this.changed = true;
    return ignored;
  }

  /** What is known of `file` for `queries`; undefined when it cannot be stat'ed (it is read as without a cache). */
  lookup(file: string, queries: readonly ContextQuery[]): FileLookup | undefined {
    this.indexKinds(queries);
    let stats: Stats | undefined;
    try {
      stats = statSync(file, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (stats === undefined) return undefined;
    const relative = this.relative(file);
    const stamp = `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
    const known = own(this.stored.files, relative);
    if (known?.[0] === stamp && isFileObjects(known[1])) {
      this.files.set(relative, { value: known, changedMs: undefined });
      const may = mayMatch(known[1], queries);
      return { mayMatch: may, learn: () => may };
    }
    return {
      mayMatch: undefined,
      learn: (bytes) => {
        const objects = fileObjects(bytes, this.stored.kinds);
        this.files.set(relative, { value: [stamp, objects], changedMs: changedMs(stats) });
        this.changed = true;
        return mayMatch(objects, queries);
      },
    };
  }

  /** Makes the file entries list objects of the kinds `queries` ask for: entries made for fewer kinds are dropped. */
  private indexKinds(queries: readonly ContextQuery[]): void {
    if (queries.every((query) => this.stored.kinds.includes(query.kind))) return;
    this.stored.kinds = [...new Set([...this.stored.kinds, ...queries.map((query) => query.kind)])].sort();
    this.stored.files = {};
    this.files.clear();
    this.changed = true;
  }

  /**
   * Writes what this run learned, if anything, leaving out entries of what changed too recently to be trusted.
   * After a `complete` walk, what was not seen (removed files and folders) goes; else it is kept as it was.
   */
  save(complete: boolean): void {
    const storedCount = (record: object) => Object.keys(record).length;
    const dropped =
      complete &&
      (storedCount(this.stored.folders) !== this.folders.size || storedCount(this.stored.files) !== this.files.size);
    if (!this.changed && !dropped) return;
    const writtenMs = Date.now();
    const settled = <T>(fresh: Map<string, Fresh<T>>, before: Record<string, T>) => {
      const record: Record<string, T> = complete ? {} : { ...before };
      for (const [relative, { value, changedMs }] of fresh)
        if (changedMs === undefined || writtenMs - changedMs >= RACY_MS) record[relative] = value;
      return record;
    };
    writeCacheFile(this.file, {
      ...this.header,
      kinds: this.stored.kinds,
      folders: settled(this.folders, this.stored.folders),
      files: settled(this.files, this.stored.files),
      ignored: { ...(complete ? {} : this.stored.ignored), ...Object.fromEntries(this.ignoredFlags) },
    } satisfies Stored);
  }

  /** `file`'s path from the root: the walk joins paths to the root as they are, so a slice is enough. */
  private relative(file: string): string {
    if (file === this.root) return '.';
    return file.startsWith(this.prefix) ? file.slice(this.prefix.length) : path.relative(this.root, file);
  }
}

/**
 * A name for the root's cache file: two 32-bit FNV-1a hashes. Not node:crypto, whose loading costs more than a warm
 * run's reading; two roots of one name would only take turns with the file, whose key holds the root.
 */
function hashOf(text: string): string {
  let low = 0x811c9dc5;
  let high = 0x01000193;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code, 0x01000193) ^ (low >>> 7);
  }
  return (low >>> 0).toString(16).padStart(8, '0') + (high >>> 0).toString(16).padStart(8, '0');
}

function versionOf(): string {
  try {
    return readPackageJson().version;
  } catch {
    return 'unknown';
  }
}

function changedMs(stats: Stats): number {
  return Math.max(stats.mtimeMs, stats.ctimeMs);
}

/** A record's own entry: a folder named `constructor` is no key of Object.prototype here. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A cache file of this format, version and key, in the shape written; each entry is checked where it is used. */
function isStored(value: unknown, header: Pick<Stored, 'format' | 'version' | 'key'>): value is Stored {
  return (
    isRecord(value) &&
    value.format === header.format &&
    value.version === header.version &&
    value.key === header.key &&
    Array.isArray(value.kinds) &&
    value.kinds.every((kind) => typeof kind === 'string') &&
    isRecord(value.folders) &&
    isRecord(value.files) &&
    isRecord(value.ignored)
  );
}

const ENTRY_TYPES = new Set(['directory', 'file', 'link', 'other']);

function isFolderEntries(value: unknown): value is FolderEntry[] {
  return (
    Array.isArray(value) &&
    value.every(
      (entry: unknown) =>
        Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && ENTRY_TYPES.has(entry[1]),
    )
  );
}

function isFileObjects(value: unknown): value is FileObjects {
  if (value === 'always') return true;
  return (
    Array.isArray(value) &&
    value.every(
      (object: unknown) =>
        isRecord(object) &&
        typeof object.kind === 'string' &&
        (object.name === undefined || typeof object.name === 'string') &&
        typeof object.namespace === 'string' &&
        Array.isArray(object.labels) &&
        object.labels.every((label) => typeof label === 'string'),
    )
  );
}
