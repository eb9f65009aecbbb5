import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES, lintText } from '../../src/index.js';
import { CONFORMANCE_DIR, loadConformance } from '../support/conformance.js';

const data = loadConformance();
const implemented = new Set(RULES.map((rule) => rule.meta.id));

/** kubeaudit's audit cases, run for every auditor kubemend implements. */
const selected = data.cases.filter((c) => c.auditors.every((a) => implemented.has(a)));

describe('kubeaudit conformance: audit cases', () => {
  it('selects cases for every implemented rule', () => {
    for (const id of implemented) expect(selected.some((c) => c.auditors.includes(id)), id).toBe(true);
  });

  it.each(selected.map((c) => [c.id, c] as const))('%s', (_, c) => {
    const text = readFileSync(path.join(CONFORMANCE_DIR, c.fixture), 'utf8');
    const rules = RULES.filter((rule) => c.auditors.includes(rule.meta.id));
    const result = lintText(c.fixture, text, { rules });
    expect(result.errors).toEqual([]);
    expect([...new Set(result.findings.map((f) => f.code))].sort()).toEqual(c.expectedCodes);
  });

  it('declares every kubeaudit code of an implemented rule with kubeaudit\'s severity', () => {
    for (const rule of RULES) {
      const expected = Object.entries(data.codes).filter(([, code]) => code.auditor === rule.meta.id);
      if (expected.length === 0) continue;
      expect(Object.keys(rule.meta.codes).sort()).toEqual(expected.map(([name]) => name).sort());
      for (const [name, code] of expected) expect(rule.meta.codes[name]!.severity, name).toBe(code.severity);
    }
  });
});
