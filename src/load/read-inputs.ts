import type { LocatedError } from './errors.js';
import { STDIN, type ExpandedInputs } from './inputs.js';
import { isKustomizationFile, KustomizePatches } from './kustomization.js';
import { displayName, readManifest, type ReadOptions } from './read.js';

/** One input file, read: its bytes and whether it is a Kustomize patch, or why it could not be read. */
type FileError = Pick<LocatedError, 'message' | 'line' | 'column'>;

export type InputFile = { name: string; /** Its position among the inputs. */ index: number } & (
  { bytes: Uint8Array; role: 'manifest' | 'patch'; error?: undefined } | { error: FileError }
);

/** Whether a file is to be read at all, from its position and role (a pass that needs only some passes others by). */
export type WantedInput = (index: number, role: 'manifest' | 'patch') => boolean;

type Entry = ExpandedInputs['ordered'][number];

/** Whether an input gets a result of its own: kustomization files are not manifests, and are passed by. */
export function isLinted(entry: Entry): boolean {
  return !('file' in entry) || !isKustomizationFile(entry.file);
}

/**
 * Reads the expanded inputs one at a time, in any order (a thread of a parallel lint reads those it is given): inputs
 * naming nothing and unreadable files become errors; the patches kustomizations list are marked.
 */
export class InputReader {
  private readonly patches = new KustomizePatches();

  constructor(
    private readonly ordered: readonly Entry[],
    private readonly options: ReadOptions,
  ) {}

  /** The `index`-th input; undefined when it is no manifest (see isLinted) or `wanted` passes it by. */
  read(index: number, wanted: WantedInput = () => true): InputFile | undefined {
    const entry = this.ordered[index]!;
    if (!('file' in entry)) return { name: entry.input, index, error: { message: entry.message, line: 1, column: 1 } };
    if (!isLinted(entry)) return undefined;
    const { file } = entry;
    const role = file !== STDIN && this.patches.isPatch(file) ? 'patch' : 'manifest';
    if (!wanted(index, role)) return undefined;
    const read = readManifest(file, this.options);
    const name = displayName(file);
    return 'error' in read ? { name, index, error: read.error } : { name, index, bytes: read.bytes, role };
  }
}

/** Every input, in order, read one at a time (a lint keeps one in memory): see InputReader. */
export function* readInputs(
  ordered: readonly Entry[],
  options: ReadOptions,
  wanted: WantedInput = () => true,
): Generator<InputFile> {
  const reader = new InputReader(ordered, options);
  for (let index = 0; index < ordered.length; index++) {
    const input = reader.read(index, wanted);
    if (input) yield input;
  }
}
