import { describe, expect, it } from 'vitest';
import { pod } from '../support/manifests.js';
import { applyPatches, lintWith, summary } from './support.js';

const lint = (text: string) => lintWith('privesc', text);

describe('privesc', () => {
  it('reads allowPrivilegeEscalation as Kubernetes does (YAML 1.1 booleans) in every kind of container', () => {
    const text = pod(
      [
        '  initContainers:',
        '    - name: init',
        '      securityContext:',
        '        allowPrivilegeEscalation: yes',
        '  containers:',
        '    - name: app',
        '      securityContext:',
        '        allowPrivilegeEscalation: off',
        '    - name: bare',
        '  ephemeralContainers:',
        '    - name: debug',
        '      securityContext: {}',
        '',
      ].join('\n'),
    );
    expect(summary(lint(text))).toEqual([
      { code: 'AllowPrivilegeEscalationTrue', severity: 'error', container: 'init', line: 9 },
      { code: 'AllowPrivilegeEscalationNil', severity: 'error', container: 'bare', line: 14 },
      { code: 'AllowPrivilegeEscalationNil', severity: 'error', container: 'debug', line: 17 },
    ]);
  });

  it('sets allowPrivilegeEscalation to false, which clears the finding', () => {
    const text = pod(
      '  containers:\n    - name: app\n      securityContext:\n        allowPrivilegeEscalation: true\n    - name: other\n',
    );
    const findings = lint(text);
    expect(findings.map((f) => f.patches.map((p) => p.patch))).toEqual([
      [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation'], value: false }],
      [{ op: 'set', path: ['spec', 'containers', 1, 'securityContext', 'allowPrivilegeEscalation'], value: false }],
    ]);
    expect(lint(applyPatches(text, findings))).toEqual([]);
  });

  it('offers no fix that the API server would reject: privileged or CAP_SYS_ADMIN containers always escalate', () => {
    const text = pod(
      [
        '  containers:',
        '    - name: priv',
        '      securityContext:',
        '        privileged: true',
        '    - name: admin',
        '      securityContext:',
        '        capabilities:',
        '          add: [CAP_SYS_ADMIN]',
        '',
      ].join('\n'),
    );
    const findings = lint(text);
    expect(findings.map((f) => [f.code, f.fixable, f.patches])).toEqual([
      ['AllowPrivilegeEscalationNil', false, []],
      ['AllowPrivilegeEscalationNil', false, []],
    ]);
    expect(findings[0]!.details).toMatch(/container "priv".*remove that first/);
  });

  it('honours container and pod override labels, and reports a label nothing needs', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: d',
      'spec:',
      '  template:',
      '    metadata:',
      '      labels:',
      '        container.audit.kubernetes.io/app.allow-privilege-escalation: "needs sudo"',
      '        container.kubeaudit.io/safe.allow-privilege-escalation: ""',
      '    spec:',
      '      containers:',
      '        - name: app',
      '          securityContext:',
      '            allowPrivilegeEscalation: true',
      '        - name: safe',
      '          securityContext:',
      '            allowPrivilegeEscalation: false',
      '',
    ].join('\n');
    const findings = lint(text);
    expect(summary(findings)).toEqual([
      { code: 'RedundantAuditorOverride', severity: 'warning', container: 'safe', line: 10 },
      { code: 'AllowPrivilegeEscalationTrueAllowed', severity: 'info', container: 'app', line: 15 },
    ]);
    expect(findings[1]!.override).toEqual({
      label: 'container.audit.kubernetes.io/app.allow-privilege-escalation',
      reason: 'needs sudo',
    });
  });
});
