import type { Log, Result } from 'sarif';
import { expect } from 'vitest';
import { ENGINE_RULES, RULES } from '../../src/index.js';

export function uriOf(result: Result): string {
  return result.locations![0]!.physicalLocation!.artifactLocation!.uri!;
}

/**
 * What GitHub code scanning needs of kubemend's SARIF for a folder of real manifests: every rule declared with its
 * help and severity, results located, fixes with replacements, and no two alerts sharing a fingerprint.
 */
export function expectSarifForGitHub(log: Log): void {
  const run = log.runs[0]!;
  // The default profile: kubeaudit's rules and the rule about suppressions.
  const ruleCodes = [...RULES, ...ENGINE_RULES].flatMap((rule) => Object.keys(rule.meta.codes));
  const codes = [...ruleCodes, 'RedundantAuditorOverride', 'ManifestParseError'];
  expect(run.tool.driver.rules!.map((rule) => rule.id)).toEqual(codes);
  for (const rule of run.tool.driver.rules!) {
    expect(rule.help?.text, rule.id).toBeTruthy();
    expect(rule.help?.markdown, rule.id).toBeTruthy();
    expect(rule.helpUri, rule.id).toMatch(/^https:\/\//);
    expect(Number(rule.properties!['security-severity']), rule.id).toBeGreaterThan(0);
  }
  const results = run.results!;
  expect(results.length).toBeGreaterThan(0);
  const fixed = results.filter((result) => result.fixes);
  expect(fixed.length).toBeGreaterThan(0);
  for (const { fixes } of fixed) {
    const replacements = fixes!.flatMap((fix) => fix.artifactChanges.flatMap((change) => change.replacements));
    expect(replacements.length).toBeGreaterThan(0);
  }
  const keys = new Set<string>();
  for (const result of results) {
    const region = result.locations![0]!.physicalLocation!.region!;
    expect(region.startLine).toBeGreaterThanOrEqual(1);
    expect(region.startColumn).toBeGreaterThanOrEqual(1);
    const fingerprints = result.partialFingerprints!;
    for (const fingerprint of [fingerprints.primaryLocationLineHash!, fingerprints['kubemend/v1']!]) {
      const key = JSON.stringify([result.ruleId, uriOf(result), fingerprint]);
      expect(keys.has(key), key).toBe(false);
      keys.add(key);
    }
  }
}
