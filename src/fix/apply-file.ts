import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, parseAllDocuments, Scalar, type Document } from 'yaml';
import type { Patch } from '../engine/types.js';
import { editsForPatch, FixError } from './apply-patch.js';
import { applyPatchToData } from './patch-data.js';
import {
  applicationOrder,
  mergePatches,
  planAliases,
  withoutFailed,
  type PathPatch,
  type PlannedPatch,
  type Rejection,
} from './plan.js';
import { renderBlock, type RenderStyle } from './render.js';
import { detectStyle } from './style.js';
import { applyEdits } from './text-edits.js';

export interface DocumentPatch {
  patch: Patch;
  /** The document of the file the patch is for (ignored by `appendDocument`). */
  documentIndex: number;
  sources: string[];
}

export interface FileFix {
  text: string;
  /** Findings (by source) whose patches were not made, with the reason; nothing of theirs was changed. */
  rejected: Rejection[];
}

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false } as const;

function parseDocuments(text: string): Document.Parsed[] {
  return parseAllDocuments(text, PARSE_OPTIONS) as Document.Parsed[];
}

/** The document's data with every alias expanded into its own copy; a dangling alias is a FixError. */
function dataOf(doc: Document.Parsed, what: string): unknown {
  try {
    return JSON.parse(JSON.stringify(doc.toJS({ maxAliasCount: -1 }) ?? null)) as unknown;
  } catch (error) {
    throw new FixError(`${what} would not read back (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** One patch as text edits on the current text, which is read again first so the edit sees earlier ones. */
function applyPatch(text: string, style: RenderStyle, patch: PathPatch): string {
  const doc = parseDocuments(text)[0];
  if (!doc || doc.errors.length > 0)
    throw new FixError(
      `an earlier edit left the document unreadable (${doc?.errors[0]?.message.split('\n')[0] ?? 'empty'})`,
    );
  return applyEdits(text, editsForPatch(doc, text, style, patch));
}

/**
 * Fixes one document's text. A patch that cannot be made fails the findings it serves, with the reason; the
 * document is then redone from its original text without any patch of those findings, so no finding is half-fixed.
 */
function fixDocument(
  text: string,
  style: RenderStyle,
  patches: readonly PlannedPatch[],
  rejected: Rejection[],
  failed: Set<string>,
): { text: string; applied: PlannedPatch[] } {
  const doc = parseDocuments(text)[0]!;
  for (;;) {
    const candidates = withoutFailed(patches, failed);
    let current = text;
    let failure: Rejection | undefined;
    for (const step of planAliases(doc, candidates)) {
      try {
        current = applyPatch(current, style, step.patch);
      } catch (error) {
        if (!(error instanceof FixError)) throw error;
        failure = { sources: step.sources, reason: error.message };
        break;
      }
    }
    if (!failure) return { text: current, applied: candidates };
    if (failure.sources.every((source) => failed.has(source))) throw new FixError(failure.reason);
    rejected.push(failure);
    for (const source of failure.sources) failed.add(source);
  }
}

/** Whether the file is written as JSON: its first document is a flow mapping with double-quoted keys. */
function isJsonFile(docs: readonly Document.Parsed[]): boolean {
  const root = docs[0]?.contents;
  const first = isMap(root) && root.flow ? root.items[0] : undefined;
  return isScalar(first?.key) && first.key.type === Scalar.QUOTE_DOUBLE;
}

function appendDocuments(text: string, style: RenderStyle, json: boolean, values: readonly unknown[]): string {
  if (values.length === 0) return text;
  let out = text;
  if (out.length > 0 && !out.endsWith('\n')) out += style.eol;
  for (const value of values) {
    const lines = json
      ? JSON.stringify(value, null, style.indent).split('\n')
      : typeof value === 'object' && value !== null
        ? renderBlock(value as Record<string, unknown>, 0, style)
        : [];
    out += ['---', ...lines].map((line) => line + style.eol).join('');
  }
  return out;
}

/**
 * Turns patches into the smallest text edits on the original text, document by document; bytes outside the edited
 * spans are kept. The result is verified: it must parse, documents without patches must be byte-identical, and the
 * data of every patched document must equal its original data with the applied patches; otherwise a FixError
 * says why (and the caller keeps the original text).
 */
export function fixFileText(text: string, patches: readonly DocumentPatch[], failed = new Set<string>()): FileFix {
  const docs = parseDocuments(text);
  const style = detectStyle(text, docs);
  const rejected: Rejection[] = [];
  const failedBefore = new Set(failed);
  const byDocument = new Map<number, PlannedPatch[]>();
  const appends: { value: unknown; sources: string[] }[] = [];
  for (const { patch, documentIndex, sources } of patches) {
    if (sources.some((source) => failed.has(source))) continue;
    if (patch.op === 'appendDocument') {
      const same = appends.find((a) => isDeepStrictEqual(a.value, patch.value));
      if (same) same.sources.push(...sources);
      else appends.push({ value: patch.value, sources: [...sources] });
      continue;
    }
    byDocument.set(documentIndex, [...(byDocument.get(documentIndex) ?? []), { patch, sources }]);
  }
  const merged = new Map<number, PlannedPatch[]>();
  for (const [index, list] of byDocument) {
    const doc = docs[index];
    if (!doc || doc.errors.length > 0) {
      rejected.push({
        sources: list.flatMap((p) => p.sources),
        reason: `document ${index + 1} cannot be read, so it is not changed`,
      });
      list.forEach((p) => p.sources.forEach((s) => failed.add(s)));
      continue;
    }
    const { patches: kept, conflicts } = mergePatches(list);
    rejected.push(...conflicts);
    for (const conflict of conflicts) for (const source of conflict.sources) failed.add(source);
    merged.set(index, kept);
  }
  // Fixing one document can fail a finding whose patches reach another one (a Namespace's policy, a ServiceAccount): repeat until settled.
  let fixedDocs = new Map<number, { text: string; applied: PlannedPatch[] }>();
  for (let settled = false; !settled;) {
    const failedCount = failed.size;
    fixedDocs = new Map();
    for (const [index, list] of merged) {
      const [start, , end] = docs[index]!.range;
      fixedDocs.set(index, fixDocument(text.slice(start, end), style, list, rejected, failed));
    }
    settled = failed.size === failedCount;
  }
  let out = '';
  let cursor = 0;
  for (const index of [...fixedDocs.keys()].sort((a, b) => a - b)) {
    const [start, , end] = docs[index]!.range;
    out += text.slice(cursor, start) + fixedDocs.get(index)!.text;
    cursor = end;
  }
  out += text.slice(cursor);
  const appended = appends.filter((a) => !a.sources.some((s) => failed.has(s))).map((a) => a.value);
  out = appendDocuments(out, style, isJsonFile(docs), appended);
  verify(
    text,
    out,
    docs,
    new Map([...fixedDocs].map(([index, fixed]) => [index, fixed.applied.map((p) => p.patch)])),
    appended,
  );
  // Findings dropped only because they share a patch with one that failed still need a reason.
  const explained = new Set(rejected.flatMap((r) => r.sources));
  const ours = new Set(patches.flatMap((p) => p.sources));
  const unexplained = [...failed].filter(
    (source) => ours.has(source) && !explained.has(source) && !failedBefore.has(source),
  );
  if (unexplained.length > 0)
    rejected.push({ sources: unexplained, reason: 'its fix shares a change with a fix that could not be made' });
  return { text: out, rejected: dedupe(rejected) };
}

function dedupe(rejected: Rejection[]): Rejection[] {
  const seen = new Map<string, Rejection>();
  for (const r of rejected) {
    const existing = seen.get(r.reason);
    if (existing) existing.sources = [...new Set([...existing.sources, ...r.sources])];
    else seen.set(r.reason, { sources: [...new Set(r.sources)], reason: r.reason });
  }
  return [...seen.values()];
}

function verify(
  before: string,
  after: string,
  docs: readonly Document.Parsed[],
  applied: Map<number, PathPatch[]>,
  appended: readonly unknown[],
): void {
  if (after === before) return;
  const fixedDocs = parseDocuments(after);
  if (fixedDocs.length !== docs.length + appended.length)
    throw new FixError(
      `the fixed text would have ${fixedDocs.length} documents instead of ${docs.length + appended.length}`,
    );
  docs.forEach((doc, index) => {
    const fixed = fixedDocs[index]!;
    const patches = applied.get(index);
    if (!patches || patches.length === 0) {
      const [start, , end] = doc.range;
      const [fixedStart, , fixedEnd] = fixed.range;
      // The last document may gain the line break that precedes an appended document.
      const unchanged =
        after.startsWith(before.slice(start, end), fixedStart) &&
        /^(\r?\n)?$/.test(after.slice(fixedStart + end - start, fixedEnd));
      if (!unchanged) throw new FixError(`document ${index + 1} has nothing to fix but would change`);
      return;
    }
    if (fixed.errors.length > 0)
      throw new FixError(
        `fixing document ${index + 1} would leave it unreadable (${fixed.errors[0]!.message.split('\n')[0]})`,
      );
    const expected = dataOf(doc, `document ${index + 1}`);
    for (const planned of applicationOrder(patches.map((patch) => ({ patch, sources: [] }))))
      applyPatchToData(expected, planned.patch);
    if (!isDeepStrictEqual(dataOf(fixed, `fixed document ${index + 1}`), expected))
      throw new FixError(`fixing document ${index + 1} would change more than the fixes ask for`);
  });
  appended.forEach((value, i) => {
    const fixed = fixedDocs[docs.length + i]!;
    if (fixed.errors.length > 0 || !isDeepStrictEqual(dataOf(fixed, 'a document added by a fix'), value))
      throw new FixError('a document added by a fix would not read back as intended');
  });
}
