import type { DocumentRef, FileResult, Finding, ResourceRef } from '../engine/types.js';

/*
 * What the fix passes, whole-run (run-fix.ts) or document by document (document-fix.ts), know of findings: how one
 * is told apart across passes, counted, and named to people.
 */

/** Fixes of one finding sometimes enable another (a new securityContext, then its fields): a few passes settle it. */
export const MAX_PASSES = 4;

/**
 * A finding a fix cleared, as much of it as names it and tells where its fix went: a file of 50,000 documents has
 * hundreds of thousands, so they keep no message, span or patch.
 */
export interface FixedFinding {
  rule: string;
  code: string;
  resource: ResourceRef;
  container: string | null;
  documentIndex: number;
  /** The documents its patches changed (for a new document, the document it was added for). */
  targets: DocumentRef[];
  /** Whether its fix added a document (at the end of its target's file). */
  appends: boolean;
}

export function fixedFinding(finding: Finding): FixedFinding {
  const { rule, code, resource, container, documentIndex } = finding;
  const targets = finding.patches.map(({ target }) => target);
  const appends = finding.patches.some(({ patch }) => patch.op === 'appendDocument');
  return { rule, code, resource, container, documentIndex, targets, appends };
}

/** A fixable finding a pass may fix, with the files its patches change. */
export interface Candidate {
  file: string;
  finding: Finding;
  key: string;
  targets: Set<string>;
}

/** Identifies a finding across passes (positions move as text is inserted; documents keep their index). */
export function findingKey(file: string, finding: Finding): string {
  const { resource } = finding;
  return (
    `${file}#${finding.documentIndex} ${finding.rule}/${finding.code} ` +
    `${resource.kind}/${resource.namespace ?? ''}/${resource.name ?? ''} ${finding.container ?? ''}`
  );
}

function countByKey(results: readonly FileResult[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const result of results) {
    for (const finding of result.findings) {
      const key = findingKey(result.file, finding);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

type SuppressedCounts = Map<string, { file: string; count: number }>;

function suppressedCounts(results: readonly FileResult[]): SuppressedCounts {
  const counts: SuppressedCounts = new Map();
  for (const result of results) {
    for (const finding of result.suppressed) {
      const key = findingKey(result.file, finding);
      counts.set(key, { file: result.file, count: (counts.get(key)?.count ?? 0) + 1 });
    }
  }
  return counts;
}

/**
 * Files where a finding suppressed before a pass is no longer suppressed after it: the pass changed a value a
 * suppression accepted, or moved a finding away from the comment that suppressed it.
 */
function filesLosingSuppressions(before: SuppressedCounts, after: readonly FileResult[]): Set<string> {
  const now = suppressedCounts(after);
  return new Set(
    [...before].filter(([key, { count }]) => (now.get(key)?.count ?? 0) < count).map(([, { file }]) => file),
  );
}

export function describeFinding(finding: Pick<Finding, 'code' | 'resource' | 'container'>): string {
  const { kind, name } = finding.resource;
  return `${finding.code} (${kind}${name ? `/${name}` : ''}${finding.container ? `, container ${finding.container}` : ''})`;
}

/** The applied findings (by key) a re-lint still shows as often as before their fixes: their fixes did not work. */
function notClearedBy(
  applied: ReadonlyMap<string, readonly Candidate[]>,
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Set<string> {
  const keys = new Set<string>();
  for (const [key, list] of applied) if ((after.get(key) ?? 0) > (before.get(key) ?? 0) - list.length) keys.add(key);
  return keys;
}

/**
 * How a fix pass is verified, by both fix paths: re-linting must show every applied fix's finding gone (fewer
 * findings of its kind and place than before) and every suppressed finding still suppressed (a fix never touches
 * what a suppression accepted). Made from the results before the pass, which it does not keep.
 */
export class PassCheck {
  private readonly counts: Map<string, number>;
  private readonly suppressed: SuppressedCounts;

  constructor(before: readonly FileResult[]) {
    this.counts = countByKey(before);
    this.suppressed = suppressedCounts(before);
  }

  /** Files where the pass un-suppressed a finding, and the applied findings (by key) its re-lint still shows. */
  verdict(
    applied: ReadonlyMap<string, readonly Candidate[]>,
    after: readonly FileResult[],
  ): { unsuppressing: Set<string>; notCleared: Set<string> } {
    return {
      unsuppressing: filesLosingSuppressions(this.suppressed, after),
      notCleared: notClearedBy(applied, this.counts, countByKey(after)),
    };
  }
}

export const SUPPRESSION_MOVED =
  'a fix would change or move a finding that a suppression accepts, so the file is left as it was; fix it by hand';

export function notClearedReason(finding: Finding): string {
  return `the fix for ${describeFinding(finding)} did not clear it, so the file is left as it was`;
}

export const CHANGES_NOTHING = 'its fix would change nothing, so the finding stays';
