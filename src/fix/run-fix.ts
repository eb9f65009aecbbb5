import { LintRun, type FileRole, type LintOptions } from '../engine/run.js';
import type { FileResult, Finding } from '../engine/types.js';
import type { ContextOptions } from '../engine/project-context.js';
import { pushTo } from '../engine/map-of-lists.js';
import { FixError } from './apply-patch.js';
import { fixFileText, surveyFile, type DocumentPatch, type FileSurvey } from './apply-file.js';
import { fixByDocuments, separateDocuments, WholeRunNeeded, type FileByDocuments } from './document-fix.js';
import {
  CHANGES_NOTHING,
  describeFinding,
  findingKey,
  fixedFinding,
  MAX_PASSES,
  notClearedReason,
  PassCheck,
  SUPPRESSION_MOVED,
  type Candidate,
  type FixedFinding,
} from './fix-findings.js';
import { sourceId } from './plan.js';

export interface FixInput {
  file: string;
  text: string;
  /** A Kustomize patch: only the values it sets are reported and fixed (see LintRun.addText). */
  role?: FileRole;
}

export interface FixedFile {
  file: string;
  before: string;
  after: string;
  /** Findings of this file the fixes cleared. */
  fixed: FixedFinding[];
  /** Why fixable findings of this file were not fixed: one line per reason, naming the findings. */
  problems: string[];
}

export interface UnfixedFinding {
  file: string;
  finding: Finding;
  reason: string;
}

export interface FixOptions extends LintOptions, ContextOptions {
  /** Which fixable findings to fix; all by default. */
  only?: (finding: Finding) => boolean;
}

export interface FixReport {
  files: FixedFile[];
  /** Lint results of the fixed texts: what remains. */
  results: FileResult[];
  /** Every fixable finding (of those asked for) that remains, with the reason it was not fixed. */
  unfixed: UnfixedFinding[];
}

function lintAll(
  texts: ReadonlyMap<string, string>,
  roles: ReadonlyMap<string, FileRole>,
  unreadable: readonly FileResult[],
  options: FixOptions,
): FileResult[] {
  const run = new LintRun(options);
  for (const { file, text } of options.context ?? []) run.addContext(file, text);
  for (const result of unreadable) run.addError(result.file, result.errors[0]!);
  for (const [file, text] of texts) run.addText(file, text, roles.get(file));
  return run.finish();
}

/** Documents per file, in the positions that order every document of a run (see LintRun.gatherDocumentFacts). */
const DOCUMENT_POSITIONS = 2 ** 30;

interface ByDocuments {
  files: Map<string, FileByDocuments>;
  /** The documents of each file other files' findings depend on. */
  shared: Map<string, Set<number>>;
  /** Files left to the whole-run passes, with the reason to leave them as they were, if any. */
  wholeRun: Map<string, string | undefined>;
}

/** Fixes every file that can be fixed document by document (document-fix.ts), with the facts of all gathered first. */
function fixEachDocument(
  inputs: readonly FixInput[],
  options: FixOptions,
  wanted: (finding: Finding) => boolean,
): ByDocuments {
  const run = new LintRun(options);
  for (const { file, text } of options.context ?? []) run.addContext(file, text);
  const position = (fileIndex: number, documentIndex: number) => fileIndex * DOCUMENT_POSITIONS + documentIndex;
  const shared = new Map<string, Set<number>>();
  inputs.forEach(({ file, text, role }, fileIndex) => {
    // A patch gives no facts across files (it is no resource of its own).
    if ((role ?? 'manifest') === 'manifest')
      shared.set(file, new Set(run.gatherDocumentFacts(file, text, (index) => position(fileIndex, index))));
  });
  const context = { run, position, wanted, counter: { next: 0 } };
  const files = new Map<string, FileByDocuments>();
  const wholeRun = new Map<string, string | undefined>();
  // A baseline matches its entries, with their counts, across documents and files: only a whole run can apply it.
  const baseline = options.suppressions?.baseline !== undefined;
  inputs.forEach(({ file, text, role }, fileIndex) => {
    const documents = baseline ? undefined : separateDocuments(text);
    if (!documents) {
      wholeRun.set(file, undefined);
      return;
    }
    const input = { file, text, role: role ?? 'manifest' };
    try {
      files.set(file, fixByDocuments(context, fileIndex, input, documents, shared.get(file) ?? new Set()));
    } catch (error) {
      if (!(error instanceof WholeRunNeeded)) throw error;
      wholeRun.set(file, error.frozen);
    }
  });
  return { files, shared, wholeRun };
}

/**
 * Fixes each file document by document where it can (document-fix.ts): the cost of one lint and a lint of each
 * patched document, one document's AST alive at a time. What needs the whole run (a fix that reaches another
 * document or file, a document other files' findings depend on, a file that cannot be split into documents by its
 * text or has suppression comments or errors) is then done by passes over all files at once: lint, fix, and lint
 * again until nothing fixable is left (or MAX_PASSES), so that a fix may target another file (a ServiceAccount, a
 * new NetworkPolicy beside its Namespace). A file that cannot be read cleanly, or whose fixes cannot be verified,
 * or where a fix did not clear its finding, is left exactly as it was; every fixable finding left over is reported
 * with the reason.
 */
export function fixTexts(
  inputs: readonly FixInput[],
  unreadable: readonly FileResult[],
  options: FixOptions,
): FixReport {
  const original = new Map(inputs.map(({ file, text }) => [file, text]));
  const roles = new Map(inputs.map(({ file, role }) => [file, role ?? 'manifest']));
  const texts = new Map(original);
  /** Files left as they were, with the reason. */
  const frozen = new Map<string, string>();
  /** Why a finding (by key) was not fixed. */
  const reasons = new Map<string, string>();
  /** Findings fixed so far, by key, with the files their patches changed. */
  const fixed = new Map<string, Candidate[]>();
  /** Each file's survey with the text it is of: a pass starts from the text the one before verified and surveyed. */
  const surveys = new Map<string, { text: string; survey: FileSurvey }>();
  const surveyOf = (file: string, text: string): FileSurvey => {
    const known = surveys.get(file);
    if (known?.text === text) return known.survey;
    const survey = surveyFile(text);
    surveys.set(file, { text, survey });
    return survey;
  };
  const wanted = (finding: Finding) => finding.patches.length > 0 && (options.only?.(finding) ?? true);

  const byDocuments = fixEachDocument(inputs, options, wanted);
  /** Findings fixed document by document, by file (their fixes changed only their own document). */
  const fixedByDocument = new Map<string, FixedFinding[]>();
  for (const [file, done] of byDocuments.files) {
    texts.set(file, done.text);
    fixedByDocument.set(file, done.fixed);
    for (const [key, reason] of done.reasons) reasons.set(key, reason);
  }
  for (const [file, reason] of byDocuments.wholeRun) if (reason !== undefined) frozen.set(file, reason);
  /** What the whole-run passes fix: what could not be fixed document by document. */
  const leftToWholeRun = (file: string, finding: Finding) =>
    byDocuments.wholeRun.has(file) ||
    byDocuments.shared.get(file)?.has(finding.documentIndex) === true ||
    finding.patches.some(
      ({ target, patch }) =>
        patch.op === 'appendDocument' || target.file !== file || target.documentIndex !== finding.documentIndex,
    );

  const freeze = (file: string, reason: string) => {
    // Once frozen, a file is never fixed again and nothing fixed in it is kept: there is nothing more to undo.
    if (frozen.has(file)) return;
    frozen.set(file, reason);
    texts.set(file, original.get(file)!);
    fixedByDocument.delete(file);
    for (const [key, list] of fixed) {
      const kept = list.filter((candidate) => !candidate.targets.has(file));
      if (kept.length > 0) fixed.set(key, kept);
      else fixed.delete(key);
    }
  };

  /** The fixable findings of a lint whose target files may still change. */
  const candidatesOf = (lint: readonly FileResult[]): Candidate[] => {
    const candidates: Candidate[] = [];
    for (const result of lint) {
      for (const finding of result.findings) {
        if (!wanted(finding) || !leftToWholeRun(result.file, finding)) continue;
        const key = findingKey(result.file, finding);
        const targets = new Set(finding.patches.map((p) => p.target.file));
        if ([...targets].some((file) => frozen.has(file))) continue;
        candidates.push({ file: result.file, finding, key, targets });
      }
    }
    return candidates;
  };

  /**
   * Makes the candidates' fixes in the texts; returns the candidates applied (by key) and the files changed. What
   * a pass needs only while it fixes stays here, so it is freed before the next lint.
   */
  const fixPass = (candidates: readonly Candidate[]) => {
    const byTarget = new Map<string, DocumentPatch[]>();
    const sourceOf = new Map<string, Candidate>();
    candidates.forEach((candidate, n) => {
      const source = sourceId(describeFinding(candidate.finding), n);
      sourceOf.set(source, candidate);
      for (const { target, patch } of candidate.finding.patches)
        pushTo(byTarget, target.file, { patch, documentIndex: target.documentIndex, sources: [source] });
    });
    // A finding whose patch fails in one file must not stay half-applied in another: redo those files without it.
    // Only the files holding a patch of a newly failed finding are redone; a file's own failures it settles itself.
    const passStart = new Map(texts);
    const failed = new Set<string>();
    const fixedSurveys = new Map<string, FileSurvey>();
    const filesOf = new Map<string, Set<string>>();
    for (const [file, patches] of byTarget)
      for (const { sources } of patches)
        for (const source of sources) filesOf.set(source, (filesOf.get(source) ?? new Set()).add(file));
    for (let pending = [...byTarget.keys()]; pending.length > 0;) {
      const redo = new Set<string>();
      for (const file of pending) {
        const patches = byTarget.get(file)!;
        const failedCount = failed.size;
        if (frozen.has(file)) {
          for (const { sources } of patches) for (const source of sources) failed.add(source);
        } else {
          try {
            const start = passStart.get(file)!;
            const fix = fixFileText(start, patches, failed, { survey: surveyOf(file, start) });
            for (const { sources, reason } of fix.rejected)
              for (const source of sources) reasons.set(sourceOf.get(source)!.key, reason);
            texts.set(file, fix.text);
            fixedSurveys.set(file, fix.survey);
          } catch (error) {
            if (!(error instanceof FixError)) throw error;
            for (const { sources } of patches) for (const source of sources) failed.add(source);
            fixedSurveys.delete(file);
            freeze(file, error.message);
          }
        }
        let seen = 0;
        for (const source of failed)
          if (seen++ >= failedCount) for (const other of filesOf.get(source) ?? []) if (other !== file) redo.add(other);
      }
      pending = [...redo];
    }
    for (const [file, survey] of fixedSurveys) surveys.set(file, { text: texts.get(file)!, survey });
    const changedFiles = [...byTarget.keys()].filter((file) => texts.get(file) !== passStart.get(file));
    const applied = new Map<string, Candidate[]>();
    for (const [source, candidate] of sourceOf) {
      if (failed.has(source) || [...candidate.targets].some((file) => frozen.has(file))) continue;
      pushTo(applied, candidate.key, candidate);
    }
    return { applied, changedFiles };
  };

  const needsWholeRun = byDocuments.wholeRun.size > 0 || [...byDocuments.files.values()].some((done) => done.deferred);
  let results = needsWholeRun
    ? lintAll(texts, roles, unreadable, options)
    : [...unreadable, ...inputs.map(({ file }) => byDocuments.files.get(file)!.result)];
  for (const result of results) {
    if (result.errors.length > 0 && original.has(result.file))
      frozen.set(
        result.file,
        `the file has errors (${result.errors[0]!.message}); it is not changed until they are fixed`,
      );
  }
  for (let pass = 0; needsWholeRun && pass < MAX_PASSES; pass++) {
    const candidates = candidatesOf(results);
    if (candidates.length === 0) break;
    const { applied, changedFiles } = fixPass(candidates);
    if (changedFiles.length === 0) {
      for (const key of applied.keys()) reasons.set(key, CHANGES_NOTHING);
      break;
    }

    const check = new PassCheck(results);
    results = lintAll(texts, roles, unreadable, options);
    const { unsuppressing, notCleared } = check.verdict(applied, results);
    for (const file of unsuppressing) freeze(file, SUPPRESSION_MOVED);
    for (const key of notCleared) {
      const list = applied.get(key)!;
      const reason = notClearedReason(list[0]!.finding);
      for (const file of new Set(list.flatMap((candidate) => [...candidate.targets]))) freeze(file, reason);
    }
    for (const [key, list] of applied) {
      if (notCleared.has(key)) continue;
      const kept = list.filter((candidate) => ![...candidate.targets].some((file) => frozen.has(file)));
      for (const candidate of kept) pushTo(fixed, key, candidate);
    }
    if (notCleared.size > 0 || unsuppressing.size > 0) results = lintAll(texts, roles, unreadable, options);
  }

  const unfixed: UnfixedFinding[] = [];
  for (const result of results) {
    for (const finding of result.findings) {
      if (!wanted(finding)) continue;
      const blocked = finding.patches.map((p) => p.target.file).find((file) => frozen.has(file));
      const blockedReason =
        blocked === undefined
          ? undefined
          : blocked === result.file
            ? frozen.get(blocked)!
            : `${blocked}: ${frozen.get(blocked)!}`;
      const reason =
        reasons.get(findingKey(result.file, finding)) ??
        blockedReason ??
        `still there after ${MAX_PASSES} rounds of fixes`;
      unfixed.push({ file: result.file, finding, reason });
    }
  }
  const unfixedByFile = new Map<string, Map<string, Finding[]>>();
  for (const item of unfixed) {
    const byReason = unfixedByFile.get(item.file) ?? new Map<string, Finding[]>();
    unfixedByFile.set(item.file, byReason);
    pushTo(byReason, item.reason, item.finding);
  }
  const fixedByFile = fixedByDocument;
  for (const list of fixed.values())
    for (const candidate of list) pushTo(fixedByFile, candidate.file, fixedFinding(candidate.finding));
  const files = [...original.keys()].map((file) => {
    const problems = [...(unfixedByFile.get(file) ?? [])].map(([reason, findings]) => {
      const named = findings.slice(0, 3).map(describeFinding).join(', ');
      return `${reason}: ${named}${findings.length > 3 ? ` and ${findings.length - 3} more` : ''}`;
    });
    const fixedHere = fixedByFile.get(file) ?? [];
    return { file, before: original.get(file)!, after: texts.get(file)!, fixed: fixedHere, problems };
  });
  return { files, results, unfixed };
}
