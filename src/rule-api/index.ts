// `kubemend/rule`: what a rule is written against. The built-in rules import this module and nothing else of
// kubemend, so a plugin can do everything they do. Changing an export here is a change of the public API.

export type {
  CodeMeta,
  ContextQuery,
  DocumentRef,
  EngineRule,
  FindingSpan,
  Located,
  OptionMeta,
  Patch,
  PodSecuritySelection,
  ProfileName,
  Report,
  ResourceRef,
  ResourceSetRule,
  Rule,
  RuleMeta,
  SetContext,
  SetReport,
  Severity,
  TargetedPatch,
  WorkloadContext,
  WorkloadRule,
} from '../engine/types.js';
export type { NodePath } from '../load/nodes.js';
export type { Resource } from '../load/resources.js';
export type { Container, Workload } from '../load/workloads.js';
export { findOverride } from '../engine/overrides.js';
export {
  SUPPRESSION_EXPIRED,
  SUPPRESSION_INVALID,
  SUPPRESSION_UNUSED,
  SUPPRESSIONS_RULE_ID,
} from '../engine/suppress/codes.js';
export {
  asBoolean,
  asInteger,
  asString,
  containerField,
  containerPath,
  countEntries,
  describeContainer,
  isPresent,
  nodeAtPath,
  podAnnotationPath,
  podField,
  podPath,
  readField,
  readList,
  readSecurityProfile,
  runtimeDefaultProfile,
  securityContextField,
  securityContextOwners,
  type FieldValue,
  type ListItem,
  type ScalarReader,
  type SecurityProfile,
} from '../engine/fields.js';
export {
  describeSetter,
  describeVolume,
  pssRule,
  type Control,
  type ControlVersion,
  type Exemption,
  type PodCheck,
  type PssRule,
  type Violation,
} from './pss-rule.js';
export type { Plugin } from './plugin.js';
