import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/*
 * kubemend's cache files, in the user's cache folder and never in their project. A cache only saves work: one that
 * cannot be read (missing, truncated, corrupt, written by another version) is as if empty, and one that cannot be
 * written is not, without a word; a lint never fails or warns because of it.
 */

/** Cache files kept in the folder: each project has one, and projects come and go (temporary clones, CI checkouts). */
const MAX_FILES = 64;
/** A cache larger than this is not written: the project would be unusual, and reading it would cost what it saves. */
const MAX_BYTES = 32 * 1024 * 1024;
const CACHE_FILE = /^context-[0-9a-f]+\.json$/;

/** The folder of kubemend's cache: KUBEMEND_CACHE_DIR, else $XDG_CACHE_HOME/kubemend, else ~/.cache/kubemend. */
export function cacheFolder(env: NodeJS.ProcessEnv): string {
  if (env.KUBEMEND_CACHE_DIR) return path.resolve(env.KUBEMEND_CACHE_DIR);
  // The XDG Base Directory specification: a relative path in the variable is invalid and ignored.
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'kubemend');
  return path.join(env.HOME || homedir(), '.cache', 'kubemend');
}

/** The cache file named by `hash` (of a project root) in `folder`. */
export function cacheFileIn(folder: string, hash: string): string {
  return path.join(folder, `context-${hash}.json`);
}

/** The parsed JSON of a cache file; undefined when there is none or it cannot be read as JSON. */
export function readCacheFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Writes `data` as the cache file `file` whole or not at all (a temporary file renamed over it; nothing is left
 * behind), then keeps the folder to its most recent MAX_FILES cache files. Every failure is passed over.
 */
export function writeCacheFile(file: string, data: unknown): void {
  const text = JSON.stringify(data);
  if (text.length > MAX_BYTES) return;
  const folder = path.dirname(file);
  // Unique enough for `wx`: a clash fails the write, which is then skipped like any other failure.
  const temporary = `${file}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}.tmp`;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeFileSync(temporary, text, { flag: 'wx', mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    removeQuietly(temporary);
    return;
  }
  pruneFolder(folder);
}

function pruneFolder(folder: string): void {
  try {
    const files = readdirSync(folder).filter((name) => CACHE_FILE.test(name));
    if (files.length <= MAX_FILES) return;
    const byAge = files
      .map((name) => path.join(folder, name))
      .map((file) => ({ file, at: statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.at - a.at);
    for (const { file } of byAge.slice(MAX_FILES)) removeQuietly(file);
  } catch {
    // Another kubemend may be pruning too: what is left is pruned next time.
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone, or never written.
  }
}
