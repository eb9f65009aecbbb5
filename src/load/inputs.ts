import { lstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { errorCode } from './fs-errors.js';
import { findFiles } from './walk.js';

export const STDIN = '-';

export interface MissingInput {
  input: string;
  message: string;
}

export interface ExpandedInputs {
  /**
   * Files in the order they were named (directories and globs sorted), each once however it is reached (by real
   * path: a symbolic link and its target are one file); `-` stands for stdin.
   */
  files: string[];
  /** Inputs that name nothing, and folders that cannot be listed: each becomes a file error. */
  errors: MissingInput[];
  /** Files and errors together, in the order they were named: the order of the report. */
  ordered: ({ file: string } | MissingInput)[];
}

const GLOB_CHARACTERS = /[*?[\]{}!]/;

/** The file's identity: its real path, or its absolute path when that cannot be had (reading it will say why). */
function identity(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return path.resolve(file);
  }
}

/** Stats of a named path; undefined when nothing is there. Other failures are left for the reader to report. */
function statNamed(input: string): Stats | 'unreadable' | undefined {
  try {
    return statSync(input, { throwIfNoEntry: false });
  } catch (error) {
    return errorCode(error) === 'ENOTDIR' ? undefined : 'unreadable';
  }
}

function danglingLink(input: string): string | undefined {
  try {
    return lstatSync(input).isSymbolicLink() ? readlinkSync(input) : undefined;
  } catch {
    return undefined;
  }
}

/** Turns command-line paths into files. */
export async function expandInputs(inputs: readonly string[]): Promise<ExpandedInputs> {
  const files: string[] = [];
  const errors: MissingInput[] = [];
  /** Each entry of the report in order: a file (by its index in `files`, whose name may still change) or an error. */
  const entries: ({ at: number } | MissingInput)[] = [];
  const positions = new Map<string, number>();
  const add = (file: string) => {
    const key = file === STDIN ? STDIN : identity(file);
    const at = positions.get(key);
    if (at === undefined) {
      positions.set(key, files.length);
      entries.push({ at: files.length });
      files.push(file);
    } else if (path.resolve(file) === key && path.resolve(files[at]!) !== key) {
      // Reached both through a link and as itself: the report names the file itself, where an editor should go.
      files[at] = file;
    }
  };
  const nothing = (input: string, message: string) => {
    errors.push({ input, message });
    entries.push({ input, message });
  };
  const search = async (input: string, patterns: string[], cwd: string | undefined, nothingFound: string) => {
    const found = await findFiles(patterns, cwd);
    for (const { directory, message } of found.unreadable) nothing(joinKeepingRelative(cwd ?? '', directory), message);
    if (found.files.length === 0 && found.unreadable.length === 0) nothing(input, nothingFound);
    for (const file of found.files) add(joinKeepingRelative(cwd ?? '', file));
  };
  for (const input of inputs) {
    if (input === STDIN) {
      add(STDIN);
      continue;
    }
    const stats = statNamed(input);
    if (stats === 'unreadable' || (stats && !stats.isDirectory())) {
      add(input);
    } else if (stats) {
      await search(
        input,
        ['**/*.yaml', '**/*.yml'],
        input,
        `no *.yaml or *.yml files under directory ${input} (node_modules and .git are not searched)`,
      );
    } else if (GLOB_CHARACTERS.test(input)) {
      await search(input, [input], undefined, `the pattern ${input} matches no files`);
    } else {
      const target = danglingLink(input);
      nothing(
        input,
        target === undefined
          ? `no such file or directory: ${input}`
          : `a symbolic link to ${target}, which does not exist`,
      );
    }
  }
  const ordered = entries.map((entry) => ('at' in entry ? { file: files[entry.at]! } : entry));
  return { files, errors, ordered };
}

function joinKeepingRelative(directory: string, file: string): string {
  const joined = path.join(directory, file);
  return path.sep === '\\' ? joined.replace(/\\/g, '/') : joined;
}
