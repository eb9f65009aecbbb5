import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES, lintText } from '../../src/index.js';
import { AUDIT_DIVERGENCES, CONFORMANCE_DIR, loadConformance } from '../support/conformance.js';

const data = loadConformance();
const implemented = new Set(RULES.map((rule) => rule.meta.id));

/** kubeaudit's audit cases, run for every auditor kubemend implements. */
const selected = data.cases.filter((c) => c.auditors.every((a) => implemented.has(a)));

describe('kubeaudit conformance: audit cases', () => {
  it('selects cases for every implemented rule', () => {
    for (const id of implemented)
      expect(
        selected.some((c) => c.auditors.includes(id)),
        id,
      ).toBe(true);
  });

  it.each(selected.map((c) => [c.id, c] as const))('%s', (_, c) => {
    const text = readFileSync(path.join(CONFORMANCE_DIR, c.fixture), 'utf8');
    const rules = RULES.filter((rule) => c.auditors.includes(rule.meta.id));
    const result = lintText(c.fixture, text, { rules, ruleOptions: c.config ?? undefined });
    expect(result.errors).toEqual([]);
    expect([...new Set(result.findings.map((f) => f.code))].sort()).toEqual(
      AUDIT_DIVERGENCES[c.id]?.expectedCodes ?? c.expectedCodes,
    );
    // deprecatedapis cases pin the one finding's severity, message and metadata too. kubeaudit's message is the
    // finding's details (what kubemend's kubeaudit formats print); its short message is kubemend's own.
    if (c.expectedFindings) {
      const findings = result.findings.map(({ code, severity, details, metadata }) => ({
        code,
        severity,
        message: details,
        metadata,
      }));
      expect(findings).toEqual(c.expectedFindings);
    }
  });

  it('lists only divergences that are real cases and really differ from kubeaudit', () => {
    for (const [id, divergence] of Object.entries(AUDIT_DIVERGENCES)) {
      const c = data.cases.find((entry) => entry.id === id);
      expect(c, id).toBeDefined();
      expect(divergence.expectedCodes, id).not.toEqual(c!.expectedCodes);
    }
  });

  it("declares every kubeaudit code of an implemented rule with kubeaudit's severity", () => {
    for (const rule of RULES) {
      const expected = Object.entries(data.codes).filter(([, code]) => code.auditor === rule.meta.id);
      if (expected.length === 0) continue;
      expect(Object.keys(rule.meta.codes).sort()).toEqual(expected.map(([name]) => name).sort());
      // `error|warning` (RunAsUserPSCRoot): the severity depends on the case; the declared default must be one of them.
      for (const [name, code] of expected)
        expect(code.severity.split('|'), name).toContain(rule.meta.codes[name]!.severity);
    }
  });
});
