import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { STDIN } from './inputs.js';
import { describeFsError } from './fs-errors.js';
import type { LocatedError } from './errors.js';

export const STDIN_NAME = '<stdin>';

/** Larger inputs are refused: no manifest is this big, and reading `/dev/zero` or a runaway pipe must end. */
export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;

export interface ReadOptions {
  /** Bytes a file (or stdin) may hold; default DEFAULT_MAX_FILE_SIZE. */
  maxFileSize?: number;
  /** Standard input when the caller has read it already (the CLI reads it from its own stream); else file descriptor 0. */
  stdin?: Uint8Array;
}

export type ReadResult = { bytes: Uint8Array } | { error: Pick<LocatedError, 'message' | 'line' | 'column'> };

/** How a file is named in reports: as given, or `<stdin>`. */
export function displayName(file: string): string {
  return file === STDIN ? STDIN_NAME : file;
}

/** `1.5 MiB`, `64 MiB`, `512 bytes`: sizes as the --max-file-size flag takes them. */
export function formatSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

function tooLarge(what: string, limit: number): string {
  return `${what} more than ${formatSize(limit)}, the most kubemend reads; if it really is a manifest, raise the limit with --max-file-size`;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * One buffer for many reads, for a caller that looks at many files and keeps few (project context): a read into it
 * allocates nothing, and its bytes last until the next read.
 */
export class ScratchBuffer {
  private buffer = Buffer.allocUnsafe(1 << 20);

  fit(size: number): Buffer {
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
    return this.buffer;
  }
}

/** Reads until end of file, but never more than `limit` + 1 bytes, so an endless source cannot exhaust memory. */
function readAtMost(fd: number, limit: number, sizeHint: number, scratch?: ScratchBuffer): Uint8Array | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  if (scratch) {
    const buffer = scratch.fit(Math.min(sizeHint, limit) + 65536);
    for (;;) {
      const count = readSync(fd, buffer, total, buffer.length - total, null);
      total += count;
      if (count === 0 || total === buffer.length) break;
    }
    if (total > limit) return undefined;
    if (total < buffer.length) return buffer.subarray(0, total);
    // The file grew past what it said: the rest is read as without a scratch buffer.
    chunks.push(Buffer.from(buffer));
  }
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(Math.max(sizeHint - total, 0), limit) + 65536);
    const count = readSync(fd, buffer, 0, buffer.length, null);
    if (count === 0) break;
    total += count;
    if (total > limit) return undefined;
    chunks.push(buffer.subarray(0, count));
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

function readFile(file: string, limit: number, scratch?: ScratchBuffer): { bytes: Uint8Array } | { message: string } {
  // O_NONBLOCK: opening a FIFO without a writer must not hang; it is refused below like any special file.
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile())
      return {
        message: `this is ${kindOf(stats)}, not a regular file; kubemend reads only regular files (and stdin, as -)`,
      };
    if (stats.size > limit) return { message: tooLarge(`the file is ${formatSize(stats.size)},`, limit) };
    const bytes = readAtMost(fd, limit, stats.size, scratch);
    return bytes ? { bytes } : { message: tooLarge('the file grew while it was read, to', limit) };
  } finally {
    closeSync(fd);
  }
}

/**
 * The bytes of a named regular file or of stdin (`-`), at most `maxFileSize` of them. Whatever cannot be read
 * (permissions, a symbolic link loop, a FIFO or device, a file too large) becomes an error located at 1:1. With
 * `scratch`, a file's bytes are in it, valid until its next use.
 */
export function readManifest(file: string, options: ReadOptions = {}, scratch?: ScratchBuffer): ReadResult {
  const limit = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let read: { bytes: Uint8Array } | { message: string };
  try {
    if (file === STDIN) {
      const bytes = options.stdin ?? readAtMost(0, limit, 0);
      read = bytes && bytes.length <= limit ? { bytes } : { message: tooLarge('stdin holds', limit) };
    } else {
      read = readFile(file, limit, scratch);
    }
  } catch (error) {
    read = { message: `cannot read the file: ${describeFsError(error)}` };
  }
  return 'bytes' in read ? read : { error: { message: read.message, line: 1, column: 1 } };
}
