import { statSync } from 'node:fs';
import path from 'node:path';
import { pathBelow, withFolderContents } from './globs.js';
import { expandInputs, STDIN } from './inputs.js';

/** What a config says about the files not to lint (src/config/resolve.ts). */
export interface IgnoreSettings {
  /** Glob patterns of paths not to lint, relative to `ignoreBase`. */
  ignore: readonly string[];
  ignoreBase: string;
  /** Absolute paths of the config files in use: a directory walk must not lint them. */
  files: readonly string[];
}

/**
 * The inputs minus the files the config's ignore patterns skip, expanded: directories and globs become the files
 * that are kept; inputs that name nothing stay, so they are still reported. A pattern also covers everything below a
 * folder it names. Files outside the config's folder, and stdin, are never ignored. `skippedNamed` lists the ignored
 * files that were named one by one (the user should hear about those).
 */
export async function dropIgnored(
  inputs: readonly string[],
  config: IgnoreSettings,
): Promise<{ inputs: string[]; skippedNamed: string[] }> {
  if (config.ignore.length === 0 && config.files.length === 0) return { inputs: [...inputs], skippedNamed: [] };
  const { files, ordered } = await expandInputs(inputs);
  const ignored = await ignoredFiles(config, files);
  // A directory walk finds the config file itself (dot-files are linted); it configures, it is no manifest.
  const isConfig = (file: string) => !inputs.includes(file) && config.files.includes(path.resolve(file));
  return {
    inputs: ordered.flatMap((entry) =>
      'file' in entry ? (ignored.has(entry.file) || isConfig(entry.file) ? [] : [entry.file]) : [entry.input],
    ),
    skippedNamed: inputs.filter((input) => ignored.has(input)),
  };
}

function canStat(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/**
 * The files of `files` the config's ignore patterns skip: fast-glob, asked for the files themselves with the patterns
 * as `ignore`, returns the ones that are kept. The one decision for a lint's inputs and a project's context alike.
 */
export async function ignoredFiles(
  config: Omit<IgnoreSettings, 'files'>,
  files: readonly string[],
): Promise<Set<string>> {
  if (config.ignore.length === 0) return new Set();
  const candidates = new Map<string, string>();
  for (const file of files) {
    // fast-glob throws on a file it cannot stat (a link loop, a folder without search permission): such a file is
    // kept, and reading it reports the problem.
    if (file === STDIN || !canStat(file)) continue;
    const relative = pathBelow(config.ignoreBase, file);
    if (relative !== undefined) candidates.set(relative, file);
  }
  if (candidates.size === 0) return new Set();
  const { default: fastGlob } = await import('fast-glob');
  const patterns = withFolderContents(config.ignore);
  const kept = new Set(
    await fastGlob(
      [...candidates.keys()].map((relative) => fastGlob.escapePath(relative)),
      { cwd: config.ignoreBase, ignore: patterns, dot: true, onlyFiles: true },
    ),
  );
  return new Set([...candidates].filter(([relative]) => !kept.has(relative)).map(([, file]) => file));
}
