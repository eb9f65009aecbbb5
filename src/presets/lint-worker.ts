import { parentPort, workerData } from 'node:worker_threads';
import { lintEntries } from '../engine/lint-inputs.js';
import type { WorkerMessage, WorkerTask } from '../engine/parallel.js';
import { LintRun } from '../engine/run.js';
import { findRule } from './registry.js';

/*
 * One thread of a parallel lint (see src/engine/parallel.ts; started through LINT_THREADS): lints the entries it
 * owns, takes the others as peers.
 */

const task = workerData as WorkerTask;
const post = (message: WorkerMessage) => parentPort!.postMessage(message);
const run = new LintRun({
  ...task.options,
  rules: task.ruleIds.map((id) => findRule(id)!),
  onNote: (message) => post({ type: 'note', message }),
});
for (const { file, text } of task.options.context ?? []) run.addContext(file, text);
let reported = 0;
await lintEntries(run, task.ordered, task.options, (index) => index >= task.start && index < task.end, {
  onProgress: ({ findings }) => {
    post({ type: 'progress', findings: findings - reported });
    reported = findings;
  },
});
post({ type: 'done', results: run.finish() });
