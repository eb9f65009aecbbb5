import type { Document } from 'yaml';
import { decodeManifest } from '../load/text.js';
import { LocatedError } from '../load/errors.js';
import { parseManifest } from '../load/parse.js';
import { resourceLabels, resourcesOf, type Resource } from '../load/resources.js';
import { workloadOf, WORKLOAD_KINDS, type Container, type Workload, type WorkloadKind } from '../load/workloads.js';
import type { NodePath } from '../load/nodes.js';
import type { LineIndex, Span } from '../load/positions.js';
import { RULES } from './registry.js';
import { spanOfPath } from './spans.js';
import { ALLOWED_SUFFIX, REDUNDANT_OVERRIDE_CODE, containerOverrideLabels, findOverride, isOverrideLabel, podOverrideLabels } from './overrides.js';
import { WindowsFixGuard } from './windows.js';
import type {
  DocumentRef,
  FileError,
  FileResult,
  Finding,
  Located,
  Override,
  Patch,
  Report,
  ResourceRef,
  ResourceSetRule,
  Rule,
  SetReport,
  Severity,
  TargetedPatch,
  WorkloadRule,
} from './types.js';

export interface LintOptions {
  rules?: readonly Rule[];
  workloadKinds?: readonly WorkloadKind[];
  /** Options per rule id; a rule's defaults fill the rest. */
  ruleOptions?: Readonly<Record<string, Record<string, unknown>>>;
  /** Severity per finding code (a config's choice), over the rule's; `off` drops the finding. */
  severities?: Readonly<Record<string, Severity | 'off'>>;
}

function resourceRef(resource: Resource): ResourceRef {
  return { apiVersion: resource.apiVersion, kind: resource.kind, name: resource.name ?? null, namespace: resource.namespace ?? null };
}

/** A decode or parse failure as a file error; anything but a LocatedError is placed at 1:1. */
export function toFileError(error: unknown): FileError {
  if (error instanceof LocatedError) return { message: error.message, line: error.line, column: error.column };
  return { message: error instanceof Error ? error.message : String(error), line: 1, column: 1 };
}

function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code) || (a.container ?? '').localeCompare(b.container ?? '');
}

export function optionsFor(rule: Rule, configured: LintOptions['ruleOptions']): Record<string, unknown> {
  const defaults = Object.fromEntries(Object.entries(rule.meta.options ?? {}).map(([name, option]) => [name, option.default]));
  return { ...defaults, ...(configured?.[rule.meta.id] ?? {}) };
}

/** What every finding needs to know about where it was found. */
interface Origin {
  rule: Rule;
  file: string;
  resource: ResourceRef;
  documentIndex: number;
  labels: ReadonlyMap<string, string>;
  /** Names of the pod's containers, for overrides that any container may carry (hostns). */
  containerNames: readonly string[];
  /** Set when the resource is a pod that runs on Windows. */
  windows: WindowsFixGuard | undefined;
}

interface Draft {
  code: string;
  message: string;
  span: Span;
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
  if (!meta && draft.code !== REDUNDANT_OVERRIDE_CODE) throw new Error(`rule ${rule.meta.id} reported ${draft.code}, which its meta does not declare`);
  let override: Override | undefined;
  if (draft.override !== undefined) {
    const anyContainer = draft.container === undefined && rule.meta.podOverrideFromAnyContainer ? origin.containerNames : undefined;
    override = findOverride(origin.labels, draft.override, { container: draft.container, anyContainer });
  }
  const finding: Finding = {
    rule: rule.meta.id,
    code: override ? `${draft.code}${ALLOWED_SUFFIX}` : draft.code,
    severity: override ? (draft.allowedSeverity ?? 'info') : (draft.severity ?? meta?.severity ?? 'warning'),
    message: override ? `allowed by override label ${override.label}${override.reason ? ` (${override.reason})` : ''}: ${draft.message}` : draft.message,
    ...draft.span,
    resource: origin.resource,
    container: draft.container ?? null,
    fixable: !override && draft.patches.length > 0,
    metadata: { ...(draft.metadata ?? {}), ...(draft.container !== undefined ? { Container: draft.container } : {}), ...(override?.reason ? { OverrideReason: override.reason } : {}) },
    patches: override ? [] : draft.patches,
    documentIndex: origin.documentIndex,
  };
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
  const problem = draft.patches.map(({ target, patch }) => (own(target) ? windows.problem(patch) : undefined)).find((found) => found !== undefined);
  if (problem === undefined) return draft;
  return { ...draft, message: `${draft.message.replace(/\.$/, '')}. Not fixable automatically: ${problem}`, patches: [] };
}

function redundantOverrideDraft(origin: Origin, override: string, container: string | undefined, labelSpan: (label: string) => Span): Draft | undefined {
  const candidates = container !== undefined ? [...containerOverrideLabels(container, override), ...podOverrideLabels(override)] : podOverrideLabels(override);
  const label = candidates.find((candidate) => origin.labels.has(candidate));
  if (!label) return undefined;
  return {
    code: REDUNDANT_OVERRIDE_CODE,
    message: `the override label ${label} allows ${override}${container !== undefined ? ` for container "${container}"` : ''}, but nothing needs it: remove the label so it cannot hide a future problem`,
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
  /** The Windows pods among the places resource-set rules keep, for their findings' fixes. */
  private readonly windowsPods = new WeakMap<Located, WindowsFixGuard>();

  constructor(options: LintOptions = {}) {
    this.rules = options.rules ?? RULES;
    this.kinds = options.workloadKinds ?? WORKLOAD_KINDS;
    this.options = new Map(this.rules.map((rule) => [rule, optionsFor(rule, options.ruleOptions)]));
    this.severities = options.severities;
    for (const rule of this.rules) if (rule.kind === 'resource-set') this.facts.set(rule, []);
  }

  addBytes(file: string, bytes: Uint8Array): FileResult {
    let text: string;
    try {
      text = decodeManifest(bytes).text;
    } catch (error) {
      return this.record({ file, findings: [], errors: [toFileError(error)] });
    }
    return this.addText(file, text);
  }

  addError(file: string, error: FileError): FileResult {
    return this.record({ file, findings: [], errors: [error] });
  }

  addText(file: string, text: string): FileResult {
    const parsed = parseManifest(text);
    const result = this.record({ file, findings: [], errors: parsed.errors.map(toFileError) });
    for (const { index, doc } of parsed.documents) {
      const spans = new DocumentSpans(doc, parsed.lines, text);
      for (const resource of resourcesOf(doc, index)) this.lintResource(result, resource, spans);
      spans.release();
    }
    return result;
  }

  /** Runs the resource-set rules and puts every file's findings in order. */
  finish(): FileResult[] {
    for (const [rule, facts] of this.facts) this.checkSet(rule, facts);
    for (const result of this.results) result.findings.sort(byPosition);
    return this.results;
  }

  private record(result: FileResult): FileResult {
    this.results.push(result);
    this.resultsByFile.set(result.file, result);
    return result;
  }

  private lintResource(result: FileResult, resource: Resource, spans: DocumentSpans): void {
    const workload = workloadOf(resource, this.kinds);
    const labels = workload ? workload.labels : resourceLabels(resource);
    const labelsPath = [...(workload ? workload.templatePath : resource.path), 'metadata', 'labels'];
    const spanOf = (path: NodePath) => spans.spanOf(path);
    const located: Located = {
      file: result.file,
      resource: resourceRef(resource),
      documentIndex: resource.documentIndex,
      resourcePath: resource.path,
      labels,
      overrideLabelSpans: new Map([...labels.keys()].filter(isOverrideLabel).map((label) => [label, spanOf([...labelsPath, label])])),
      spanOf,
    };
    const windows = workload ? WindowsFixGuard.of(workload) : undefined;
    if (windows) this.windowsPods.set(located, windows);
    for (const rule of this.rules) {
      if (rule.kind === 'resource-set') {
        const fact = rule.collect(resource, located, workload);
        if (fact !== undefined) this.facts.get(rule)!.push(fact);
      } else if (workload) {
        this.runWorkloadRule(rule, workload, located, result, windows);
      }
    }
  }

  private runWorkloadRule(rule: WorkloadRule, workload: Workload, located: Located, result: FileResult, windows: WindowsFixGuard | undefined): void {
    const origin: Origin = {
      rule,
      file: located.file,
      resource: located.resource,
      documentIndex: located.documentIndex,
      labels: workload.labels,
      containerNames: workload.containers.flatMap((c) => (c.name !== undefined ? [c.name] : [])),
      windows,
    };
    const target = { file: located.file, documentIndex: located.documentIndex };
    const labelSpan = (label: string) => located.overrideLabelSpans.get(label)!;
    rule.check({
      workload,
      options: this.options.get(rule)!,
      report: (report: Report) => this.emit(result.findings, origin, workloadDraft(report, located, target)),
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

  private checkSet(rule: ResourceSetRule, facts: unknown[]): void {
    const originOf = (at: Located): Origin => ({
      rule,
      file: at.file,
      resource: at.resource,
      documentIndex: at.documentIndex,
      labels: at.labels,
      containerNames: [],
      windows: this.windowsPods.get(at),
    });
    const push = (at: Located, draft: Draft) => {
      const result = this.resultsByFile.get(at.file);
      if (result) this.emit(result.findings, originOf(at), draft);
    };
    rule.check(facts, {
      options: this.options.get(rule)!,
      report: (report: SetReport) =>
        push(report.at, {
          code: report.code,
          message: report.message,
          span: report.span,
          container: report.container,
          override: report.override,
          severity: report.severity,
          allowedSeverity: report.allowedSeverity,
          metadata: report.metadata,
          patches: report.patches ?? [],
        }),
      reportRedundantOverride: (override: string, at: Located, container?: string) => {
        const draft = redundantOverrideDraft(originOf(at), override, container, (label) => at.overrideLabelSpans.get(label)!);
        if (draft) push(at, draft);
      },
    });
  }
}

/** Spans of one document, available while the document is being linted and released after it. */
class DocumentSpans {
  constructor(
    private doc: Document.Parsed | undefined,
    private readonly lines: LineIndex,
    private readonly text: string,
  ) {}

  spanOf(path: NodePath): Span {
    if (!this.doc) throw new Error('a span was asked for after its document was released; resource-set rules must take spans in collect()');
    return spanOfPath(this.doc, this.lines, this.text, path);
  }

  release(): void {
    this.doc = undefined;
  }
}

function workloadDraft(report: Report, located: Located, target: TargetedPatch['target']): Draft {
  return {
    code: report.code,
    message: report.message,
    span: located.spanOf(report.path),
    container: report.container?.name,
    override: report.override,
    severity: report.severity,
    allowedSeverity: report.allowedSeverity,
    metadata: report.metadata,
    patches: (report.patches ?? []).map((patch: Patch) => ({ target, patch })),
  };
}

/** Lints one manifest's bytes. Never throws for bad input: what cannot be read becomes a file error. */
export function lintBytes(file: string, bytes: Uint8Array, options: LintOptions = {}): FileResult {
  const run = new LintRun(options);
  const result = run.addBytes(file, bytes);
  run.finish();
  return result;
}

export function lintText(file: string, text: string, options: LintOptions = {}): FileResult {
  const run = new LintRun(options);
  const result = run.addText(file, text);
  run.finish();
  return result;
}
