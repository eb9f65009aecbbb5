import { lstat, readdir, realpathSync, stat, type Stats } from 'node:fs';
import path from 'node:path';
import type { Options as GlobOptions } from 'fast-glob';
import { describeFsError, errorCode } from './fs-errors.js';

/** Never searched. Other dot-folders and dot-files are linted like any other: a manifest in `.deploy/` counts. */
const IGNORED = ['**/node_modules/**', '**/.git/**'];

export interface FoundFiles {
  /** Matching files, relative to the search's folder, sorted. */
  files: string[];
  /** Folders below it that could not be listed (relative too), with the reason; the rest was searched. */
  unreadable: { directory: string; message: string }[];
}

type StatCallback = (error: NodeJS.ErrnoException | null, stats: Stats) => void;

/**
 * fast-glob's view of the file system, changed in two ways. A folder that cannot be listed is recorded instead of
 * ending the search. A symbolic link to a folder is not followed when it leads back to a folder on its own path
 * (`sub/up -> ..`, or a link to above the searched folder): the search would loop until the system gave up.
 */
class GuardedFileSystem {
  readonly unreadable: { directory: string; error: unknown }[] = [];
  private readonly realPaths = new Map<string, string>();

  readonly adapter: GlobOptions['fs'] = {
    readdir: ((directory: string, ...rest: unknown[]) => {
      const callback = rest.pop() as (error: NodeJS.ErrnoException | null, entries: unknown) => void;
      const record = (error: NodeJS.ErrnoException | null, entries: unknown) => {
        // A folder removed during the search is simply gone, as fast-glob treats it.
        if (error && errorCode(error) !== 'ENOENT') this.unreadable.push({ directory, error });
        callback(error, entries);
      };
      (readdir as (...args: unknown[]) => void)(directory, ...rest, record);
    }) as NonNullable<GlobOptions['fs']>['readdir'],
    stat: ((file: string, callback: StatCallback) => {
      stat(file, (error, stats) => {
        if (error || !stats.isDirectory() || !this.leadsBack(file)) callback(error, stats);
        // Seen as the link it is, it is neither a file nor a folder, so fast-glob passes it by.
        else lstat(file, callback);
      });
    }) as NonNullable<GlobOptions['fs']>['stat'],
  };

  private realPathOf(file: string): string {
    let real = this.realPaths.get(file);
    if (real === undefined) {
      try {
        real = realpathSync.native(file);
      } catch {
        real = file;
      }
      this.realPaths.set(file, real);
    }
    return real;
  }

  private leadsBack(link: string): boolean {
    const target = this.realPathOf(path.resolve(link));
    for (let folder = path.dirname(path.resolve(link)); ; folder = path.dirname(folder)) {
      if (this.realPathOf(folder) === target) return true;
      if (path.dirname(folder) === folder) return false;
    }
  }
}

/** Files matching `patterns` below `cwd` (default: the working directory); node_modules and .git are skipped. */
export async function findFiles(patterns: string[], cwd: string | undefined): Promise<FoundFiles> {
  // Imported only here: a pre-commit hook passes plain file names and should not pay for fast-glob.
  const { default: fastGlob } = await import('fast-glob');
  const guarded = new GuardedFileSystem();
  const files = await fastGlob(patterns, {
    cwd,
    ignore: IGNORED,
    onlyFiles: true,
    dot: true,
    followSymbolicLinks: true,
    suppressErrors: true,
    fs: guarded.adapter,
  });
  const root = path.resolve(cwd ?? '.');
  const unreadable = guarded.unreadable.map(({ directory, error }) => ({
    directory: path.relative(root, directory) || '.',
    message: `cannot list this folder (${describeFsError(error)}), so the manifests in it are not linted`,
  }));
  return { files: files.sort(), unreadable };
}
