import { parentPort, workerData } from 'node:worker_threads';
import { NO_MORE_INPUTS, type WorkerMessage, type WorkerRequest, type WorkerTask } from '../engine/parallel.js';
import { LintRun } from '../engine/run.js';
import { gatherFacts, lintSettled } from '../engine/settled-lint.js';
import { InputReader } from '../load/read-inputs.js';
import { findRule } from './registry.js';

/*
 * One thread of a parallel lint (see src/engine/parallel.ts; started through LINT_THREADS): gathers the cross-file
 * facts of every input, then lints the inputs it is handed, one at a time, until there are no more.
 */

const task = workerData as WorkerTask;
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);
const run = new LintRun({
  ...task.options,
  rules: task.ruleIds.map((id) => findRule(id)!),
  onNote: (message) => post({ type: 'note', message }),
});
for (const { file, text } of task.options.context ?? []) run.addContext(file, text);
gatherFacts(run, task.ordered, task.options);
const reader = new InputReader(task.ordered, task.options);
port.on('message', (index: WorkerRequest) => {
  if (index === NO_MORE_INPUTS) port.close();
  else post({ type: 'result', index, result: lintSettled(run, reader, index) ?? null });
});
post({ type: 'ready' });
