import { closeSync, fchmodSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Replaces a file's content without ever leaving it half-written: the new bytes go to a temporary file in the
 * same folder (same file system, so the rename is atomic), are all written and flushed, take the original's mode,
 * then replace it. A symbolic link is followed, so the file it points to is replaced and the link stays.
 * On any failure the temporary file is removed, the original is untouched, and the error is thrown.
 */
export function writeFileAtomic(file: string, content: string): void {
  const stats = statSync(file, { throwIfNoEntry: false });
  const target = stats ? realpathSync(file) : file;
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.kubemend-${process.pid}-${Date.now()}.tmp`);
  const bytes = Buffer.from(content, 'utf8');
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx', 0o666);
    if (stats) fchmodSync(fd, stats.mode & 0o7777);
    // writeSync may write less than asked (a full disk, a file size limit): go on until all is written or it fails.
    for (let written = 0; written < bytes.length; ) {
      const count = writeSync(fd, bytes, written, bytes.length - written);
      if (count <= 0) throw new Error(`could not write ${temporary}`);
      written += count;
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // The temporary file may not exist; the original is untouched either way.
    }
    throw error;
  }
}
