import { prepareWrite, writeFileAtomic, type PreparedWrite, type WriteOutcome } from './write.js';

export interface FileChange {
  file: string;
  /** What the file holds now: put back if a later rename fails. */
  before: string;
  after: string;
}

/** A set of changes that was not made; `file` is the one that failed. */
export class WriteAllFailed extends Error {
  constructor(
    readonly file: string,
    readonly cause: unknown,
  ) {
    super(`cannot write ${file}`);
  }
}

/**
 * Writes several files as one change: every new content goes to its temporary file first (see prepareWrite); only
 * when all are written are they renamed over the originals. If any write fails, every temporary file is removed and
 * no original changes. A rename failing after others succeeded (the disk vanished) puts those back.
 */
export async function writeFilesAtomic(changes: readonly FileChange[]): Promise<WriteOutcome[]> {
  const prepared: PreparedWrite[] = [];
  const discardAll = () => Promise.all(prepared.map((write) => write.discard()));
  for (const change of changes) {
    try {
      prepared.push(await prepareWrite(change.file, change.after));
    } catch (error) {
      await discardAll();
      throw new WriteAllFailed(change.file, error);
    }
  }
  for (const [index, write] of prepared.entries()) {
    try {
      await write.commit();
    } catch (error) {
      await discardAll();
      for (const done of changes.slice(0, index)) await writeFileAtomic(done.file, done.before).catch(() => undefined);
      throw new WriteAllFailed(changes[index]!.file, error);
    }
  }
  return prepared.map(({ otherLinks }) => ({ otherLinks }));
}
