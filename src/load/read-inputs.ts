import type { LocatedError } from './errors.js';
import { STDIN, type ExpandedInputs } from './inputs.js';
import { isKustomizationFile, KustomizePatches } from './kustomization.js';
import { displayName, readManifest, type ReadOptions } from './read.js';

/** One input file, read: its bytes and whether it is a Kustomize patch, or why it could not be read. */
type FileError = Pick<LocatedError, 'message' | 'line' | 'column'>;

export type InputFile = { name: string; /** Its position among the inputs. */ index: number } & (
  { bytes: Uint8Array; role: 'manifest' | 'patch'; error?: undefined } | { error: FileError }
);

/** Whether a file is to be read at all, from its position and role (a thread of a parallel lint passes some by). */
export type WantedInput = (index: number, role: 'manifest' | 'patch') => boolean;

/**
 * Every file of the expanded inputs, in their order, read one at a time (a lint keeps one in memory): inputs naming
 * nothing and unreadable files become errors; kustomization files are passed by, the patches they list marked.
 */
export function* readInputs(
  ordered: readonly ExpandedInputs['ordered'][number][],
  options: ReadOptions,
  wanted: WantedInput = () => true,
): Generator<InputFile> {
  const patches = new KustomizePatches();
  for (const [index, entry] of ordered.entries()) {
    if (!('file' in entry)) {
      yield { name: entry.input, index, error: { message: entry.message, line: 1, column: 1 } };
      continue;
    }
    const { file } = entry;
    if (isKustomizationFile(file)) continue;
    const role = file !== STDIN && patches.isPatch(file) ? 'patch' : 'manifest';
    if (!wanted(index, role)) continue;
    const read = readManifest(file, options);
    const name = displayName(file);
    if ('error' in read) yield { name, index, error: read.error };
    else yield { name, index, bytes: read.bytes, role };
  }
}
