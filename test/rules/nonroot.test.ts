import { describe, expect, it } from 'vitest';
import { pod } from '../support/manifests.js';
import { applyPatches, lintWith, summary } from './support.js';

const lint = (text: string) => lintWith('nonroot', text);

/** A Pod whose pod-level securityContext is `podContext` and whose containers are `containers` (YAML lines under `containers:`). */
const withContexts = (podContext: string, containers: string[], labels = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ` +
  `p\n${labels ? `  labels:\n${labels}` : ''}spec:\n  securityContext:\n${podContext}  containers:\n${containers.join('')}`;

describe('nonroot', () => {
  it('reads runAsUser and runAsNonRoot as Kubernetes does (octal, YAML 1.1 booleans)', () => {
    const text = pod(
      [
        '  securityContext:',
        '    runAsNonRoot: yes',
        '  containers:',
        '    - name: octal-root',
        '      securityContext:',
        '        runAsUser: 00',
        '    - name: off',
        '      securityContext:',
        '        runAsNonRoot: off',
        '    - name: inherits',
        '',
      ].join('\n'),
    );
    expect(summary(lint(text))).toEqual([
      { code: 'RunAsUserCSCRoot', severity: 'error', container: 'octal-root', line: 11 },
      { code: 'RunAsNonRootCSCFalse', severity: 'error', container: 'off', line: 14 },
    ]);
  });

  it('audits init and ephemeral containers too', () => {
    const text = pod(
      '  initContainers:\n    - name: init\n  containers: []\n  ephemeralContainers:\n    - name: debug\n',
    );
    expect(summary(lint(text))).toEqual([
      { code: 'RunAsNonRootPSCNilCSCNil', severity: 'error', container: 'init', line: 7 },
      { code: 'RunAsNonRootPSCNilCSCNil', severity: 'error', container: 'debug', line: 10 },
    ]);
  });

  it('points RunAsNonRootPSCFalseCSCNil at the pod setting that lets the container run as root', () => {
    const text = withContexts('    runAsNonRoot: false\n', ['    - name: app\n']);
    expect(summary(lint(text))).toEqual([
      { code: 'RunAsNonRootPSCFalseCSCNil', severity: 'error', container: 'app', line: 7 },
    ]);
    expect(lint(applyPatches(text, lint(text)))).toEqual([]);
  });

  it('makes RunAsUserPSCRoot a warning for a container with its own non-root runAsUser, an error for one that inherits 0', () => {
    const text = withContexts('    runAsUser: 0\n', [
      '    - name: own\n      securityContext:\n        runAsUser: 1000\n',
      '    - name: inherits\n',
    ]);
    const findings = lint(text);
    expect(summary(findings)).toEqual([
      { code: 'RunAsUserPSCRoot', severity: 'error', container: 'inherits', line: 7 },
      { code: 'RunAsUserPSCRoot', severity: 'warning', container: 'own', line: 7 },
    ]);
    expect(findings[0]!.details).toMatch(/container "inherits" runs as root: it inherits runAsUser 0 from the pod/);
  });

  it('fixes RunAsUserPSCRoot so that the pod can start and passes: runAsNonRoot on the container, no runAsUser 0 on the pod', () => {
    const text = withContexts('    runAsUser: 0\n', ['    - name: app\n']);
    const findings = lint(text);
    expect(findings[0]!.patches.map((p) => p.patch)).toEqual([
      { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'runAsNonRoot'], value: true },
      { op: 'delete', path: ['spec', 'securityContext', 'runAsUser'] },
    ]);
    expect(lint(applyPatches(text, findings))).toEqual([]);
  });

  it('fixes the warning case by removing the pod runAsUser 0 that no container needs', () => {
    const text = withContexts('    runAsUser: 0\n', [
      '    - name: app\n      securityContext:\n        runAsUser: 1000\n',
    ]);
    const findings = lint(text);
    expect(findings[0]!.patches.map((p) => p.patch)).toEqual([
      { op: 'delete', path: ['spec', 'securityContext', 'runAsUser'] },
    ]);
    expect(lint(applyPatches(text, findings))).toEqual([]);
  });

  it('keeps root for a container whose label allows it when the pod runAsUser 0 is removed', () => {
    const text = withContexts(
      '    runAsUser: 0\n',
      ['    - name: app\n', '    - name: agent\n'],
      '    container.kubeaudit.io/agent.allow-run-as-root: "reads host logs"\n',
    );
    const findings = lint(text);
    expect(findings.map((f) => [f.code, f.container])).toEqual([
      ['RunAsUserPSCRoot', 'app'],
      ['RunAsUserPSCRootAllowed', 'agent'],
    ]);
    expect(findings[0]!.patches.map((p) => p.patch)).toContainEqual({
      op: 'set',
      path: ['spec', 'containers', 1, 'securityContext', 'runAsUser'],
      value: 0,
    });
    expect(lint(applyPatches(text, findings)).map((f) => [f.code, f.container])).toEqual([
      ['RunAsUserCSCRootAllowed', 'agent'],
    ]);
  });

  it('fixes RunAsUserCSCRoot as kubeaudit does, and also the pod runAsUser 0 the container would otherwise inherit', () => {
    const podRoot = withContexts('    runAsUser: 0\n', [
      '    - name: app\n      securityContext:\n        runAsUser: 0\n',
    ]);
    const findings = lint(podRoot);
    expect(summary(findings)).toEqual([{ code: 'RunAsUserCSCRoot', severity: 'error', container: 'app', line: 11 }]);
    expect(findings[0]!.patches.map((p) => p.patch)).toEqual([
      { op: 'delete', path: ['spec', 'containers', 0, 'securityContext', 'runAsUser'] },
      { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'runAsNonRoot'], value: true },
      { op: 'delete', path: ['spec', 'securityContext', 'runAsUser'] },
    ]);
    expect(lint(applyPatches(podRoot, findings))).toEqual([]);

    const podUser = withContexts('    runAsUser: 1000\n', [
      '    - name: app\n      securityContext:\n        runAsUser: 0\n',
    ]);
    expect(lint(podUser)[0]!.patches).toHaveLength(2);
    expect(lint(applyPatches(podUser, lint(podUser)))).toEqual([]);
  });

  it('lets a runAsUser decide alone, whatever runAsNonRoot says', () => {
    expect(
      lint(
        withContexts('    runAsNonRoot: false\n', [
          '    - name: app\n      securityContext:\n        runAsUser: 1\n        runAsNonRoot: false\n',
        ]),
      ),
    ).toEqual([]);
    expect(lint(withContexts('    runAsUser: 1\n    runAsNonRoot: false\n', ['    - name: app\n']))).toEqual([]);
  });

  it('honours the deprecated pod label and reports a container label nothing needs', () => {
    const labels = '    audit.kubernetes.io/pod.allow-run-as-root: ""\n';
    expect(summary(lint(withContexts('    runAsNonRoot: false\n', ['    - name: app\n'], labels)))).toEqual([
      { code: 'RunAsNonRootPSCFalseCSCNilAllowed', severity: 'info', container: 'app', line: 9 },
    ]);
    const redundant = withContexts(
      '    runAsNonRoot: true\n',
      ['    - name: app\n'],
      '    container.kubeaudit.io/app.allow-run-as-root: "x"\n',
    );
    expect(summary(lint(redundant))).toEqual([
      { code: 'RedundantAuditorOverride', severity: 'warning', container: 'app', line: 6 },
    ]);
  });
});
