import { constants, type Stats } from 'node:fs';
import { access, open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { errorCode } from '../load/fs-errors.js';
import { removeOnInterrupt } from './interrupt-cleanup.js';

export interface WriteOutcome {
  /** Other hard links of the replaced file: they keep the old content, as with any editor that saves by renaming. */
  otherLinks: number;
}

/** How many UTF-16 units of a text are encoded and written at a time. */
export const WRITE_CHUNK = 1 << 20;

/** Writes a text in pieces: a 100 MB file does not become one 100 MB buffer beside its text. */
async function writeText(handle: FileHandle, content: string): Promise<void> {
  for (let start = 0; start < content.length;) {
    let end = Math.min(start + WRITE_CHUNK, content.length);
    // A surrogate pair cut in two would be written as two U+FFFD: the piece ends before its first half.
    const last = content.charCodeAt(end - 1);
    if (end < content.length && last >= 0xd800 && last <= 0xdbff) end--;
    const bytes = Buffer.from(content.slice(start, end), 'utf8');
    for (let done = 0; done < bytes.length;) done += (await handle.write(bytes, done)).bytesWritten;
    start = end;
  }
}

/** A write kubemend declines to make, as an editor would; the message says why and what to do. */
class WriteRefused extends Error {}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

async function checkWritable(file: string, stats: Stats): Promise<void> {
  // Root may write anything, so the mode is asked too: a file nobody may write was made read-only on purpose.
  if ((stats.mode & 0o222) === 0)
    throw new WriteRefused(
      `the file is read-only, mode ${octal(stats.mode)}: make it writable, e.g. chmod u+w, to let kubemend fix it`,
    );
  try {
    await access(file, constants.W_OK);
  } catch {
    throw new WriteRefused(
      `you may not write this file, owner ${stats.uid}, mode ${octal(stats.mode)}: run kubemend as a user who may`,
    );
  }
}

/** The replacement gets the original's owner, group and mode, or the original is left alone. */
async function takeOver(handle: FileHandle, original: Stats): Promise<void> {
  const own = await handle.stat();
  if (own.uid !== original.uid || own.gid !== original.gid) {
    try {
      await handle.chown(original.uid, original.gid);
    } catch (error) {
      if (errorCode(error) !== 'EPERM' && errorCode(error) !== 'EINVAL') throw error;
      throw new WriteRefused(
        `the fixed file could not keep the owner and group ${original.uid}:${original.gid}, and ` +
          `would have become yours: run kubemend as the file's owner or as root`,
      );
    }
  }
  // After chown, which may clear set-id bits.
  await handle.chmod(original.mode & 0o7777);
}

/** A replacement written to its temporary file, ready to take the original's place. */
export interface PreparedWrite extends WriteOutcome {
  /** The file replaced (a symbolic link's target). */
  target: string;
  /** Renames the temporary file over the target. */
  commit(): Promise<void>;
  /** Removes the temporary file; the target stays as it was. */
  discard(): Promise<void>;
}

/**
 * The first half of a replacement: the new bytes go to a temporary file in the same folder (same file system, so
 * the rename is atomic), are all written and flushed, and take the original's owner, group and mode. A symbolic
 * link is followed, so the file it points to is replaced and the link stays. Read-only files, and files whose
 * owner could not be kept, are refused (WriteRefused). On failure, and on SIGINT/SIGTERM/SIGHUP until committed or
 * discarded, the temporary file is removed and the original is untouched.
 */
export async function prepareWrite(file: string, content: string): Promise<PreparedWrite> {
  const original = await stat(file).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  const target = original ? await realpath(file) : file;
  if (original) await checkWritable(target, original);
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.kubemend-${process.pid}-${Date.now()}.tmp`,
  );
  const forget = removeOnInterrupt(temporary);
  let handle: FileHandle | undefined;
  try {
    // Private until it has the original's mode; a new file gets the usual mode (0666 less the umask).
    handle = await open(temporary, 'wx', original ? 0o600 : 0o666);
    if (original) await takeOver(handle, original);
    await writeText(handle, content);
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    forget();
    throw error;
  }
  const discard = async () => {
    await unlink(temporary).catch(() => undefined);
    forget();
  };
  const commit = async () => {
    await rename(temporary, target);
    forget();
  };
  return { target, otherLinks: original ? original.nlink - 1 : 0, commit, discard };
}

/** Replaces a file's content without ever leaving it half-written (see prepareWrite). */
export async function writeFileAtomic(file: string, content: string): Promise<WriteOutcome> {
  const prepared = await prepareWrite(file, content);
  try {
    await prepared.commit();
  } catch (error) {
    await prepared.discard();
    throw error;
  }
  return { otherLinks: prepared.otherLinks };
}
