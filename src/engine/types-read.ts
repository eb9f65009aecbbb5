import type { ReadsType } from '../load/stream-parse.js';
import type { WorkloadKind } from '../load/workloads.js';
import type { Rule } from './types.js';

/**
 * The types of object the rules of a run read: workloads, and what resource-set rules say they collect. The loader
 * composes only the documents of those types. Undefined when a rule reads every resource.
 */
export function typesReadBy(rules: readonly Rule[], workloadKinds: readonly WorkloadKind[]): ReadsType | undefined {
  const setRules = rules.filter((rule) => rule.kind === 'resource-set');
  if (setRules.some((rule) => rule.readsType === undefined)) return undefined;
  const workloads = new Set(workloadKinds.map((workload) => workload.kind));
  return (apiVersion, kind) => workloads.has(kind) || setRules.some((rule) => rule.readsType!(apiVersion, kind));
}
