import type { NodePath } from '../load/nodes.js';
import type { Span } from '../load/positions.js';
import type { Resource } from '../load/resources.js';
import type { Container, Workload } from '../load/workloads.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface CodeMeta {
  severity: Severity;
  /** One sentence: what the code means. */
  description: string;
  /** Whether findings of this code can carry a fix. */
  fixable?: boolean;
  /**
   * The code asks for a setting only Linux has (capabilities, seccomp, AppArmor, …), which a Windows pod cannot
   * have: it is not reported for pods that run on Windows, as Pod Security Admission does not ask them for it.
   */
  linuxOnly?: boolean;
}

export interface OptionMeta {
  description: string;
  /** JSON Schema of the value, used to validate config files. */
  schema: Record<string, unknown>;
  default: unknown;
}

export interface RuleMeta {
  /** kubeaudit's auditor name where there is one. */
  id: string;
  description: string;
  codes: Record<string, CodeMeta>;
  options?: Record<string, OptionMeta>;
  /** Lets a container's override label allow a pod-level finding too (kubeaudit documents this for hostns). */
  podOverrideFromAnyContainer?: boolean;
  /** The built-in profiles that run this rule; a rule without the list (a plugin's) runs in every profile. */
  profiles?: readonly ProfileName[];
  /** Set on kubeaudit's auditors: how kubeaudit's command line and config name the rule and its options. */
  kubeaudit?: KubeauditMeta;
  /** Documentation for people (SARIF `help`, `kubemend explain`) where the rule has no README in this package. */
  docs?: { markdown: string; url?: string };
}

/** How kubeaudit knew one of its auditors, for its config (`-k`) and its command line. */
export interface KubeauditMeta {
  /** Other names of the auditor's command (`caps` for capabilities). */
  aliases?: readonly string[];
  /** Flags of the auditor's command, each setting an option; a list option takes comma-separated values. */
  flags?: readonly {
    /** As commander takes them: `-i, --image <name:tag>`. */
    flags: string;
    description: string;
    /** The option the flag sets. */
    option: string;
    /** kubeaudit's `all` command has the flag too. */
    all?: boolean;
  }[];
  /** Another key of kubeaudit's `auditors` map that kubeaudit read this rule's options from, and what to say. */
  configAlias?: { key: string; why: string };
  /** Options kubeaudit's sample config sets although kubeaudit never read them: accepted with this warning, dropped. */
  unreadOptions?: Readonly<Record<string, string>>;
}

/** The built-in rule sets (`--profile`); `auto` runs the rules of pss-restricted. */
export type ProfileName = 'kubeaudit' | 'pss-baseline' | 'pss-restricted';

/**
 * The Pod Security Standards level and Kubernetes minor a run checks, as the profile chose them: one level for every
 * workload, or each workload's Namespace's (`auto`, where `minor` is the cluster's version).
 */
export interface PodSecuritySelection {
  level: 'baseline' | 'restricted' | 'auto';
  minor: number;
}

/**
 * A change to a document, as data: the fix engine, not the rule, decides how the text changes.
 * Paths run from the document root; `set` creates missing parents; `addToList` skips values already present.
 */
export type Patch =
  | { op: 'set'; path: NodePath; value: unknown }
  | { op: 'delete'; path: NodePath }
  | { op: 'addToList'; path: NodePath; value: unknown }
  | { op: 'removeFromList'; path: NodePath; value: unknown }
  /** Appends a new document (e.g. a NetworkPolicy) to the file. */
  | { op: 'appendDocument'; value: unknown };

/** A document of the run: patches of resource-set rules may target a document other than the finding's. */
export interface DocumentRef {
  file: string;
  documentIndex: number;
}

export interface TargetedPatch {
  target: DocumentRef;
  patch: Patch;
}

/** What a rule says about one problem; the engine adds the span, the resource and the default severity. */
export interface Report {
  code: string;
  /** One short sentence for a terminal line: what is wrong and where (`container "app" runs privileged`). */
  message: string;
  /**
   * The whole story: what is wrong, why it matters and how to fix it, as one text that stands alone (JSON `details`,
   * annotations, kubeaudit's formats). The message when omitted.
   */
  details?: string;
  /** From the document root: the offending node, or where the missing field belongs. */
  path: NodePath;
  container?: Container;
  /** The kubeaudit override identifier (e.g. `allow-privileged`) that turns this finding into `<code>Allowed`. */
  override?: string;
  /** Only for codes whose severity depends on the case (kubeaudit's RunAsUserPSCRoot). */
  severity?: Severity;
  /** Severity once an override allows the finding; `info` unless kubeaudit says otherwise (netpols, both labels). */
  allowedSeverity?: Severity;
  /** kubeaudit's metadata keys, shown by the kubeaudit-compatible outputs. */
  metadata?: Record<string, string>;
  /** Patches to this finding's own document. */
  patches?: Patch[];
}

export interface WorkloadContext<Options = Record<string, unknown>> {
  workload: Workload;
  options: Options;
  report(report: Report): void;
  /** Reports RedundantAuditorOverride when a label allows `override` for this container (or the pod) although nothing needed it. */
  reportRedundantOverride(override: string, container?: Container): void;
}

export interface WorkloadRule<Options = Record<string, unknown>> {
  kind: 'workload';
  meta: RuleMeta;
  check(context: WorkloadContext<Options>): void;
}

/** Where a finding is shown. */
export interface FindingSpan extends Span {
  /**
   * Only for a field that is missing, in a file with suppression comments (nothing else reads it): the lines it would
   * be shown on had fewer of its parents existed (its container's `- name:` line, …). A kubemend-disable-line or
   * -next-line comment on any of them covers it, so a fix that creates a missing parent does not move it away from
   * its comment.
   */
  coveringLines?: readonly number[];
}

/** A place in the run a resource-set rule remembered while files went by. */
export interface Located {
  file: string;
  resource: ResourceRef;
  documentIndex: number;
  /** Path of the resource's root from the document root. */
  resourcePath: NodePath;
  labels: ReadonlyMap<string, string>;
  /** Spans of the resource's kubeaudit override labels, for RedundantAuditorOverride. */
  overrideLabelSpans: ReadonlyMap<string, Span>;
  /**
   * Read as project context (a file of the project not named on the command line): its facts inform findings of the
   * named files, but nothing is reported on it and no fix may change it.
   */
  context: boolean;
  /**
   * Resolves a path from the document root to a span. Only during `collect`: the file's AST is released
   * afterwards (one AST alive at a time), so a rule keeps the spans it will need in its facts.
   */
  spanOf(path: NodePath): FindingSpan;
}

export interface SetReport extends Omit<Report, 'container' | 'patches' | 'path'> {
  at: Located;
  container?: string;
  /** The span to show, taken with `at.spanOf` during `collect`. */
  span: FindingSpan;
  /** The path `span` was taken from, when there is one: it identifies the finding in a baseline. */
  path?: NodePath;
  patches?: TargetedPatch[];
}

export interface SetContext<Options = Record<string, unknown>> {
  options: Options;
  report(report: SetReport): void;
  /** RedundantAuditorOverride for a label on `at` that allowed `override` without need. */
  reportRedundantOverride(override: string, at: Located, container?: string): void;
  /** Tells the user something about the run that is no finding (what was not checked, and why); once per text. */
  note(message: string): void;
  /** What the run's profile chose for the Pod Security Standards rules (LintOptions.podSecurity), if anything. */
  podSecurity: PodSecuritySelection | undefined;
}

/** Objects of one kind a resource-set rule needs from the project's other files, by name and namespace if given. */
export interface ContextQuery {
  kind: string;
  /** Only the object of this `metadata.name`. */
  name?: string;
  /** Only objects of this `metadata.namespace`; `''` for objects that give none. */
  namespace?: string;
  /** Only objects that carry this label, whatever its value. */
  label?: string;
}

/**
 * A rule that needs more than one resource (Namespaces and NetworkPolicies, workloads and ServiceAccounts).
 * `collect` sees every resource of every file while its document is in memory and keeps what it needs;
 * `check` runs once, after the last file.
 */
export interface ResourceSetRule<Fact = unknown, Options = Record<string, unknown>> {
  kind: 'resource-set';
  meta: RuleMeta;
  /**
   * Kinds of the resources whose facts can change findings of other files: all a lint of a few files needs to read
   * of the project's other manifests. Without it, every resource of those files is collected.
   */
  contextKinds?: readonly string[];
  /**
   * The objects of the project's other files that can change findings on the linted files, told from the facts
   * `collect` kept of those files: a lint of a few files reads, decodes and parses no others. A file whose facts need
   * none costs no context at all. Without it, every object of `contextKinds` is read.
   */
  contextQueries?(facts: readonly Fact[]): readonly ContextQuery[];
  /**
   * Whether `collect` may keep a fact of a resource of this type that is no workload (workloads are always read).
   * Without it, every resource is collected; with it, the loader composes no other document (see stream-parse.ts).
   */
  readsType?(apiVersion: string, kind: string): boolean;
  collect(resource: Resource, at: Located, workload: Workload | undefined): Fact | undefined;
  check(facts: Fact[], context: SetContext<Options>): void;
}

/**
 * A rule whose findings the engine itself reports (the `suppressions` rule, about suppression comments and
 * annotations): it has meta and a README like any rule, and running it turns those findings on.
 */
export interface EngineRule {
  kind: 'engine';
  meta: RuleMeta;
}

export type Rule = WorkloadRule<unknown> | ResourceSetRule<unknown, unknown> | EngineRule;

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string | null;
  namespace: string | null;
}

export interface Override {
  /** The label that allowed the finding. */
  label: string;
  /** The label's value, unless it is empty or `true`. */
  reason: string | null;
}

export interface Finding extends FindingSpan {
  rule: string;
  code: string;
  severity: Severity;
  /** Short: what is wrong and where, for a terminal line. */
  message: string;
  /** What is wrong, why it matters and how to fix it; the message when the rule has nothing to add. */
  details: string;
  resource: ResourceRef;
  container: string | null;
  fixable: boolean;
  /** Present when an override label allowed the finding (its code then ends in `Allowed`). */
  override?: Override;
  metadata: Record<string, string>;
  patches: TargetedPatch[];
  /** Where the resource is: its document in the file. */
  documentIndex: number;
  /**
   * The reported field from the resource's root, containers by list without their index
   * (`spec.template.spec.containers[].securityContext.privileged`): with the container's name it says which field
   * this is wherever lines and containers move. Absent when the rule reports no path.
   */
  field?: string;
  /**
   * Rendered input: `--kustomize` gives false when the finding could not be placed in a source file; `--helm` gives
   * `line` when the template line is certain, `file` when it is a best guess or only the template file is known.
   */
  mapped?: boolean | 'line' | 'file';
  /** `--helm`: the values key the field's value (or the mapping that lacks it) comes from, and its line. */
  values?: { file: string; key: string; line: number };
  /** Rendered Helm output read as a manifest (`helm template … | kubemend -`): the `# Source:` template file. */
  template?: string;
}

/** How a finding was accepted: by a comment, an annotation, the config file or the baseline. */
export interface Suppression {
  kind: 'comment' | 'annotation' | 'config' | 'baseline';
  reason: string | null;
  /** The last day (YYYY-MM-DD) the suppression applies, or null. */
  until: string | null;
}

export interface SuppressedFinding extends Finding {
  suppression: Suppression;
}

export interface FileError {
  message: string;
  line: number;
  column: number;
}

export interface FileResult {
  /** As given on the command line; `<stdin>` for standard input. */
  file: string;
  findings: Finding[];
  errors: FileError[];
  /** Findings a suppression accepted: not shown, not counted in the exit code, not fixed. */
  suppressed: SuppressedFinding[];
}
