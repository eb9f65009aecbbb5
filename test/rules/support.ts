import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'yaml';
import { expect } from 'vitest';
import { RULES, lintText, type Finding } from '../../src/index.js';

type Node = Record<string | number, unknown>;

function parentOf(root: Node, path: readonly (string | number)[], create: boolean): Node | undefined {
  let node: Node | undefined = root;
  for (const key of path.slice(0, -1)) {
    if (node === undefined) return undefined;
    if ((node[key] === undefined || node[key] === null) && create) node[key] = {};
    node = node[key] as Node | undefined;
  }
  return node;
}

/**
 * The manifest's data once the patches of `findings` are applied, written back as YAML. It checks what a rule's
 * patches mean (set, delete, removeFromList on one document); editing the original text is the fix engine's job.
 */
export function applyPatches(text: string, findings: readonly Finding[]): string {
  const data = parse(text) as Node;
  for (const { patch } of findings.flatMap((finding) => finding.patches)) {
    if (patch.op !== 'set' && patch.op !== 'delete' && patch.op !== 'removeFromList') throw new Error(`${patch.op} is not supported here`);
    const key = patch.path[patch.path.length - 1]!;
    const parent = parentOf(data, patch.path, patch.op === 'set');
    if (patch.op === 'set') parent![key] = patch.value;
    else if (patch.op === 'delete' && parent) delete parent[key];
    else if (patch.op === 'removeFromList' && parent && Array.isArray(parent[key])) {
      parent[key] = (parent[key] as unknown[]).filter((item) => !isDeepStrictEqual(item, patch.value));
    }
  }
  return stringify(data);
}

/** Lints `text` with one rule only, as `kubemend --rule <id>` would. */
export function lintWith(id: string, text: string, options: Record<string, unknown> = {}): Finding[] {
  const rules = RULES.filter((rule) => rule.meta.id === id);
  const result = lintText('t.yaml', text, { rules, ruleOptions: { [id]: options } });
  expect(result.errors).toEqual([]);
  return result.findings;
}

/** What most assertions compare: code, severity, container and line of each finding, in order. */
export function summary(findings: readonly Finding[]) {
  return findings.map((f) => ({ code: f.code, severity: f.severity, container: f.container, line: f.line }));
}
