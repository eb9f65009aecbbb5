import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { expandInputs, STDIN } from '../load/inputs.js';
import { readManifest, ScratchBuffer, type ReadOptions } from '../load/read.js';
import { decodeManifest } from '../load/text.js';
import type { IgnoreSettings } from '../load/ignore.js';
import { listProjectManifests } from '../load/project-manifests.js';
import type { ContextFilter } from './context-filter.js';
import { ContextCache } from './context-cache.js';

/*
 * A pre-commit hook, lint-staged or an editor names a few files of a project. Cross-file rules (a Namespace and its
 * default-deny NetworkPolicy, a pod and its namespace's default ServiceAccount) would then miss what the other files
 * hold, report it missing, and a fix would create it a second time. So the project's other manifests are read as
 * context: consulted, never reported on, never fixed.
 */

/** A file of the project read as context, with the name it has in messages. */
export interface ContextFile {
  file: string;
  text: string;
}

/** Reads the project's files that matter to `filter`: called once the linted files have told what they need. */
export type ContextSource = (filter: ContextFilter) => Promise<readonly ContextFile[]>;

export interface ContextOptions {
  /** The project's other manifests, for cross-file rules (see LintRun.addContext). */
  context?: readonly ContextFile[];
  /** Like `context`, read only if the linted files need it, and only the files and kinds they need (lintInputs). */
  contextSource?: ContextSource;
}

const CONFIG_NAMES = new Set(['.kubemend.yaml', '.kubemend.yml']);

/** The folder of the `.kubemend.yaml` in use, else the git work tree around `cwd`, else `cwd`. */
export function projectRoot(cwd: string, config: Pick<IgnoreSettings, 'files'>): string {
  const kubemendFile = config.files.find((file) => CONFIG_NAMES.has(path.basename(file)));
  if (kubemendFile !== undefined) return path.dirname(kubemendFile);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

function identity(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return path.resolve(file);
  }
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** How a context file is named in messages: relative to the working directory, as a named file would be. */
function nameOf(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return path.sep === '\\' ? relative.replace(/\\/g, '/') : relative;
}

/**
 * The manifests of the project that the inputs do not name, as `kubemend <project>` would find them (the config's
 * ignore patterns respected), cut to those that may hold what `filter` needs. Files that cannot be read or decoded
 * are passed by: they are not the user's subject here.
 */
export async function readProjectContext(
  inputs: readonly string[],
  config: IgnoreSettings,
  options: {
    cwd: string;
    filter: ContextFilter | (() => Promise<ContextFilter>);
    /** The folder of the context cache (engine/context-cache.ts); without it, every file is read. */
    cacheFolder?: string;
  } & ReadOptions,
): Promise<ContextFile[]> {
  // A filter that costs a lint to learn (--fix's: see contextNeededBy) is learned only once a file of the project
  // that the inputs do not name turns up: `kubemend --fix .` names them all and pays nothing for it.
  const learn = typeof options.filter === 'function' ? options.filter : undefined;
  let filter = learn ? undefined : (options.filter as ContextFilter);
  if (filter && !filter.needsContext) return [];
  const named = new Set((await expandInputs(inputs.filter((input) => input !== STDIN))).files.map(identity));
  const root = projectRoot(options.cwd, config);
  // Files outside the project are not part of it: its manifests say nothing about theirs.
  if (![...named].some((file) => isInside(identity(root), file))) return [];
  const cache = options.cacheFolder === undefined ? undefined : ContextCache.open(options.cacheFolder, root, config);
  const context: ContextFile[] = [];
  // Nearly every file is looked at and dropped: one buffer for all spares allocating (and collecting) their bytes.
  // Made when the first file is read: with the cache warm, most runs read none.
  let scratch: ScratchBuffer | undefined;
  for (const file of await listProjectManifests(root, config, cache)) {
    if (!filter) {
      if (named.has(identity(file))) continue;
      filter = await learn!();
      if (!filter.needsContext) {
        cache?.save(false);
        return [];
      }
    }
    // The cache rules out files on their stats alone; a filter that needs every object gets every file.
    const known = cache && filter.queries ? cache.lookup(file, filter.queries) : undefined;
    if (known?.mayMatch === false) continue;
    const read = readManifest(file, { maxFileSize: options.maxFileSize }, (scratch ??= new ScratchBuffer()));
    if ('error' in read || known?.learn(read.bytes) === false) continue;
    // The look at the bytes comes first: it is cheaper than the file's real path, and rules out nearly every file.
    if (!filter.mayMatter(read.bytes) || named.has(identity(file))) continue;
    let text: string;
    try {
      text = decodeManifest(read.bytes).text;
    } catch {
      continue;
    }
    // Only whether the file may matter is decided here: the run cuts it to the documents it needs.
    if (filter.mentions(text)) context.push({ file: nameOf(options.cwd, file), text });
  }
  cache?.save(true);
  return context;
}
