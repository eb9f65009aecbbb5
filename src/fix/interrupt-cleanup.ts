import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/*
 * Temporary files exist only while a fixed file is written, temporary folders only while a render or a fix is tried
 * in them (Kustomize, Helm). If the run is interrupted then (Ctrl-C, a CI timeout's SIGTERM, a closed terminal),
 * they are removed before the process ends as the signal says, so none is left beside the user's files. The
 * handlers are installed only while a temporary file or folder exists; otherwise signals act as usual.
 */

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const live = new Set<string>();

function removeAndResend(signal: NodeJS.Signals): void {
  for (const file of live) {
    try {
      rmSync(file, { recursive: true, force: true });
    } catch {
      // Already renamed into place, or never created: nothing is left either way.
    }
  }
  live.clear();
  stopListening();
  // With no handler left, the signal ends the process the usual way (and the shell sees the usual status).
  process.kill(process.pid, signal);
}

function stopListening(): void {
  for (const signal of SIGNALS) process.removeListener(signal, removeAndResend);
}

/** Marks `file` (or a folder) for removal on interruption; call the returned function once it is gone or renamed. */
export function removeOnInterrupt(file: string): () => void {
  if (live.size === 0) for (const signal of SIGNALS) process.on(signal, removeAndResend);
  live.add(file);
  return () => {
    live.delete(file);
    if (live.size === 0) stopListening();
  };
}

/** A fresh temporary folder, removed by `remove()` or, if the run is interrupted before that, by the signal handler. */
export async function temporaryFolder(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const folder = await mkdtemp(path.join(tmpdir(), prefix));
  const forget = removeOnInterrupt(folder);
  return {
    path: folder,
    remove: async () => {
      await rm(folder, { recursive: true, force: true });
      forget();
    },
  };
}

/** Runs `use` with a temporary folder that is gone afterwards, whatever happens (an interrupt included). */
export async function withTemporaryFolder<T>(prefix: string, use: (folder: string) => Promise<T>): Promise<T> {
  const folder = await temporaryFolder(prefix);
  try {
    return await use(folder.path);
  } finally {
    await folder.remove();
  }
}
