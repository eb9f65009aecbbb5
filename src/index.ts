export { lintBytes, lintText, type LintOptions } from './engine/run.js';
export { ALL_RULES, ENGINE_RULES, PSS_RULES, RULES } from './engine/registry.js';
export { NEWEST_MINOR, PROFILES, PSS_VERSIONS, selectProfile, type Profile, type ProfileChoice } from './engine/pss.js';
export { lintInputs } from './engine/lint-inputs.js';
export { WORKLOAD_KINDS, workloadOf, type Workload, type WorkloadKind, type Container } from './load/workloads.js';
export { resourcesOf, type Resource } from './load/resources.js';
export { parseManifest } from './load/parse.js';
export type { Finding, FileResult, FileError, Severity, Rule, SuppressedFinding, Suppression } from './engine/types.js';
export type { SuppressionOptions } from './engine/suppress/layer.js';
export type { ConfigSuppression, SuppressionPolicy } from './engine/suppress/config-entries.js';
export {
  Baseline,
  parseBaseline,
  serializeBaseline,
  type BaselineEntry,
  type BaselineOutcome,
} from './engine/suppress/baseline.js';
export { readBoolean, readInteger, readString, isNullScalar } from './load/scalars.js';
export {
  fixTexts,
  type FixInput,
  type FixReport,
  type FixedFile,
  type FixOptions,
  type UnfixedFinding,
} from './fix/index.js';
