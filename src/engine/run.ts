import type { Document } from 'yaml';
import { decodeManifest } from '../load/text.js';
import { LocatedError } from '../load/errors.js';
import { parseManifest } from '../load/parse.js';
import { streamManifest, type ReadsType } from '../load/stream-parse.js';
import { resourceLabels, resourcesOf, type Resource } from '../load/resources.js';
import { workloadOf, WORKLOAD_KINDS, type Container, type Workload, type WorkloadKind } from '../load/workloads.js';
import { closestNode, type NodePath } from '../load/nodes.js';
import type { LineIndex, Span } from '../load/positions.js';
import { spanOfPath } from './spans.js';
import { contextFilterOf, type ContextFilter } from './context-filter.js';
import { typesReadBy } from './types-read.js';
import {
  ALLOWED_SUFFIX,
  REDUNDANT_OVERRIDE_CODE,
  containerOverrideLabels,
  findOverride,
  isOverrideLabel,
  podOverrideLabels,
} from './overrides.js';
import { fieldPathOf } from './suppress/baseline.js';
import { SUPPRESSIONS_RULE_ID } from './suppress/codes.js';
import { SuppressionLayer, type SuppressionOptions, type SuppressionReport } from './suppress/layer.js';
import { NameBook } from './suppress/names.js';
import { WindowsFixGuard } from './windows.js';
import {
  receiveFacts,
  shareFacts,
  SPAN_AFTER_COLLECT,
  type GatheredPiece,
  type RuleFacts,
  type SharedFacts,
} from './shared-facts.js';
import type {
  DocumentRef,
  FileError,
  FileResult,
  Finding,
  EngineRule,
  FindingSpan,
  Located,
  Override,
  Patch,
  PodSecuritySelection,
  Report,
  ResourceRef,
  ResourceSetRule,
  Rule,
  SetReport,
  Severity,
  TargetedPatch,
  WorkloadRule,
} from './types.js';
import { compareText } from './compare-text.js';

/** How a file takes part in a run: a manifest, or a Kustomize patch (see LintRun.addText). */
export type FileRole = 'manifest' | 'patch';

/** A file of a settled run, linted and taken out of the run with the facts it gave until `LintRun.settle`. */
export interface HeldFile {
  index: number;
  result: FileResult;
  own: RuleFacts;
}

/** Where a text cut from a larger file sits in it (LintRun.addText): findings and errors are placed in the file. */
export interface TextPlace {
  /** The file's index of the text's first document. */
  firstIndex?: number;
  /** How many of the file's lines come before the text (which starts at the start of a line). */
  lineOffset?: number;
  /** Called with each document linted, once its rules are done with it (a fix plans its edits on it). */
  onDocument?: (doc: Document.Parsed) => void;
  /** The text's documents, parsed already (by a fix verifying them): linted without parsing them again. */
  parsed?: readonly Document.Parsed[];
}

export interface LintOptions {
  /** The rules to run; the engine knows no others (src/presets holds the built-in ones and the profiles). */
  rules: readonly Rule[];
  /** Every rule suppressions and `--rule` may name, running or not (default: `rules`). */
  knownRules?: readonly Rule[];
  /** The Pod Security Standards level and version the profile chose (SetContext.podSecurity). */
  podSecurity?: PodSecuritySelection;
  workloadKinds?: readonly WorkloadKind[];
  /** Options per rule id; a rule's defaults fill the rest. */
  ruleOptions?: Readonly<Record<string, Record<string, unknown>>>;
  /** Severity per finding code (a config's choice), over the rule's; `off` drops the finding. */
  severities?: Readonly<Record<string, Severity | 'off'>>;
  /** Receives the notes rules give about the run (see SetContext.note); none are given without it. */
  onNote?: (message: string) => void;
  /** Comment, annotation and config suppressions and the baseline (see suppress/layer.ts). */
  suppressions?: SuppressionOptions;
}

function resourceRef(resource: Resource): ResourceRef {
  return {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    name: resource.name ?? null,
    namespace: resource.namespace ?? null,
  };
}

/** A decode or parse failure as a file error; anything but a LocatedError is placed at 1:1. */
export function toFileError(error: unknown): FileError {
  if (error instanceof LocatedError) return { message: error.message, line: error.line, column: error.column };
  return { message: error instanceof Error ? error.message : String(error), line: 1, column: 1 };
}

function byPosition(a: Finding, b: Finding): number {
  return (
    a.line - b.line ||
    a.column - b.column ||
    compareText(a.code, b.code) ||
    compareText(a.container ?? '', b.container ?? '')
  );
}

export function optionsFor(rule: Rule, configured: LintOptions['ruleOptions']): Record<string, unknown> {
  const defaults = Object.fromEntries(
    Object.entries(rule.meta.options ?? {}).map(([name, option]) => [name, option.default]),
  );
  return { ...defaults, ...(configured?.[rule.meta.id] ?? {}) };
}

/** What every finding needs to know about where it was found. */
interface Origin {
  rule: Rule;
  file: string;
  resource: ResourceRef;
  documentIndex: number;
  /** Where the resource's root is, from the document root. */
  resourcePath: NodePath;
  labels: ReadonlyMap<string, string>;
  /** Names of the pod's containers, for overrides that any container may carry (hostns). */
  containerNames: readonly string[];
  /** Whether any of `labels` is an override label: most resources have none, and need no look for one. */
  overridable: boolean;
  /** Set when the resource is a pod that runs on Windows. */
  windows: WindowsFixGuard | undefined;
}

interface Draft {
  code: string;
  message: string;
  details: string | undefined;
  span: FindingSpan;
  /** The node the span was taken from, when the rule gives it. */
  path?: NodePath | undefined;
  container: string | undefined;
  override: string | undefined;
  severity: Severity | undefined;
  allowedSeverity?: Severity | undefined;
  metadata: Record<string, string> | undefined;
  patches: TargetedPatch[];
}

/** Applies severities and override labels: an allowed finding becomes `<code>Allowed`, info, without a fix. */
function toFinding(origin: Origin, draft: Draft): Finding {
  const { rule } = origin;
  const meta = rule.meta.codes[draft.code];
  if (!meta && draft.code !== REDUNDANT_OVERRIDE_CODE)
    throw new Error(`rule ${rule.meta.id} reported ${draft.code}, which its meta does not declare`);
  const details = draft.details ?? draft.message;
  let override: Override | undefined;
  if (draft.override !== undefined && origin.overridable) {
    const anyContainer =
      draft.container === undefined && rule.meta.podOverrideFromAnyContainer ? origin.containerNames : undefined;
    override = findOverride(origin.labels, draft.override, { container: draft.container, anyContainer });
  }
  const finding: Finding = {
    rule: rule.meta.id,
    code: override ? `${draft.code}${ALLOWED_SUFFIX}` : draft.code,
    severity: override ? (draft.allowedSeverity ?? 'info') : (draft.severity ?? meta?.severity ?? 'warning'),
    message: override ? `${draft.message}, allowed by an override label` : draft.message,
    details: override
      ? `allowed by override label ${override.label}${override.reason ? ` (${override.reason})` : ''}: ${details}`
      : details,
    ...draft.span,
    resource: origin.resource,
    container: draft.container ?? null,
    fixable: !override && draft.patches.length > 0,
    metadata: {
      ...(draft.metadata ?? {}),
      ...(draft.container !== undefined ? { Container: draft.container } : {}),
      ...(override?.reason ? { OverrideReason: override.reason } : {}),
    },
    patches: override ? [] : draft.patches,
    documentIndex: origin.documentIndex,
  };
  if (draft.path) finding.field = fieldPathOf(draft.path, origin.resourcePath);
  if (override) finding.override = override;
  return finding;
}

/**
 * A finding of a pod that runs on Windows: a code that asks for a Linux-only setting is not reported (Windows pods
 * cannot have it), and a fix that Windows pods must not get is withheld, the message saying why.
 */
function forWindows(origin: Origin, draft: Draft): Draft | undefined {
  const { windows } = origin;
  if (!windows) return draft;
  if (origin.rule.meta.codes[draft.code]?.linuxOnly) return undefined;
  const own = (target: DocumentRef) => target.file === origin.file && target.documentIndex === origin.documentIndex;
  const problem = draft.patches
    .map(({ target, patch }) => (own(target) ? windows.problem(patch) : undefined))
    .find((found) => found !== undefined);
  if (problem === undefined) return draft;
  const why = `Not fixable automatically: ${problem}`;
  const details = `${(draft.details ?? draft.message).replace(/\.$/, '')}. ${why}`;
  return { ...draft, message: `${draft.message} (not fixable on this Windows pod)`, details, patches: [] };
}

function redundantOverrideDraft(
  origin: Origin,
  override: string,
  container: string | undefined,
  labelSpan: (label: string) => Span,
): Draft | undefined {
  if (!origin.overridable) return undefined;
  const candidates =
    container !== undefined
      ? [...containerOverrideLabels(container, override), ...podOverrideLabels(override)]
      : podOverrideLabels(override);
  const label = candidates.find((candidate) => origin.labels.has(candidate));
  if (!label) return undefined;
  return {
    code: REDUNDANT_OVERRIDE_CODE,
    message: `override label ${label} allows nothing`,
    details:
      `the override label ${label} allows ` +
      `${override}${container !== undefined ? ` for container "${container}"` : ''}, but nothing ` +
      `needs it: remove the label so it cannot hide a future problem`,
    span: labelSpan(label),
    container,
    override: undefined,
    severity: 'warning',
    metadata: { OverrideLabel: label },
    patches: [],
  };
}

/**
 * One lint run over any number of files. Workload rules run while each file's AST is in memory; resource-set
 * rules collect facts then and decide in `finish()`, once every file has been seen. Only one AST is alive at a time.
 */
export class LintRun {
  readonly results: FileResult[] = [];
  private readonly rules: readonly Rule[];
  private readonly kinds: readonly WorkloadKind[];
  private readonly options: Map<Rule, Record<string, unknown>>;
  private readonly severities: LintOptions['severities'];
  private readonly facts = new Map<ResourceSetRule, unknown[]>();
  private readonly resultsByFile = new Map<string, FileResult>();
  private readonly notes = new Set<string>();
  private readonly onNote: LintOptions['onNote'];
  private readonly suppressions: SuppressionLayer;
  /** Reports about suppressions are on when the `suppressions` rule runs. */
  private readonly suppressionsRule: EngineRule | undefined;
  private readonly contextFiles = new Set<string>();
  private readonly pendingContext: { file: string; text: string }[] = [];
  private readonly contextFilter: ContextFilter;
  private readonly podSecurity: PodSecuritySelection | undefined;
  /** The Windows pods among the places resource-set rules keep, for their findings' fixes. */
  private readonly windowsPods = new WeakMap<Located, WindowsFixGuard>();
  /** The types of object the rules read; the loader composes no other document. */
  private readonly typesRead: ReadsType | undefined;
  /** Facts of every input's cross-file documents, by input position (settled runs: see `gatherFacts`). */
  private gathered: GatheredPiece[] = [];
  private settledContext: RuleFacts = new Map();

  constructor(options: LintOptions) {
    this.rules = options.rules;
    this.podSecurity = options.podSecurity;
    this.contextFilter = contextFilterOf(this.rules);
    this.kinds = options.workloadKinds ?? WORKLOAD_KINDS;
    this.typesRead = typesReadBy(this.rules, this.kinds);
    this.options = new Map(this.rules.map((rule) => [rule, optionsFor(rule, options.ruleOptions)]));
    this.severities = options.severities;
    this.onNote = options.onNote;
    for (const rule of this.rules) if (rule.kind === 'resource-set') this.facts.set(rule, []);
    for (const rule of this.facts.keys()) this.settledContext.set(rule, []);
    this.suppressionsRule = this.rules.find(
      (rule): rule is EngineRule => rule.kind === 'engine' && rule.meta.id === SUPPRESSIONS_RULE_ID,
    );
    this.suppressions = new SuppressionLayer(
      options.suppressions ?? {},
      () => new NameBook(options.knownRules ?? this.rules, this.rules),
    );
  }

  addBytes(file: string, bytes: Uint8Array, role: FileRole = 'manifest'): FileResult {
    let text: string;
    try {
      text = decodeManifest(bytes).text;
    } catch (error) {
      return this.record({ file, findings: [], errors: [toFileError(error)], suppressed: [] });
    }
    return this.addText(file, text, role);
  }

  addError(file: string, error: FileError): FileResult {
    return this.record({ file, findings: [], errors: [error], suppressed: [] });
  }

  /**
   * Lints a file. A `patch` (a Kustomize patch: part of a resource defined elsewhere) is reported only for values it
   * sets, never for fields it leaves out, and its fixes may change those values but not add fields to it.
   */
  addText(file: string, text: string, role: FileRole = 'manifest', place?: TextPlace): FileResult {
    // One document's AST at a time: a file of thousands of documents costs what its largest document does.
    const parsed = streamManifest(text, {
      comments: this.suppressions.wantsComments(text),
      reads: this.suppressions.wantsEveryResource(text) ? undefined : this.typesRead,
      parsed: place?.parsed,
    });
    const result = this.record({ file, findings: [], errors: [], suppressed: [] });
    // Only suppression comments read a finding's covering lines: files without any do not compute them.
    const hasComments = this.suppressions.readComments(file, parsed, text);
    const { firstIndex = 0, lineOffset = 0 } = place ?? {};
    for (const { index, doc } of parsed.documents) {
      const spans = new DocumentSpans(doc, parsed.lines, text, hasComments, lineOffset);
      for (const resource of resourcesOf(doc, firstIndex + index)) this.lintResource(result, resource, spans, role);
      spans.release();
      place?.onDocument?.(doc);
    }
    for (const error of parsed.errors.map(toFileError)) result.errors.push({ ...error, line: error.line + lineOffset });
    return result;
  }

  /**
   * Takes a file of the project as context: resource-set rules collect the facts other files' findings depend on;
   * the file gets no result, so nothing is reported on it, and no fix may target it. Unreadable text is passed by.
   * It is read in `finish()`, and only for the rules that have facts of the linted files: a rule without any
   * reports nothing on them, whatever the context holds.
   */
  addContext(file: string, text: string): void {
    if (!this.contextFilter.mentions(text)) return;
    this.contextFiles.add(file);
    this.pendingContext.push({ file, text });
  }

  /** Reads the context, runs the resource-set rules, applies the suppressions and puts every file's findings in order. */
  finish(): FileResult[] {
    this.readContext();
    for (const [rule, facts] of this.facts) this.checkSet(rule, facts);
    this.suppressions.apply(this.results, (result, report) => this.reportSuppression(result, report));
    for (const result of this.results) {
      result.findings.sort(byPosition);
      result.suppressed.sort(byPosition);
    }
    return this.results;
  }

  private record(result: FileResult): FileResult {
    this.results.push(result);
    this.resultsByFile.set(result.file, result);
    return result;
  }

  private lintResource(result: FileResult, resource: Resource, spans: DocumentSpans, role: FileRole): void {
    const workload = workloadOf(resource, this.kinds);
    const located = this.locate(result.file, resource, workload, spans, false);
    // A patch is no resource of its own: what it leaves out, the resource it patches has or lacks.
    const setsOnly = role === 'patch' ? spans : undefined;
    const windows = workload ? WindowsFixGuard.of(workload) : undefined;
    if (windows) this.windowsPods.set(located, windows);
    const containerNames = workload?.containers.flatMap((c) => (c.name !== undefined ? [c.name] : [])) ?? [];
    this.suppressions.readResource(result.file, resource, workload, located.resource, located.spanOf);
    for (const rule of this.rules) {
      if (rule.kind === 'resource-set') {
        if (setsOnly) continue;
        const fact = rule.collect(resource, located, workload);
        if (fact !== undefined) this.facts.get(rule)!.push(fact);
      } else if (rule.kind === 'workload' && workload) {
        this.runWorkloadRule(rule, workload, located, result, windows, containerNames, setsOnly);
      }
    }
  }

  /**
   * What the project's other files must hold to matter to this run, as far as the files added so far tell: only
   * rules with facts of them read context, so a run whose files give none needs no context at all.
   */
  contextNeeded(): ContextFilter {
    return contextFilterOf(this.rulesWithFacts(), (rule) => this.facts.get(rule)!);
  }

  private rulesWithFacts(): ResourceSetRule[] {
    return [...this.facts].filter(([, facts]) => facts.length > 0).map(([rule]) => rule);
  }

  /**
   * Settled runs (see settled-lint.ts) report each file as soon as it is linted: before the first file, every input's
   * documents of the kinds resource-set rules read across files give their facts here, in its place among the files
   * (only those documents are parsed), so each file's findings can be decided alone (`settle`).
   */
  gatherFacts(index: number, file: string, bytes: Uint8Array): void {
    let text: string;
    try {
      text = decodeManifest(bytes).text;
    } catch {
      return; // Its lint reports it; it gives no facts in a run that holds every file either.
    }
    const facts = this.noFacts();
    this.collectPieces(file, text, this.contextFilter, () => facts, false);
    if ([...facts.values()].some((list) => list.length > 0)) this.gathered.push({ index, facts });
  }

  /**
   * `gatherFacts` for a run that settles documents one at a time (--fix): each document's facts are their own piece,
   * at `positionOf(documentIndex)` (an order among all pieces, which `settle` takes as its index). Returns the
   * indexes of the documents that gave facts.
   */
  gatherDocumentFacts(file: string, text: string, positionOf: (documentIndex: number) => number): number[] {
    const byDocument = new Map<number, Map<ResourceSetRule, unknown[]>>();
    const factsOf = (documentIndex: number) => {
      let facts = byDocument.get(documentIndex);
      if (!facts) byDocument.set(documentIndex, (facts = this.noFacts()));
      return facts;
    };
    this.collectPieces(file, text, this.contextFilter, factsOf, false);
    const gave: number[] = [];
    for (const [documentIndex, facts] of byDocument) {
      if (![...facts.values()].some((list) => list.length > 0)) continue;
      this.gathered.push({ index: positionOf(documentIndex), facts });
      gave.push(documentIndex);
    }
    this.gathered.sort((a, b) => a.index - b.index);
    return gave;
  }

  private noFacts(): Map<ResourceSetRule, unknown[]> {
    return new Map([...this.facts.keys()].map((rule) => [rule, [] as unknown[]]));
  }

  /** What an input must hold for `gatherFacts` to find anything in it. */
  factsFilter(): ContextFilter {
    return this.contextFilter;
  }

  /** The gathered facts and the project context's, for the runs of other threads (see shared-facts.ts). */
  sharedFacts(): SharedFacts {
    if (this.pendingContext.length > 0) this.readSettledContext();
    return shareFacts(this.settledContext, this.gathered);
  }

  /** Another thread's `sharedFacts`, instead of gathering them again. */
  useSharedFacts(shared: SharedFacts): void {
    ({ context: this.settledContext, gathered: this.gathered } = receiveFacts(shared, this.facts.keys()));
  }

  /**
   * Takes the file just linted (the last `addBytes`, `addText` or `addError`, the `index`-th input) out of the run
   * with its own facts, so other files can be linted before it is settled (a thread lints before the facts come).
   */
  hold(index: number, result: FileResult): HeldFile {
    const own = new Map(this.facts);
    for (const rule of own.keys()) this.facts.set(rule, []);
    this.results.splice(this.results.indexOf(result), 1);
    this.resultsByFile.delete(result.file);
    return { index, result, own };
  }

  /**
   * Decides a held file alone and lets it go: its own facts stand in for the gathered ones of its place, so the
   * resource-set rules decide as in a run that holds every file; then suppressions and order, as in `finish()`.
   * No baseline: it matches across files.
   */
  settle({ index, result, own }: HeldFile): FileResult {
    if (this.pendingContext.length > 0) this.readSettledContext();
    // Only this file takes findings: a rule may also report on the places of gathered facts, other files'.
    this.resultsByFile.set(result.file, result);
    for (const [rule, facts] of own) {
      if (facts.length === 0) continue;
      const around = (before: boolean) =>
        this.gathered.filter((piece) => piece.index < index === before && piece.index !== index);
      this.checkSet(rule, [
        ...(this.settledContext.get(rule) ?? []),
        ...around(true).flatMap((piece) => piece.facts.get(rule)!),
        ...facts,
        ...around(false).flatMap((piece) => piece.facts.get(rule)!),
      ]);
    }
    this.resultsByFile.delete(result.file);
    this.suppressions.apply([result], (settled, report) => this.reportSuppression(settled, report));
    this.suppressions.forget(result.file);
    result.findings.sort(byPosition);
    result.suppressed.sort(byPosition);
    return result;
  }

  /** A settled run has no files to tell what context it needs: every rule gets what it may read. */
  private readSettledContext(): void {
    for (const { file, text } of this.pendingContext.splice(0))
      this.collectPieces(file, text, this.contextFilter, () => this.settledContext, true);
  }

  private readContext(): void {
    // Most runs have no context: the filter its files would need is not worth working out (a lint of one file each).
    if (this.pendingContext.length === 0) return;
    const rules = this.rulesWithFacts();
    const contextFacts = new Map(rules.map((rule) => [rule, [] as unknown[]]));
    const filter = this.contextNeeded();
    for (const { file, text } of this.pendingContext.splice(0))
      this.collectPieces(file, text, filter, () => contextFacts, true);
    // Context comes first, as if read before: where a rule lets the last of two definitions win, a linted file wins.
    for (const [rule, facts] of contextFacts) this.facts.set(rule, [...facts, ...this.facts.get(rule)!]);
  }

  /** Collects the facts of the documents of `text` that `filter` needs, parsing each alone (never the others). */
  private collectPieces(
    file: string,
    text: string,
    filter: ContextFilter,
    intoFor: (documentIndex: number) => Map<ResourceSetRule, unknown[]>,
    context: boolean,
  ): void {
    for (const piece of filter.cut(text)) {
      const parsed = parseManifest(piece.text);
      for (const { index, doc } of parsed.documents) {
        const spans = new DocumentSpans(doc, parsed.lines, piece.text, false, piece.line - 1);
        for (const resource of resourcesOf(doc, piece.firstIndex + index)) {
          const into = intoFor(resource.documentIndex);
          const rules = [...into.keys()].filter((rule) => filter.wants(rule, resource));
          if (rules.length > 0) this.collectAcross(file, resource, spans, rules, into, context);
        }
        spans.release();
      }
    }
  }

  private collectAcross(
    file: string,
    resource: Resource,
    spans: DocumentSpans,
    rules: readonly ResourceSetRule[],
    into: Map<ResourceSetRule, unknown[]>,
    context: boolean,
  ): void {
    const workload = workloadOf(resource, this.kinds);
    const located = this.locate(file, resource, workload, spans, context);
    const windows = workload ? WindowsFixGuard.of(workload) : undefined;
    if (windows) this.windowsPods.set(located, windows);
    for (const rule of rules) {
      const fact = rule.collect(resource, located, workload);
      if (fact !== undefined) into.get(rule)!.push(fact);
    }
  }

  private locate(
    file: string,
    resource: Resource,
    workload: Workload | undefined,
    spans: DocumentSpans,
    context: boolean,
  ): Located {
    const labels = workload ? workload.labels : resourceLabels(resource);
    const labelsPath = [...(workload ? workload.templatePath : resource.path), 'metadata', 'labels'];
    const spanOf = (path: NodePath) => spans.spanOf(path);
    return {
      file,
      resource: resourceRef(resource),
      documentIndex: resource.documentIndex,
      resourcePath: resource.path,
      labels,
      overrideLabelSpans: new Map(
        [...labels.keys()].filter(isOverrideLabel).map((label) => [label, spanOf([...labelsPath, label])]),
      ),
      context,
      spanOf,
    };
  }

  /** `setsOnly`: the spans of a patch, whose findings about fields it does not set are dropped. */
  private runWorkloadRule(
    rule: WorkloadRule,
    workload: Workload,
    located: Located,
    result: FileResult,
    windows: WindowsFixGuard | undefined,
    containerNames: readonly string[],
    setsOnly?: DocumentSpans,
  ): void {
    const origin: Origin = {
      rule,
      file: located.file,
      resource: located.resource,
      documentIndex: located.documentIndex,
      resourcePath: located.resourcePath,
      labels: workload.labels,
      containerNames,
      overridable: located.overrideLabelSpans.size > 0,
      windows,
    };
    const target = { file: located.file, documentIndex: located.documentIndex };
    const labelSpan = (label: string) => located.overrideLabelSpans.get(label)!;
    rule.check({
      workload,
      options: this.options.get(rule)!,
      report: (report: Report) => {
        if (setsOnly && !setsOnly.has(report.path)) return;
        const draft = workloadDraft(report, located, target);
        this.emit(result.findings, origin, setsOnly ? withoutAddedFields(draft, setsOnly) : draft);
      },
      reportRedundantOverride: (override: string, container?: Container) => {
        const draft = redundantOverrideDraft(origin, override, container?.name, labelSpan);
        if (draft) this.emit(result.findings, origin, draft);
      },
    });
  }

  private emit(findings: Finding[], origin: Origin, reported: Draft): void {
    const draft = forWindows(origin, reported);
    if (!draft) return;
    const finding = toFinding(origin, draft);
    const configured = this.severities?.[finding.code];
    if (configured === 'off') return;
    if (configured) finding.severity = configured;
    findings.push(finding);
  }

  private reportSuppression(result: FileResult, { code, message, span, owner }: SuppressionReport): void {
    const rule = this.suppressionsRule;
    if (!rule) return;
    const origin: Origin = {
      rule,
      file: result.file,
      resource: owner.resource,
      documentIndex: owner.documentIndex,
      resourcePath: [],
      labels: new Map(),
      containerNames: [],
      overridable: false,
      windows: undefined,
    };
    this.emit(result.findings, origin, {
      code,
      message,
      details: undefined,
      span,
      container: undefined,
      override: undefined,
      severity: undefined,
      metadata: undefined,
      patches: [],
    });
  }

  private checkSet(rule: ResourceSetRule, facts: unknown[]): void {
    const originOf = (at: Located): Origin => ({
      rule,
      file: at.file,
      resource: at.resource,
      documentIndex: at.documentIndex,
      resourcePath: at.resourcePath,
      labels: at.labels,
      containerNames: [],
      overridable: at.overrideLabelSpans.size > 0,
      windows: this.windowsPods.get(at),
    });
    // Context files have no result, so findings on them are dropped; a fix that would change one is no fix.
    const push = (at: Located, draft: Draft) => {
      const result = this.resultsByFile.get(at.file);
      const touchesContext = draft.patches.some((patch) => this.contextFiles.has(patch.target.file));
      if (result) this.emit(result.findings, originOf(at), touchesContext ? { ...draft, patches: [] } : draft);
    };
    rule.check(facts, {
      options: this.options.get(rule)!,
      report: (report: SetReport) =>
        push(report.at, {
          code: report.code,
          message: report.message,
          details: report.details,
          span: report.span,
          path: report.path,
          container: report.container,
          override: report.override,
          severity: report.severity,
          allowedSeverity: report.allowedSeverity,
          metadata: report.metadata,
          patches: report.patches ?? [],
        }),
      reportRedundantOverride: (override: string, at: Located, container?: string) => {
        const draft = redundantOverrideDraft(originOf(at), override, container, (label) =>
          at.overrideLabelSpans.get(label)!,
        );
        if (draft) push(at, draft);
      },
      note: (message: string) => {
        if (this.notes.has(message)) return;
        this.notes.add(message);
        this.onNote?.(message);
      },
      podSecurity: this.podSecurity,
    });
  }
}

/** Spans of one document, available while the document is being linted and released after it. */
class DocumentSpans {
  constructor(
    private doc: Document.Parsed | undefined,
    private readonly lines: LineIndex,
    private readonly text: string,
    private readonly withCoveringLines: boolean,
    /** For a piece of a context file: how many of the file's lines come before its text. */
    private readonly lineOffset = 0,
  ) {}

  /** Whether the document has a node at `path`. */
  has(path: NodePath): boolean {
    return this.doc !== undefined && closestNode(this.doc, this.doc.contents, path).found;
  }

  spanOf(path: NodePath): FindingSpan {
    if (!this.doc) throw new Error(SPAN_AFTER_COLLECT);
    const span = spanOfPath(this.doc, this.lines, this.text, path, this.withCoveringLines);
    const { lineOffset } = this;
    return lineOffset === 0 ? span : { ...span, line: span.line + lineOffset, endLine: span.endLine + lineOffset };
  }

  release(): void {
    this.doc = undefined;
  }
}

/** A patch's finding keeps its fixes only when they change what the patch sets, all of them (no half fix). */
function withoutAddedFields(draft: Draft, spans: DocumentSpans): Draft {
  const changesOnly = draft.patches.every(({ patch }) => patch.op !== 'appendDocument' && spans.has(patch.path));
  return changesOnly ? draft : { ...draft, patches: [] };
}

function workloadDraft(report: Report, located: Located, target: TargetedPatch['target']): Draft {
  return {
    code: report.code,
    message: report.message,
    details: report.details,
    span: located.spanOf(report.path),
    path: report.path,
    container: report.container?.name,
    override: report.override,
    severity: report.severity,
    allowedSeverity: report.allowedSeverity,
    metadata: report.metadata,
    patches: (report.patches ?? []).map((patch: Patch) => ({ target, patch })),
  };
}

/** Lints one manifest's bytes. Never throws for bad input: what cannot be read becomes a file error. */
export function lintBytes(file: string, bytes: Uint8Array, options: LintOptions): FileResult {
  const run = new LintRun(options);
  const result = run.addBytes(file, bytes);
  run.finish();
  return result;
}

export function lintText(file: string, text: string, options: LintOptions): FileResult {
  const run = new LintRun(options);
  const result = run.addText(file, text);
  run.finish();
  return result;
}
