import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import type { Finding } from '../../src/index.js';

/*
 * What findings' patches mean, applied to the documents' data rather than their text: lets rule tests check that a
 * fix clears its finding (re-lint the result) without depending on the fix engine's text edits.
 */

type Container = Record<string, unknown> | unknown[];

function step(container: Container, segment: string | number, create: boolean): unknown {
  const record = container as Record<string | number, unknown>;
  if (record[segment] === undefined || record[segment] === null) {
    if (!create) return undefined;
    record[segment] = {};
  }
  return record[segment];
}

function parentOf(root: unknown, path: readonly (string | number)[], create: boolean): Container | undefined {
  let current = root;
  for (const segment of path.slice(0, -1)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = step(current as Container, segment, create);
  }
  return typeof current === 'object' && current !== null ? (current as Container) : undefined;
}

/** The files (name → text) after applying every patch of `findings`, as YAML 1.1 so strings like `yes` stay strings. */
export function applyPatchesToData(files: Readonly<Record<string, string>>, findings: readonly Finding[]): Record<string, string> {
  const docs = new Map(Object.entries(files).map(([file, text]) => [file, parseAllDocuments(text).map((doc) => doc.toJS() as unknown)]));
  for (const { target, patch } of findings.flatMap((finding) => finding.patches)) {
    const fileDocs = docs.get(target.file);
    if (!fileDocs) throw new Error(`a patch targets ${target.file}, which is not among the files`);
    if (patch.op === 'appendDocument') {
      fileDocs.push(structuredClone(patch.value));
      continue;
    }
    const key = patch.path[patch.path.length - 1]!;
    const parent = parentOf(fileDocs[target.documentIndex], patch.path, patch.op !== 'delete' && patch.op !== 'removeFromList');
    if (!parent) continue;
    const record = parent as Record<string | number, unknown>;
    if (patch.op === 'set') record[key] = structuredClone(patch.value);
    else if (patch.op === 'delete') Array.isArray(parent) ? parent.splice(key as number, 1) : delete record[key];
    else {
      const list = Array.isArray(record[key]) ? (record[key] as unknown[]) : [];
      const kept = list.filter((item) => !isDeepStrictEqual(item, patch.value));
      record[key] = patch.op === 'addToList' ? [...list, ...(kept.length === list.length ? [patch.value] : [])] : kept;
    }
  }
  return Object.fromEntries([...docs].map(([file, values]) => [file, values.map((value) => stringify(value, { version: '1.1' })).join('---\n')]));
}
