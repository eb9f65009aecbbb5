export { lintBytes, lintText, type LintOptions } from './engine/run.js';
export { RULES } from './engine/registry.js';
export { lintInputs } from './engine/lint-inputs.js';
export { WORKLOAD_KINDS, workloadOf, type Workload, type WorkloadKind, type Container } from './load/workloads.js';
export { resourcesOf, type Resource } from './load/resources.js';
export { parseManifest } from './load/parse.js';
export type { Finding, FileResult, FileError, Severity, Rule } from './engine/types.js';
export { readBoolean, readInteger, readString, isNullScalar } from './load/scalars.js';
