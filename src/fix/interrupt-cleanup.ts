import { rmSync } from 'node:fs';

/*
 * Temporary files exist only while a fixed file is written. If the run is interrupted then (Ctrl-C, a CI timeout's
 * SIGTERM, a closed terminal), they are removed before the process ends as the signal says, so none is left beside
 * the user's files. The handlers are installed only while a temporary file exists; otherwise signals act as usual.
 */

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const live = new Set<string>();

function removeAndResend(signal: NodeJS.Signals): void {
  for (const file of live) {
    try {
      // A folder too: --fix --kustomize tries its fixes in a temporary copy.
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
