import type { NodePath } from '../../load/nodes.js';
import type { ParsedManifest } from '../../load/parse.js';
import type { Span } from '../../load/positions.js';
import type { Resource } from '../../load/resources.js';
import type { Workload } from '../../load/workloads.js';
import type { FileResult, Finding, ResourceRef, Suppression } from '../types.js';
import { ANNOTATION_PREFIX, readAnnotationDirectives } from './annotations.js';
import type { Baseline } from './baseline.js';
import { SUPPRESSION_EXPIRED, SUPPRESSION_INVALID, SUPPRESSION_UNUSED } from './codes.js';
import { DIRECTIVE_MARK, readCommentDirectives } from './comments.js';
import { configCovers, DEFAULT_POLICY, type ConfigSuppression, type SuppressionPolicy } from './config-entries.js';
import { hasExpired, isCalendarDate, todayUtc } from './dates.js';
import { type Directive, type DirectiveNote, type Owner } from './directive.js';
import { namesFinding, type NameBook } from './names.js';
import { pushTo } from '../map-of-lists.js';

/*
 * The suppression layer: after every rule has reported, findings that a comment, an annotation, a config entry or
 * the baseline accepts move from `findings` to `suppressed`, in that order, so every consumer (reporters, --fix,
 * an editor) sees the same lists. Findings a kubeaudit override label allowed (`<Code>Allowed`) are already
 * accepted and stay as they are.
 */

export interface SuppressionOptions {
  /** Entries of .kubemend.yaml `suppressions`. */
  entries?: readonly ConfigSuppression[];
  policy?: Partial<SuppressionPolicy>;
  /** YYYY-MM-DD, for `until` dates; today's UTC date by default. */
  today?: string;
  baseline?: Baseline;
}

/** A finding of the `suppressions` rule, for the engine to report. */
export interface SuppressionReport {
  code: string;
  message: string;
  span: Span;
  owner: Owner;
}

interface Applied {
  directive: Directive;
  used: Set<string>;
  /** Names that covered a finding the policy keeps unsuppressible. */
  blocked: Set<string>;
}

function listNames(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

export class SuppressionLayer {
  private readonly directives = new Map<string, Directive[]>();
  private readonly notes = new Map<string, DirectiveNote[]>();
  /** Per file and document, the comment directives and notes no resource owns yet: its first resource will. */
  private readonly unowned = new Map<string, Map<number, { owner: Owner }[]>>();
  private readonly policy: SuppressionPolicy;
  private readonly unsuppressible: ReadonlySet<string>;
  private known: NameBook | undefined;

  /** `nameBook` is called once, when a suppression first needs checking: most files have none. */
  constructor(
    private readonly options: SuppressionOptions,
    private readonly nameBook: () => NameBook,
  ) {
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.unsuppressible = new Set(this.policy.unsuppressible);
  }

  private get names(): NameBook {
    return (this.known ??= this.nameBook());
  }

  private get today(): string {
    return this.options.today ?? todayUtc();
  }

  /** Whether a file's comments may hold suppressions: only then are they collected while it is parsed. */
  wantsComments(text: string): boolean {
    return this.policy.inline && text.includes(DIRECTIVE_MARK);
  }

  /** Whether a file may hold suppression annotations, on a resource of any kind: then every resource is read. */
  wantsEveryResource(text: string): boolean {
    return this.policy.inline && text.includes(ANNOTATION_PREFIX);
  }

  /** The file's suppression comments; call before its resources. Says whether it has any. */
  readComments(
    file: string,
    parsed: Pick<ParsedManifest, 'comments' | 'documentStarts' | 'lines'>,
    text: string,
  ): boolean {
    const { comments, documentStarts, lines } = parsed;
    if (!comments || !documentStarts) return false;
    const { directives, notes } = readCommentDirectives({ text, lines, comments, documentStarts }, this.names);
    if (directives.length > 0) this.directives.set(file, directives);
    if (notes.length > 0) this.notes.set(file, notes);
    const unowned = new Map<number, { owner: Owner }[]>();
    for (const item of [...directives, ...notes]) pushTo(unowned, item.owner.documentIndex, item);
    if (unowned.size > 0) this.unowned.set(file, unowned);
    return directives.length > 0;
  }

  /** The resource's suppression annotations, while its document is in memory; its comments are reported on it. */
  readResource(
    file: string,
    resource: Resource,
    workload: Workload | undefined,
    ref: ResourceRef,
    spanOf: (path: NodePath) => Span,
  ): void {
    if (!this.policy.inline) return;
    const unowned = this.unowned.get(file);
    for (const item of unowned?.get(resource.documentIndex) ?? [])
      item.owner = { resource: ref, documentIndex: resource.documentIndex };
    unowned?.delete(resource.documentIndex);
    for (const annotation of readAnnotationDirectives(resource, workload, ref, spanOf))
      pushTo(this.directives, file, annotation);
  }

  /** Moves accepted findings to `suppressed`; `report` adds the findings of the `suppressions` rule. */
  apply(results: readonly FileResult[], report: (result: FileResult, report: SuppressionReport) => void): void {
    for (const result of results) {
      if (!this.directives.has(result.file) && !this.notes.has(result.file)) continue;
      for (const item of this.applyInline(result)) report(result, item);
    }
    const entries = (this.options.entries ?? []).filter(
      (entry) => entry.until === null || !hasExpired(entry.until, this.today),
    );
    if (entries.length > 0) {
      for (const result of results) {
        this.move(result, (finding) => {
          const entry = entries.find((candidate) => configCovers(candidate, result.file, finding));
          return entry && { kind: 'config', reason: entry.reason, until: entry.until };
        });
      }
    }
    const { baseline } = this.options;
    if (baseline) {
      const accepted = baseline.accept(
        results.map((result) => ({ ...result, findings: result.findings.filter((finding) => !finding.override) })),
      );
      const suppression: Suppression = { kind: 'baseline', reason: baseline.reason, until: null };
      for (const result of results) this.move(result, (finding) => (accepted.has(finding) ? suppression : undefined));
    }
  }

  /** Lets a file's directives go once its results are final (a settled run: see LintRun.settle). */
  forget(file: string): void {
    this.directives.delete(file);
    this.notes.delete(file);
    this.unowned.delete(file);
  }

  /** Moves the findings `suppressionOf` accepts, except those an override label allowed. */
  private move(result: FileResult, suppressionOf: (finding: Finding) => Suppression | undefined): void {
    const kept: Finding[] = [];
    for (const finding of result.findings) {
      const suppression = finding.override ? undefined : suppressionOf(finding);
      if (suppression) result.suppressed.push({ ...finding, suppression });
      else kept.push(finding);
    }
    result.findings = kept;
  }

  private applyInline(result: FileResult): SuppressionReport[] {
    const reports: SuppressionReport[] = [...(this.notes.get(result.file) ?? [])];
    // A directive covers findings of its own document only: looking them up by document keeps a file of many
    // documents, each with its suppressions, linear.
    const applied = new Map<number, Applied[]>();
    for (const directive of this.directives.get(result.file) ?? []) {
      const { span, owner, label } = directive;
      const problems = [...directive.problems, ...this.problemsOf(directive)];
      if (problems.length > 0) {
        reports.push({
          code: SUPPRESSION_INVALID,
          message: `${label} does not apply: ${problems.join('; ')}`,
          span,
          owner,
        });
      } else if (directive.until !== null && hasExpired(directive.until, this.today)) {
        const message = `${label} expired on ${directive.until} and no longer applies: fix what it suppressed, or move the date if the reason still holds`;
        reports.push({ code: SUPPRESSION_EXPIRED, message, span, owner });
      } else {
        pushTo(applied, owner.documentIndex, { directive, used: new Set(), blocked: new Set() });
      }
    }
    if (applied.size === 0) return reports;
    this.move(result, (finding) => {
      if (this.names.isSuppressionsRule(finding.rule)) return undefined;
      const unsuppressible = this.unsuppressible.has(finding.code) || this.unsuppressible.has(finding.rule);
      let first: Directive | undefined;
      for (const { directive, used, blocked } of applied.get(finding.documentIndex) ?? []) {
        for (const name of directive.names) {
          if (!namesFinding(name, finding) || !directive.covers(finding, name)) continue;
          (unsuppressible ? blocked : used).add(name);
          if (!unsuppressible) first ??= directive;
        }
      }
      return first && { kind: first.kind, reason: first.reason, until: first.until };
    });
    // A file with errors was not fully checked: what its directives would have suppressed is unknown.
    if (result.errors.length === 0)
      for (const items of applied.values()) for (const item of items) reports.push(...this.unusedReports(item));
    return reports;
  }

  private problemsOf(directive: Directive): string[] {
    const problems: string[] = [];
    if (directive.names.length === 0) problems.push('it names no rule or code');
    for (const name of directive.names) {
      if (!this.names.isKnown(name)) {
        const suggestion = this.names.suggest(name);
        problems.push(`unknown rule or code "${name}"${suggestion ? `; did you mean ${suggestion}?` : ''}`);
      } else if (this.names.isSuppressionsRule(name)) {
        problems.push(
          `${name} cannot be suppressed by a comment or annotation; turn it off in .kubemend.yaml (codes: {${name}: off})`,
        );
      } else if (this.names.isListed(name, this.unsuppressible)) {
        problems.push(
          `${name} may not be suppressed by a comment or annotation ` +
            `(suppressionPolicy.unsuppressible); fix it, or accept it in the suppressions of .kubemend.yaml`,
        );
      }
    }
    if (directive.reason === null && this.policy.requireReason) {
      problems.push(
        directive.kind === 'comment'
          ? 'no reason: end it with " -- <why this is accepted>"'
          : 'no reason: the value must say why this is accepted',
      );
    }
    if (directive.until !== null && !isCalendarDate(directive.until))
      problems.push(`until=${directive.until} is not a date written YYYY-MM-DD`);
    return problems;
  }

  private unusedReports({ directive, used, blocked }: Applied): SuppressionReport[] {
    const { span, owner, label } = directive;
    const idle = directive.names.filter((name) => !used.has(name) && this.names.runs(name));
    const forbidden = idle.filter((name) => blocked.has(name));
    const unused = idle.filter((name) => !blocked.has(name));
    const reports: SuppressionReport[] = [];
    if (forbidden.length > 0) {
      const message =
        `${label} cannot suppress what ${listNames(forbidden)} found here: the policy keeps some ` +
        `of its codes unsuppressible (suppressionPolicy.unsuppressible); fix it, or accept it in ` +
        `the suppressions of .kubemend.yaml`;
      reports.push({ code: SUPPRESSION_INVALID, message, span, owner });
    }
    if (unused.length === 0) return reports;
    const message =
      unused.length === directive.names.length
        ? `${label} suppresses nothing: remove it`
        : `${label}: ${listNames(unused)} ${unused.length === 1 ? 'suppresses' : 'suppress'} nothing ` +
          `here; remove ${unused.length === 1 ? 'that name' : 'those names'}`;
    reports.push({ code: SUPPRESSION_UNUSED, message, span, owner });
    return reports;
  }
}
