import type { LintThreads } from '../engine/parallel.js';
import { findRule } from './registry.js';

/**
 * The threads of a parallel lint run `lint-worker.js` beside this module (in the bundle, the entry point of that name
 * beside the script holding this one) and name the built-in rules by id.
 */
export const LINT_THREADS: LintThreads = {
  worker: new URL('./lint-worker.js', import.meta.url),
  knows: (rule) => findRule(rule.meta.id) === rule,
};
