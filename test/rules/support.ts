import { expect } from 'vitest';
import { RULES, lintText, type Finding } from '../../src/index.js';
import { applyFindingFixes } from '../support/apply-patches.js';

/** `text` after the fix engine applies the patches of `findings` (to the file `t.yaml` they were found in). */
export function applyPatches(text: string, findings: readonly Finding[]): string {
  return applyFindingFixes({ 't.yaml': text }, findings)['t.yaml']!;
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
