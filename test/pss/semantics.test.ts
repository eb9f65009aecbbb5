import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/index.js';
import { compliantContainer, lintProfile, yamlOf } from './support.js';

const RESTRICTED = { profile: 'pss-restricted' } as const;

describe('what the API server does before admission', () => {
  it('gives a port of a pod on the host network a hostPort, which pss/hostPorts reports with pss/hostNamespaces', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        hostNetwork: true,
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ ...compliantContainer('app'), ports: [{ containerPort: 9100 }] }],
      },
    };
    const findings = lintProfile(yamlOf([pod]), RESTRICTED).findings;
    expect(findings.map((finding) => [finding.rule, finding.line])).toEqual([
      ['pss/hostNamespaces', 6],
      ['pss/hostPorts', 20],
    ]);
    expect(findings[1]!.details).toContain('hostNetwork: true, where Kubernetes sets hostPort to the containerPort');
  });
});

describe('where findings point', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: d}',
    'spec:',
    '  template:',
    '    spec:',
    '      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}',
    '      containers:',
    '        - name: app',
    '          image: registry.example/app:1.0',
    '          securityContext:',
    '            allowPrivilegeEscalation: false',
    '            capabilities: {drop: [ALL], add: [SYS_TIME]}',
    '        - name: bare',
    '          image: registry.example/bare:1.0',
    '',
  ].join('\n');

  it('at the offending value, or at the nearest node where a missing field belongs', () => {
    const findings = lintProfile(text, RESTRICTED).findings;
    expect(findings.map((finding) => [finding.code, finding.container, finding.line, finding.column])).toEqual([
      ['PssCapabilityAdded', 'app', 13, 47],
      ['PssAllowPrivilegeEscalation', 'bare', 14, 11],
      ['PssCapabilitiesNotDropped', 'bare', 14, 11],
    ]);
  });

  it("not at all without a pss profile: kubeaudit's rules run by default", () => {
    expect(lintText('d.yaml', text).findings.every((finding) => !finding.rule.startsWith('pss/'))).toBe(true);
  });
});
