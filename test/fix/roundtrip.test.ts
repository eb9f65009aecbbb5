import { readFileSync } from 'node:fs';
import path from 'node:path';
import { structuredPatch } from 'diff';
import fastGlob from 'fast-glob';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fixTexts, type FixReport } from '../../src/index.js';
import { SHARED } from '../support/shared.js';
import { CONFORMANCE_DIR } from '../support/conformance.js';

/*
 * Autofix over every real manifest we have (../shared/corpus) and every kubeaudit fixture, in one run as
 * `kubemend --fix` would do it (so fixes across files happen too), checked for what autofix promises.
 */

const ROOTS = [path.join(SHARED, 'corpus'), path.join(CONFORMANCE_DIR, 'fixtures')];

/** Fixable findings that stay after autofix, each with the reason it gives. Empty: everything fixable in these files is fixed. */
const KNOWN_UNFIXED: { file: string; code: string; reason: string }[] = [];

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
  return parseAllDocuments(text).map((doc) => [lineOf(text, doc.range[0]), lineOf(text, Math.max(doc.range[0], doc.range[2] - 1))]);
}

function commentLines(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) if (/^\s*#/.test(line)) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

describe('autofix round trip over the corpus and the kubeaudit fixtures', () => {
  let inputs: { file: string; text: string }[];
  let report: FixReport;
  /** Per file: the documents the applied fixes targeted, and whether a document was appended. */
  const targets = new Map<string, { documents: Set<number>; appended: boolean }>();

  beforeAll(() => {
    const files = ROOTS.flatMap((root) => fastGlob.sync(['**/*.yaml', '**/*.yml'], { cwd: root, absolute: true })).sort();
    inputs = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    report = fixTexts(inputs, [], {});
    for (const { target, patch } of report.files.flatMap((file) => file.fixed.flatMap((finding) => finding.patches))) {
      const entry = targets.get(target.file) ?? { documents: new Set<number>(), appended: false };
      if (patch.op === 'appendDocument') entry.appended = true;
      else entry.documents.add(target.documentIndex);
      targets.set(target.file, entry);
    }
  }, 300_000);

  it('reads every file and fixes a good part of them', () => {
    expect(inputs.length).toBeGreaterThan(900);
    expect(report.files.filter((file) => file.after !== file.before).length).toBeGreaterThan(300);
  });

  it('(a) leaves every file that parsed parseable', () => {
    for (const file of report.files) {
      if (file.after === file.before || parseAllDocuments(file.before).some((doc) => doc.errors.length > 0)) continue;
      expect(parseAllDocuments(file.after).flatMap((doc) => doc.errors.map((e) => e.message)), file.file).toEqual([]);
    }
  });

  it('(b) keeps every comment line: no fix here deletes a commented key', () => {
    for (const file of report.files) {
      if (file.after === file.before) continue;
      const after = commentLines(file.after);
      const lost = [...commentLines(file.before)].filter(([line, count]) => (after.get(line) ?? 0) < count).map(([line]) => line);
      expect(lost, file.file).toEqual([]);
    }
  });

  it('(c) changes lines only inside documents that a fix targeted (or appends documents at the end)', () => {
    for (const file of report.files) {
      if (file.after === file.before) continue;
      const target = targets.get(file.file);
      expect(target, `${file.file} changed without a fix for it`).toBeDefined();
      const docs = documentLines(file.before);
      const lastLine = file.before.split('\n').length;
      const inTarget = (first: number, last: number) => [...target!.documents].some((index) => first >= docs[index]![0] && last <= docs[index]![1]);
      for (const hunk of structuredPatch('a', 'b', file.before, file.after, '', '', { context: 0 }).hunks as Hunk[]) {
        const where = `${file.file} @@ -${hunk.oldStart},${hunk.oldLines}`;
        if (hunk.oldLines === 0) {
          // Lines inserted after line oldStart - 1: inside a targeted document, or new documents after the last line.
          const after = hunk.oldStart - 1;
          expect(inTarget(after, after) || (target!.appended && after >= lastLine - 1), where).toBe(true);
        } else {
          const last = hunk.oldStart + hunk.oldLines - 1;
          // A file without a final line break gains one before an appended document: its last line shows as changed.
          const finalLineBreak = target!.appended && last === lastLine && hunk.lines.filter((l) => l.startsWith('-')).every((l) => hunk.lines.includes(`+${l.slice(1)}`));
          expect(inTarget(hunk.oldStart, last) || finalLineBreak, where).toBe(true);
        }
      }
    }
  });

  it('(d) is idempotent: fixing the fixed files again changes nothing', () => {
    const again = fixTexts(report.files.map((file) => ({ file: file.file, text: file.after })), [], {});
    expect(again.files.filter((file) => file.after !== file.before).map((file) => file.file)).toEqual([]);
  });

  it('(e) leaves no fixable finding, except those reported as not fixed, each with its reason', () => {
    const remaining = report.results.flatMap((result) => result.findings.filter((finding) => finding.fixable).map((finding) => ({ file: result.file, finding })));
    expect(report.unfixed.map(({ file, finding }) => ({ file, finding }))).toEqual(remaining);
    for (const { reason } of report.unfixed) expect(reason).not.toBe('');
    const relative = (file: string) => path.relative(SHARED, file);
    expect(report.unfixed.map(({ file, finding, reason }) => ({ file: relative(file), code: finding.code, reason }))).toEqual(KNOWN_UNFIXED);
  });
});
