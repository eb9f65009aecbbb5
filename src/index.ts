export {
  fixTexts,
  formatReport,
  lintBytes,
  lintInputs,
  lintInputsStream,
  lintText,
  type LibraryOptions,
} from './library.js';
export { FORMATS } from './report/index.js';
export { findConfigFile, loadConfig, type ResolvedConfig } from './config/resolve.js';
export { ConfigError, formatIssue, type ConfigIssue } from './engine/config-issue.js';
export { applyProfile } from './presets/profiles.js';
export type { LintOptions } from './engine/run.js';
export { ALL_RULES, ENGINE_RULES, PSS_RULES, RULES, findRule } from './presets/registry.js';
export { PROFILES, selectProfile, type Profile, type ProfileChoice } from './presets/profiles.js';
export { NEWEST_MINOR, PSS_VERSIONS } from './rule-api/pss-versions.js';
export { WORKLOAD_KINDS, workloadOf, type Workload, type WorkloadKind, type Container } from './load/workloads.js';
export { resourcesOf, type Resource } from './load/resources.js';
export { parseManifest } from './load/parse.js';
export type { Finding, FileResult, FileError, Severity, Rule, SuppressedFinding, Suppression } from './engine/types.js';
export type { WorkloadRule, ResourceSetRule, RuleMeta, Patch, Report } from './rule-api/index.js';
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
export type { FixInput, FixReport, FixedFile, FixedFinding, FixOptions, UnfixedFinding } from './fix/index.js';
