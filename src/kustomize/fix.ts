import path from 'node:path';
import type { FileResult, Finding } from '../engine/types.js';
import { FixError, fixFileText, sourceId, type DocumentPatch, type FileChange } from '../fix/index.js';
import { findEngine, KustomizeError, type KustomizeEngine } from './engine.js';
import { copyKustomizations, isDirectory, type KustomizationsCopy } from './fix-copy.js';
import { describeFsError } from '../load/fs-errors.js';
import {
  lintRender,
  placeKustomizations,
  resultsOf,
  type KustomizeOptions,
  type Placed,
  type PlacedFinding,
} from './lint.js';
import { SourceFiles } from './source-map.js';

/*
 * `--fix --kustomize`: each finding's fix, placed in the source files (fix-placement.ts), is made with the fix
 * engine's byte-preserving edits; then the kustomizations are rendered again from a copy holding the fixed files
 * (fix-copy.ts). Only when every fixed finding is gone from that render, and no new one appeared, are the changes
 * handed back to be written, all of them together.
 */

export interface KustomizeFixOptions extends KustomizeOptions {
  /** Which fixable findings to fix; all by default. */
  only?: (finding: Finding) => boolean;
}

export interface KustomizeFix {
  /** The changed source files, verified by a render; empty when nothing could be fixed. */
  changes: FileChange[];
  /** How changed files are named in results and diffs. */
  nameOf: (file: string) => string;
  /** Findings the changes fix. */
  fixed: number;
  /** What remains, in the source files: at its lines in the fixed files. */
  results: FileResult[];
  /** Why fixes were not made: one line each, naming the finding. */
  problems: string[];
}

/** Rounds of verification: a round drops the fixes a render showed not to work, and tries the others again. */
const MAX_ROUNDS = 3;

function countKeys(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function describe(placed: PlacedFinding): string {
  const { finding } = placed;
  return `${finding.code} at ${placed.file}:${finding.line}`;
}

/** The fixes of the candidates made in the source texts; candidates whose fix failed get their reason. */
function applyFixes(
  candidates: readonly PlacedFinding[],
  files: SourceFiles,
  reasons: Map<PlacedFinding, string>,
): Map<string, string> {
  const byFile = new Map<string, DocumentPatch[]>();
  const bySource = new Map<string, PlacedFinding>();
  candidates.forEach((candidate, n) => {
    const source = sourceId(describe(candidate), n);
    bySource.set(source, candidate);
    for (const { file, documentIndex, patch } of candidate.fix ?? [])
      byFile.set(file, [...(byFile.get(file) ?? []), { patch, documentIndex, sources: [source] }]);
  });
  // A finding whose fix fails in one file must not stay half-made in another: redo the files without it.
  const failed = new Set<string>();
  const texts = new Map<string, string>();
  for (let settled = false; !settled;) {
    const failedBefore = failed.size;
    for (const [file, patches] of byFile) {
      const text = files.get(file)?.text;
      try {
        if (text === undefined) throw new FixError(`${file} could not be read`);
        const fixed = fixFileText(text, patches, failed);
        for (const { sources, reason } of fixed.rejected)
          for (const source of sources) reasons.set(bySource.get(source)!, reason);
        texts.set(file, fixed.text);
      } catch (error) {
        if (!(error instanceof FixError)) throw error;
        for (const { sources } of patches)
          for (const source of sources) {
            failed.add(source);
            reasons.set(bySource.get(source)!, error.message);
          }
        texts.delete(file);
      }
    }
    settled = failed.size === failedBefore;
  }
  for (const [file, text] of texts) if (text === files.get(file)?.text) texts.delete(file);
  return texts;
}

function shortError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A finding left unfixed says why, in its details (JSON, SARIF) as the problem lines do on the terminal. */
function withReason(candidate: PlacedFinding, reason: string): PlacedFinding {
  const details = `${candidate.finding.details.replace(/\.$/, '')}. Not fixed: ${reason}`;
  return { ...candidate, finding: { ...candidate.finding, fixable: false, details } };
}

/** One pass: the fixes of the current findings, made in the copy when a render shows they work. */
class FixPass {
  constructor(
    private readonly copy: KustomizationsCopy,
    private readonly engine: KustomizeEngine,
    private readonly copyDirs: readonly string[],
    private readonly options: KustomizeOptions,
  ) {}

  /** The rendered findings' keys, rendered with the texts written into the copy. */
  private async keysWith(texts: ReadonlyMap<string, string>): Promise<Map<string, number>> {
    for (const [file, text] of texts) await this.copy.write(file, text);
    const keys: string[] = [];
    for (const dir of this.copyDirs) {
      const { keys: found } = await lintRender(this.engine, dir, this.options);
      keys.push(...found.map((key) => `${dir} ${key}`));
    }
    return countKeys(keys);
  }

  /**
   * Makes the candidates' fixes that a render verifies; the others get their reason. A round drops the fixes whose
   * finding the render still shows and tries the rest again; a new finding, or a failed render, stops the pass.
   * Returns the findings fixed (their changes stay in the copy).
   */
  async run(
    placed: Placed,
    candidates: PlacedFinding[],
    files: SourceFiles,
    reasons: Map<PlacedFinding, string>,
  ): Promise<PlacedFinding[]> {
    const before = countKeys(placed.findings.map((candidate) => candidate.key));
    for (let round = 0; round < MAX_ROUNDS && candidates.length > 0; round++) {
      const texts = applyFixes(candidates, files, reasons);
      candidates = candidates.filter((candidate) => !reasons.has(candidate));
      if (texts.size === 0) return [];
      let after: Map<string, number> | undefined;
      let failure: string | undefined;
      try {
        after = await this.keysWith(texts);
        const appeared = [...after].filter(([key, count]) => count > (before.get(key) ?? 0)).map(([key]) => key);
        const codes = appeared.map((key) => key.split(' ')[1]).join(', ');
        if (appeared.length > 0) failure = `rendered with the fixes, the kustomization has new findings (${codes})`;
      } catch (error) {
        failure = `rendering the fixed sources failed (${shortError(error)})`;
      }
      const fixing = countKeys(candidates.map((candidate) => candidate.key));
      const stayed = after
        ? candidates.filter(
            (candidate) =>
              (after.get(candidate.key) ?? 0) > (before.get(candidate.key) ?? 0) - fixing.get(candidate.key)!,
          )
        : [];
      if (failure === undefined && stayed.length === 0) return candidates;
      for (const file of texts.keys()) await this.copy.write(file, files.get(file)!.text);
      if (failure !== undefined) {
        for (const candidate of candidates) reasons.set(candidate, `${failure}, so nothing was changed`);
        return [];
      }
      // Another source sets the value too, or something applied after the fixed file undoes the fix.
      for (const candidate of stayed)
        reasons.set(candidate, 'rendered with its fix in the sources, the finding was still there; fix it by hand');
      candidates = candidates.filter((candidate) => !stayed.includes(candidate));
    }
    return [];
  }
}

/** Fixes of one finding sometimes enable another (privileged: false, then allowPrivilegeEscalation): a few passes. */
const MAX_PASSES = 3;

/**
 * Places, makes and verifies the fixes of every kustomization's findings, in a copy of the kustomizations. Nothing
 * of the user's is written here: the changes come back verified, to be written all together (writeFilesAtomic) or
 * shown as a diff, with the findings that remain at their lines in the fixed files.
 */
export async function fixKustomizations(dirs: readonly string[], options: KustomizeFixOptions): Promise<KustomizeFix> {
  const engine = await findEngine(options.command, options.env);
  const userDirs = dirs.map((dir) => path.resolve(options.cwd, dir));
  const missing = dirs.find((_, n) => !isDirectory(userDirs[n]!));
  if (missing !== undefined) throw new KustomizeError(`--kustomize ${missing}: no such folder`);
  const copy = await copyKustomizations(userDirs).catch((error: unknown) => {
    throw new KustomizeError(`cannot copy the kustomizations to try the fixes in: ${describeFsError(error)}`);
  });
  try {
    const copyDirs = userDirs.map((dir) => copy.inCopy(dir));
    const nameOf = (file: string) => path.relative(options.cwd, copy.fromCopy(file)) || file;
    const placeOptions = { ...options, engine, nameOf };
    const pass = new FixPass(copy, engine, copyDirs, placeOptions);
    /** The text each changed file of the copy had at the start. */
    const originals = new Map<string, string>();
    /** Findings given up on, by key, with the reason; later passes do not try them again. */
    const givenUp = new Map<string, string>();
    const problems: string[] = [];
    let fixed = 0;
    let placed: Placed | undefined;
    for (let round = 0; round < MAX_PASSES; round++) {
      const files = new SourceFiles();
      placed = await placeKustomizations(copyDirs, { ...placeOptions, files });
      const candidates = placed.findings.filter(
        (candidate) => candidate.fix && !givenUp.has(candidate.key) && (options.only?.(candidate.finding) ?? true),
      );
      const reasons = new Map<PlacedFinding, string>();
      const done = await pass.run(placed, candidates, files, reasons);
      for (const [candidate, reason] of reasons) {
        givenUp.set(candidate.key, reason);
        problems.push(`${candidate.file}: not fixed: ${reason}: ${describe(candidate)}`);
      }
      if (done.length === 0) break;
      fixed += done.length;
      for (const file of new Set(done.flatMap((candidate) => candidate.fix!.map((patch) => patch.file))))
        if (!originals.has(file)) originals.set(file, files.get(file)!.text);
      placed = undefined;
    }
    placed ??= await placeKustomizations(copyDirs, { ...placeOptions, files: new SourceFiles() });
    const remaining = placed.findings.map((candidate) => {
      const reason = givenUp.get(candidate.key);
      return reason === undefined ? candidate : withReason(candidate, reason);
    });
    const current = new SourceFiles();
    const changes = [...originals].flatMap(([file, before]) => {
      const after = current.get(file)?.text ?? before;
      return after === before ? [] : [{ file: copy.fromCopy(file), before, after }];
    });
    return {
      changes,
      nameOf: (file) => path.relative(options.cwd, file) || file,
      fixed,
      results: resultsOf({ findings: remaining, errors: placed.errors }),
      problems,
    };
  } catch (error) {
    // A render of the copy names the copy's folders: the user knows them by their own names.
    if (!(error instanceof KustomizeError)) throw error;
    let message = error.message;
    userDirs.forEach((dir, n) => (message = message.split(copy.inCopy(dir)).join(dirs[n]!)));
    throw new KustomizeError(message);
  } finally {
    await copy.remove();
  }
}

export { KustomizeError };
