import type { ExpandedInputs } from '../load/inputs.js';

/** One input as expanded: a file to read, or an input that named nothing. */
export type InputEntry = ExpandedInputs['ordered'][number];

export interface Progress {
  /** Called after each file (the CLI's progress line); awaited, so it may load what it needs to draw. */
  onProgress?: (progress: { done: number; total: number; findings: number }) => void | Promise<void>;
}
