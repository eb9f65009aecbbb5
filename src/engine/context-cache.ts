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
 * and per folder, its listing, each under the stamp of what it was read from (device, inode, size, mtime and ctime),
 * and the last walk's result with the folders it listed: while none of those folders changed, the walk's result
 * stands (a file edited in place changes no folder, but its own stamp). An unchanged project then costs a stat per
 * folder and file, and only files that may match are read. An entry is trusted only if its file had not changed for
 * RACY_MS when it was written (git's racy rule: a file changed again within its timestamp's granularity keeps its
 * stamp), and only by the kubemend version, cache format, project root and ignore settings it was written for.
 *
 * Times are Node's milliseconds as doubles (a quarter of a microsecond apart today), not `bigint` nanoseconds: building
 * BigIntStats took most of a warm run's time. The racy rule makes them enough: a change after an entry was written
 * sets the ctime (which no one can set back) at least RACY_MS past the one the entry holds. Stamps are kept as numbers
 * and compared as such: making a string of five doubles per file cost more than the comparison.
 */

/**
 * Bumped when what is stored changes meaning or shape (2: stamps as numbers, listings as text, the last walk); the
 * kubemend version is part of the key as well. An entry of another shape fails the checks where it is used anyway.
 */
const FORMAT = 2;
/** Entries of what changed less than this before the cache was written are not kept: they are read next time. */
const RACY_MS = 2000;

/** What a file or folder was read from: its device, inode, size, mtime and ctime. */
type Stamp = [dev: number, ino: number, size: number, mtimeMs: number, ctimeMs: number];

interface Stored {
  format: number;
  version: string;
  key: string;
  /** The kinds the file entries list objects of. */
  kinds: string[];
  /** Per folder, its listing (`listingText`). */
  folders: Record<string, [stamp: Stamp, listing: string]>;
  files: Record<string, [stamp: Stamp, objects: FileObjects]>;
  ignored: Record<string, boolean>;
  /**
   * The files the last walk found, in its order, each as the index of its entry in `files` or, without one, its
   * path. Kept only for a walk that met no link and whose folders are all in `folders` (a run that did not see every
   * file may keep more folders there: the walk is then trusted only if those are unchanged too).
   */
  walk?: (number | string)[];
}

/** An entry made in this run, with when what it was read from last changed. */
interface Fresh<T> {
  value: T;
  changedMs: number;
}

/** What the cache knows of a file for some queries. */
export interface FileLookup {
  /** Whether the file may hold an object they match; undefined when the cache cannot tell (read it, then `learn`). */
  mayMatch: boolean | undefined;
  /** Keeps what the file's bytes, read after the lookup, hold; then whether it may hold an object they match. */
  learn(bytes: Uint8Array): boolean;
}

const MAY_MATCH: FileLookup = { mayMatch: true, learn: () => true };
const MAY_NOT_MATCH: FileLookup = { mayMatch: false, learn: () => false };

/**
 * The entries of one record (folders or files) as this run leaves them: the stored ones it found still true, and
 * the ones it made. Most entries of a warm run are trusted, so they are kept by name only.
 */
class Entries<T> {
  private readonly trusted: string[] = [];
  private readonly fresh = new Map<string, Fresh<T>>();

  get size(): number {
    return this.trusted.length + this.fresh.size;
  }

  trust(relative: string): void {
    this.trusted.push(relative);
  }

  make(relative: string, value: T, changedMs: number): void {
    this.fresh.set(relative, { value, changedMs });
  }

  clear(): void {
    this.trusted.length = 0;
    this.fresh.clear();
  }

  /** The entries made of what changed too recently, at `writtenMs`, to be kept. */
  racy(writtenMs: number): Set<string> {
    const racy = new Set<string>();
    for (const [relative, { changedMs }] of this.fresh) if (writtenMs - changedMs < RACY_MS) racy.add(relative);
    return racy;
  }

  /** The record to write at `writtenMs`: without racy entries, and after a `complete` run only what it saw. */
  settled(before: Record<string, T>, complete: boolean, writtenMs: number): Record<string, T> {
    const record: Record<string, T> = complete ? {} : { ...before };
    for (const relative of this.trusted) record[relative] = before[relative]!;
    const racy = this.racy(writtenMs);
    for (const [relative, { value }] of this.fresh) if (!racy.has(relative)) record[relative] = value;
    return record;
  }
}

export class ContextCache implements WalkCache {
  private readonly stored: Stored;
  private readonly folders = new Entries<[Stamp, string]>();
  private readonly files = new Entries<[Stamp, FileObjects]>();
  private readonly ignoredFlags = new Map<string, boolean>();
  /** This run's walk, as paths from the root: the stored one while its folders are unchanged, or the one made. */
  private walk: { files: string[]; reused: boolean } | undefined;
  private indexedFor: readonly ContextQuery[] | undefined;
  private readonly names: { folders?: string[]; files?: string[] } = {};
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

  lastWalk(): string[] | undefined {
    const walk = this.stored.walk;
    // A walk lists the root first; without it, the cache was not written as a whole.
    if (!Array.isArray(walk) || !Object.hasOwn(this.stored.folders, '.')) return undefined;
    const folders = this.storedNames('folders');
    for (const relative of folders) {
      const stats = statOf(this.absolute(relative));
      if (stats === undefined || !isStampOf(this.stored.folders[relative]?.[0], stats)) return undefined;
    }
    const names = this.storedNames('files');
    const files: string[] = [];
    for (const item of walk) {
      const relative = typeof item === 'number' ? names[item] : item;
      if (typeof relative !== 'string') return undefined;
      files.push(relative);
    }
    for (const relative of folders) this.folders.trust(relative);
    this.walk = { files, reused: true };
    return files.map((relative) => this.absolute(relative));
  }

  entries(folder: string, list: () => FolderEntry[]): FolderEntry[] {
    const relative = this.relative(folder);
    const stats = statSync(folder);
    const known = own(this.stored.folders, relative);
    const listed = isStampOf(known?.[0], stats) ? listingEntries(known![1]) : undefined;
    if (listed !== undefined) {
      this.folders.trust(relative);
      return listed;
    }
    const entries = list();
    this.folders.make(relative, [stampOf(stats), listingText(entries)], changedMs(stats));
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

  walked(files: readonly string[]): void {
    this.walk = { files: files.map((file) => this.relative(file)), reused: false };
    this.changed = true;
  }

  /** What is known of `file` for `queries`; undefined when it cannot be stat'ed (it is read as without a cache). */
  lookup(file: string, queries: readonly ContextQuery[]): FileLookup | undefined {
    if (queries !== this.indexedFor) this.indexKinds(queries);
    const stats = statOf(file);
    if (stats === undefined) return undefined;
    const relative = this.relative(file);
    const known = own(this.stored.files, relative);
    if (isStampOf(known?.[0], stats) && isFileObjects(known![1])) {
      this.files.trust(relative);
      return mayMatch(known![1], queries) ? MAY_MATCH : MAY_NOT_MATCH;
    }
    return {
      mayMatch: undefined,
      learn: (bytes) => {
        const objects = fileObjects(bytes, this.stored.kinds);
        this.files.make(relative, [stampOf(stats), objects], changedMs(stats));
        this.changed = true;
        return mayMatch(objects, queries);
      },
    };
  }

  /** The names of a stored record, in its order (asked for once: a record of a few thousand names takes a while). */
  private storedNames(record: 'folders' | 'files'): string[] {
    return (this.names[record] ??= Object.keys(this.stored[record]));
  }

  /** Makes the file entries list objects of the kinds `queries` ask for: entries made for fewer kinds are dropped. */
  private indexKinds(queries: readonly ContextQuery[]): void {
    this.indexedFor = queries;
    if (queries.every((query) => this.stored.kinds.includes(query.kind))) return;
    this.stored.kinds = [...new Set([...this.stored.kinds, ...queries.map((query) => query.kind)])].sort();
    this.stored.files = {};
    this.names.files = undefined;
    this.files.clear();
    this.changed = true;
  }

  /**
   * Writes what this run learned, if anything, leaving out entries of what changed too recently to be trusted.
   * After a `complete` run, what was not seen (removed files and folders) goes; else it is kept as it was.
   */
  save(complete: boolean): void {
    const dropped =
      complete &&
      (this.storedNames('folders').length !== this.folders.size ||
        this.storedNames('files').length !== this.files.size);
    if (!this.changed && !dropped) return;
    const writtenMs = Date.now();
    const files = this.files.settled(this.stored.files, complete, writtenMs);
    // A walk taken from the cache decided no ignore patterns: the decisions it stands on are kept.
    const keepIgnored = !complete || this.walk?.reused === true;
    writeCacheFile(this.file, {
      ...this.header,
      kinds: this.stored.kinds,
      folders: this.folders.settled(this.stored.folders, complete, writtenMs),
      files,
      ignored: { ...(keepIgnored ? this.stored.ignored : {}), ...Object.fromEntries(this.ignoredFlags) },
      walk: this.walkToKeep(files, writtenMs),
    } satisfies Stored);
  }

  /** This run's walk as stored beside `files`; none if a listing it was made of is too recent to be kept. */
  private walkToKeep(files: Stored['files'], writtenMs: number): Stored['walk'] {
    if (this.walk === undefined || this.folders.racy(writtenMs).size > 0) return undefined;
    const indexes = new Map(Object.keys(files).map((relative, index) => [relative, index]));
    return this.walk.files.map((relative) => indexes.get(relative) ?? relative);
  }

  /** `file`'s path from the root: the walk joins paths to the root as they are, so a slice is enough. */
  private relative(file: string): string {
    if (file === this.root) return '.';
    return file.startsWith(this.prefix) ? file.slice(this.prefix.length) : path.relative(this.root, file);
  }

  private absolute(relative: string): string {
    return relative === '.' ? this.root : this.prefix + relative;
  }
}

const TYPE_LETTERS: Record<FolderEntry[1], string> = { directory: 'd', file: 'f', link: 'l', other: 'o' };
const TYPES_BY_LETTER = new Map(Object.entries(TYPE_LETTERS).map(([type, letter]) => [letter, type as FolderEntry[1]]));

/**
 * A folder's entries as one string, which costs far less to read than an array for each: each is its type's letter
 * and its name, `/` between them (no name holds one).
 */
function listingText(entries: readonly FolderEntry[]): string {
  return entries.map(([name, type]) => TYPE_LETTERS[type] + name).join('/');
}

/** The entries of a `listingText`; undefined if it is none. */
function listingEntries(text: unknown): FolderEntry[] | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === '') return [];
  const entries: FolderEntry[] = [];
  for (const item of text.split('/')) {
    const type = TYPES_BY_LETTER.get(item.charAt(0));
    if (type === undefined || item.length < 2) return undefined;
    entries.push([item.slice(1), type]);
  }
  return entries;
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

const NO_THROW_IF_MISSING = { throwIfNoEntry: false };

function statOf(file: string): Stats | undefined {
  try {
    return statSync(file, NO_THROW_IF_MISSING);
  } catch {
    return undefined;
  }
}

function stampOf(stats: Stats): Stamp {
  return [stats.dev, stats.ino, stats.size, stats.mtimeMs, stats.ctimeMs];
}

/** Whether a stored `stamp` (anything, as read) is that of `stats`. */
function isStampOf(stamp: unknown, stats: Stats): boolean {
  return (
    Array.isArray(stamp) &&
    stamp[0] === stats.dev &&
    stamp[1] === stats.ino &&
    stamp[2] === stats.size &&
    stamp[3] === stats.mtimeMs &&
    stamp[4] === stats.ctimeMs
  );
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
