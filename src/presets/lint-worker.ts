import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { takeInput, type WorkerMessage, type WorkerTask } from '../engine/parallel.js';
import { LintRun, type HeldFile } from '../engine/run.js';
import { lintHeld } from '../engine/settled-lint.js';
import type { SharedFacts } from '../engine/shared-facts.js';
import { InputReader } from '../load/read-inputs.js';
import { findRule } from './registry.js';

/*
 * One thread of a parallel lint (see src/engine/parallel.ts; started through LINT_THREADS): lints the inputs it takes
 * from the shared counter until none are left, and settles each once the facts the main thread gathers have come
 * (the files linted before wait for them).
 */

const task = workerData as WorkerTask;
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);
const run = new LintRun({
  ...task.options,
  rules: task.ruleIds.map((id) => findRule(id)!),
  knownRules: task.knownRuleIds?.map((id) => findRule(id)!),
  onNote: (message) => post({ type: 'note', message }),
});
const reader = new InputReader(task.ordered, task.options);
const waiting: HeldFile[] = [];
let settling = false;

function settle(file: HeldFile): void {
  post({ type: 'result', index: file.index, result: run.settle(file) });
}

function receiveFacts(facts: SharedFacts): void {
  run.useSharedFacts(facts);
  task.facts.close();
  settling = true;
  for (const file of waiting.splice(0)) settle(file);
}

for (let index = takeInput(task); index !== undefined; index = takeInput(task)) {
  const file = lintHeld(run, reader, index);
  if (!settling) {
    const facts = receiveMessageOnPort(task.facts);
    if (facts) receiveFacts(facts.message as SharedFacts);
  }
  if (!file) post({ type: 'result', index, result: null });
  else if (settling) settle(file);
  else waiting.push(file);
}
if (!settling) task.facts.once('message', receiveFacts);
