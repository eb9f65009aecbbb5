import { statSync } from 'node:fs';
import path from 'node:path';

export const STDIN = '-';

export interface MissingInput {
  input: string;
  message: string;
}

export interface ExpandedInputs {
  /** Files in the order they were named (directories and globs sorted), without repeats; `-` stands for stdin. */
  files: string[];
  /** Inputs that named nothing: each becomes a file error. */
  missing: MissingInput[];
  /** Files and inputs that named nothing together, in the order they were named: the order of the report. */
  ordered: ({ file: string } | MissingInput)[];
}

const GLOB_CHARACTERS = /[*?[\]{}!]/;
/** Never searched. Other dot-folders and dot-files are linted like any other: a manifest in `.deploy/` counts. */
const IGNORED = ['**/node_modules/**', '**/.git/**'];

/**
 * Turns command-line paths into files. fast-glob is imported only when a directory or a glob is named,
 * because a pre-commit hook passes plain file names and should not pay for it.
 */
export async function expandInputs(inputs: readonly string[]): Promise<ExpandedInputs> {
  const files: string[] = [];
  const missing: MissingInput[] = [];
  const ordered: ExpandedInputs['ordered'] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = file === STDIN ? STDIN : path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
    ordered.push({ file });
  };
  const nothing = (input: string, message: string) => {
    missing.push({ input, message });
    ordered.push({ input, message });
  };
  for (const input of inputs) {
    if (input === STDIN) {
      add(STDIN);
      continue;
    }
    const stats = statSync(input, { throwIfNoEntry: false });
    if (stats?.isDirectory()) {
      const found = await glob(['**/*.yaml', '**/*.yml'], input);
      if (found.length === 0) nothing(input, `no *.yaml or *.yml files under directory ${input} (node_modules and .git are not searched)`);
      for (const file of found) add(joinKeepingRelative(input, file));
    } else if (stats) {
      add(input);
    } else if (GLOB_CHARACTERS.test(input)) {
      const found = await glob([input], undefined);
      if (found.length === 0) nothing(input, `the pattern ${input} matches no files`);
      for (const file of found) add(file);
    } else {
      nothing(input, `no such file or directory: ${input}`);
    }
  }
  return { files, missing, ordered };
}

async function glob(patterns: string[], cwd: string | undefined): Promise<string[]> {
  const { default: fastGlob } = await import('fast-glob');
  const found = await fastGlob(patterns, { cwd, ignore: IGNORED, onlyFiles: true, dot: true, followSymbolicLinks: true });
  return found.sort();
}

function joinKeepingRelative(directory: string, file: string): string {
  const joined = path.join(directory, file);
  return path.sep === '\\' ? joined.replace(/\\/g, '/') : joined;
}
