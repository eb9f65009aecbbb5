import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { structuredPatch } from 'diff';
import fastGlob from 'fast-glob';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fixTexts, lintInputs, type FileResult, type FixReport } from '../../src/index.js';
import { ROOT } from './cli.js';

/*
 * The tests over real manifests, for any corpus laid out as `<owner>__<repo>/<path>`: `npm test` runs them on the
 * vendored sample, `npm run test:e2e` on the full corpus in the shared folder.
 */

/** Real manifests vendored for `npm test`: a sample of the full corpus, see its SOURCES.md. */
export const CORPUS_SAMPLE = path.join(ROOT, 'test', 'fixtures', 'corpus');

/** The corpus files that hold duplicate keys (the API server rejects them); the sample keeps all three. */
const DUPLICATE_KEY_FILES = [
  'kubernetes__examples/_archived/openshift-origin/etcd-controller.yaml',
  'kubernetes__examples/_archived/openshift-origin/etcd-discovery-controller.yaml',
  'kubernetes__examples/_archived/openshift-origin/openshift-controller.yaml',
];

/** The folders of a corpus's source repositories. */
export function repositoriesOf(corpus: string): string[] {
  return readdirSync(corpus, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(corpus, entry.name))
    .sort();
}

export function yamlFilesUnder(folder: string): string[] {
  return fastGlob.sync(['**/*.yaml', '**/*.yml'], { cwd: folder, absolute: true }).sort();
}

/**
 * Lints each repository of a corpus in a run of its own, as its owners would; between runs the worker is free to
 * answer vitest (see describeFixRoundTrip).
 */
export function describeCorpusLint(corpus: string, expectedFiles: number): void {
  describe(`real manifests (${path.relative(ROOT, corpus)})`, () => {
    it('processes every file; only the files with duplicate keys report a file error', async () => {
      const results: FileResult[] = [];
      for (const repository of repositoriesOf(corpus)) results.push(...(await lintInputs([repository], {})));
      expect(results).toHaveLength(expectedFiles);
      const withErrors = results.filter((r) => r.errors.length > 0).map((r) => path.relative(corpus, r.file));
      expect(withErrors.sort()).toEqual(DUPLICATE_KEY_FILES);
      for (const result of results) {
        for (const finding of result.findings) {
          expect(finding.line).toBeGreaterThanOrEqual(1);
          const start = finding.line * 1e6 + finding.column;
          expect(finding.endLine * 1e6 + finding.endColumn).toBeGreaterThanOrEqual(start);
        }
      }
      expect(results.some((r) => r.findings.length > 0)).toBe(true);
    });
  });
}

interface Hunk {
  oldStart: number;
  oldLines: number;
  lines: string[];
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** First and last line of each document of a text. */
function documentLines(text: string): [number, number][] {
  return parseAllDocuments(text).map((doc) => [
    lineOf(text, doc.range[0]),
    lineOf(text, Math.max(doc.range[0], doc.range[2] - 1)),
  ]);
}

function commentLines(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) if (/^\s*#/.test(line)) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

/**
 * Autofix over real manifests, checked for what autofix promises. Each project (one repository of a corpus, or the
 * kubeaudit fixtures) is fixed in one run, as `kubemend --fix` on it would do it, so fixes across its files happen too.
 * Projects run one after another with a turn of the event loop in between: fixing is synchronous, and a worker that
 * does not answer vitest for a minute (the full corpus in one run on a busy machine) fails the whole test run.
 */
export function describeFixRoundTrip(name: string, projects: readonly string[], expectedFiles: number): void {
  describe(`autofix round trip over ${name}`, () => {
    const reports: FixReport[] = [];
    let files: FixReport['files'] = [];
    /** Per file: the documents the applied fixes targeted, and whether a document was appended. */
    const targets = new Map<string, { documents: Set<number>; appended: boolean }>();

    beforeAll(async () => {
      for (const project of projects) {
        const inputs = yamlFilesUnder(project).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
        reports.push(fixTexts(inputs, [], {}));
        await nextTurn();
      }
      files = reports.flatMap((report) => report.files);
      for (const { targets: found, appends } of files.flatMap((file) => file.fixed)) {
        for (const target of found) {
          const entry = targets.get(target.file) ?? { documents: new Set<number>(), appended: false };
          if (appends) entry.appended = true;
          else entry.documents.add(target.documentIndex);
          targets.set(target.file, entry);
        }
      }
    }, 600_000);

    it('reads every file and fixes a good part of them', () => {
      expect(files).toHaveLength(expectedFiles);
      expect(files.filter((file) => file.after !== file.before).length).toBeGreaterThan(files.length / 3);
    });

    it('(a) leaves every file that parsed parseable', () => {
      for (const file of files) {
        if (file.after === file.before || parseAllDocuments(file.before).some((doc) => doc.errors.length > 0)) continue;
        expect(
          parseAllDocuments(file.after).flatMap((doc) => doc.errors.map((e) => e.message)),
          file.file,
        ).toEqual([]);
      }
    });

    it('(b) keeps every comment line: no fix here deletes a commented key', () => {
      for (const file of files) {
        if (file.after === file.before) continue;
        const after = commentLines(file.after);
        const lost = [...commentLines(file.before)].filter(([line, count]) => (after.get(line) ?? 0) < count);
        expect(
          lost.map(([line]) => line),
          file.file,
        ).toEqual([]);
      }
    });

    it('(c) changes lines only inside documents that a fix targeted (or appends documents at the end)', () => {
      for (const file of files) {
        if (file.after === file.before) continue;
        const target = targets.get(file.file);
        expect(target, `${file.file} changed without a fix for it`).toBeDefined();
        const { documents, appended } = target!;
        const docs = documentLines(file.before);
        const lastLine = file.before.split('\n').length;
        const inTarget = (first: number, last: number) =>
          [...documents].some((index) => first >= docs[index]![0] && last <= docs[index]![1]);
        for (const hunk of structuredPatch('a', 'b', file.before, file.after, '', '', { context: 0 }).hunks as Hunk[]) {
          const where = `${file.file} @@ -${hunk.oldStart},${hunk.oldLines}`;
          if (hunk.oldLines === 0) {
            // Lines inserted after line oldStart - 1: inside a targeted document, or new documents after the last line.
            const after = hunk.oldStart - 1;
            expect(inTarget(after, after) || (appended && after >= lastLine - 1), where).toBe(true);
          } else {
            const last = hunk.oldStart + hunk.oldLines - 1;
            // A file without a final line break gains one before an appended document: its last line shows as changed.
            const removed = hunk.lines.filter((line) => line.startsWith('-'));
            const onlyLineBreak = removed.every((line) => hunk.lines.includes(`+${line.slice(1)}`));
            expect(inTarget(hunk.oldStart, last) || (appended && last === lastLine && onlyLineBreak), where).toBe(true);
          }
        }
      }
    });

    it('(d) is idempotent: fixing the fixed files again changes nothing', async () => {
      for (const report of reports) {
        const again = fixTexts(
          report.files.map((file) => ({ file: file.file, text: file.after })),
          [],
          {},
        );
        expect(again.files.filter((file) => file.after !== file.before).map((file) => file.file)).toEqual([]);
        await nextTurn();
      }
    }, 600_000);

    it('(e) leaves no fixable finding, and reports every one it leaves as not fixed', () => {
      for (const report of reports) {
        const remaining = report.results.flatMap((result) =>
          result.findings.filter((finding) => finding.fixable).map((finding) => ({ file: result.file, finding })),
        );
        expect(report.unfixed.map(({ file, finding }) => ({ file, finding }))).toEqual(remaining);
        const unfixed = report.unfixed.map(({ file, finding, reason }) => ({ file, code: finding.code, reason }));
        expect(unfixed).toEqual([]);
      }
    });
  });
}
