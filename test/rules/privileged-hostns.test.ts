import { describe, expect, it } from 'vitest';
import { RULES, lintText } from '../../src/index.js';
import { pod } from '../support/manifests.js';

/** The two rules these tests are about, so other rules' findings stay out of the expectations. */
const rules = RULES.filter((rule) => rule.meta.id === 'privileged' || rule.meta.id === 'hostns');

function findings(text: string) {
  return lintText('t.yaml', text, { rules }).findings.map((f) => ({
    code: f.code,
    severity: f.severity,
    container: f.container,
    line: f.line,
  }));
}

describe('privileged', () => {
  it('reports privileged: true as an error and a missing field as a warning, per container of every role', () => {
    const text = pod(
      [
        '  initContainers:',
        '    - name: init',
        '      securityContext:',
        '        privileged: true',
        '  containers:',
        '    - name: app',
        '    - name: ok',
        '      securityContext:',
        '        privileged: false',
        '  ephemeralContainers:',
        '    - name: debug',
        '      securityContext:',
        '        privileged: true',
        '',
      ].join('\n'),
    );
    expect(findings(text)).toEqual([
      { code: 'PrivilegedTrue', severity: 'error', container: 'init', line: 9 },
      { code: 'PrivilegedNil', severity: 'warning', container: 'app', line: 11 },
      { code: 'PrivilegedTrue', severity: 'error', container: 'debug', line: 18 },
    ]);
  });

  it('says which container and what to do', () => {
    const [finding] = lintText(
      't.yaml',
      pod('  containers:\n    - name: web\n      securityContext:\n        privileged: true\n'),
      { rules },
    ).findings;
    expect(finding!.details).toMatch(/container "web"/);
    expect(finding!.details).toMatch(/privileged to false/);
  });
});

describe('hostns', () => {
  it('reports each host namespace that is shared, at the pod spec field', () => {
    const text = pod('  hostNetwork: true\n  hostPID: on\n  hostIPC: true\n  containers: []\n');
    expect(findings(text)).toEqual([
      { code: 'NamespaceHostNetworkTrue', severity: 'error', container: null, line: 6 },
      { code: 'NamespaceHostPIDTrue', severity: 'error', container: null, line: 7 },
      { code: 'NamespaceHostIPCTrue', severity: 'error', container: null, line: 8 },
    ]);
  });

  it('is quiet when the namespaces are not shared', () => {
    expect(findings(pod('  hostNetwork: false\n  hostPID: no\n  containers: []\n'))).toEqual([]);
  });

  it('audits a batch/v1 CronJob, which kubeaudit skipped', () => {
    const text =
      `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    ` +
      `spec:\n      template:\n        spec:\n          hostNetwork: true\n          containers: []\n`;
    expect(findings(text)).toEqual([
      { code: 'NamespaceHostNetworkTrue', severity: 'error', container: null, line: 10 },
    ]);
  });
});
