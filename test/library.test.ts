import { describe, expect, it } from 'vitest';
import { PSS_RULES, RULES, fixTexts, lintText } from '../src/index.js';

/** A pod that kubeaudit's rules and the Pod Security Standards both flag, with an unused suppression comment. */
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: registry.example/app:1.0
      securityContext:
        privileged: true # kubemend-disable-line rootfs -- not needed here
`;

function rulesOf(findings: readonly { rule: string }[]): string[] {
  return [...new Set(findings.map((finding) => finding.rule))].sort();
}

describe('the library runs a profile unless told which rules', () => {
  it('lintText runs the default profile: kubeaudit rules and the suppressions rule, no pss rule', () => {
    const rules = rulesOf(lintText('pod.yaml', POD).findings);
    expect(rules).toContain('privileged');
    expect(rules).toContain('suppressions');
    expect(rules.filter((rule) => rule.startsWith('pss/'))).toEqual([]);
  });

  it('lintText runs the profile it is given, at the version it is given', () => {
    const findings = lintText('pod.yaml', POD, { profile: 'pss-baseline', pssVersion: 'v1.30' }).findings;
    expect(rulesOf(findings)).toEqual(['pss/privileged']);
    expect(findings.find((finding) => finding.rule === 'pss/privileged')?.message).toContain('baseline:v1.30');
  });

  it('lintText runs exactly the rules it is given', () => {
    const privileged = RULES.filter((rule) => rule.meta.id === 'privileged');
    expect(rulesOf(lintText('pod.yaml', POD, { rules: privileged }).findings)).toEqual(['privileged']);
    const pss = PSS_RULES.filter((rule) => rule.meta.id === 'pss/privileged');
    expect(rulesOf(lintText('pod.yaml', POD, { rules: pss }).findings)).toEqual(['pss/privileged']);
  });

  it('fixTexts fixes with the chosen profile', () => {
    const { files } = fixTexts([{ file: 'pod.yaml', text: POD }], [], { profile: 'pss-restricted' });
    expect(files[0]!.after).toContain('privileged: false');
    expect(files[0]!.after).toContain('runAsNonRoot: true');
  });
});
