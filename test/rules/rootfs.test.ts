import { describe, expect, it } from 'vitest';
import { pod } from '../support/manifests.js';
import { applyPatches, lintWith, summary } from './support.js';

const lint = (text: string) => lintWith('rootfs', text);

describe('rootfs', () => {
  it('reads readOnlyRootFilesystem as Kubernetes does and checks init and ephemeral containers', () => {
    const text = pod(
      [
        '  initContainers:',
        '    - name: init',
        '      securityContext:',
        '        readOnlyRootFilesystem: no',
        '  containers:',
        '    - name: app',
        '      securityContext:',
        '        readOnlyRootFilesystem: On',
        '  ephemeralContainers:',
        '    - name: debug',
        '      image: busybox',
        '',
      ].join('\n'),
    );
    expect(summary(lint(text))).toEqual([
      { code: 'ReadOnlyRootFilesystemFalse', severity: 'error', container: 'init', line: 9 },
      { code: 'ReadOnlyRootFilesystemNil', severity: 'error', container: 'debug', line: 15 },
    ]);
  });

  it('treats a quoted "true" as not set: Kubernetes only accepts a boolean there', () => {
    expect(
      summary(
        lint(pod('  containers:\n    - name: app\n      securityContext:\n        readOnlyRootFilesystem: "true"\n')),
      ),
    ).toEqual([{ code: 'ReadOnlyRootFilesystemNil', severity: 'error', container: 'app', line: 9 }]);
  });

  it('sets readOnlyRootFilesystem to true, which clears the finding, and says how to keep writable paths', () => {
    const text = pod('  containers:\n    - name: app\n      securityContext:\n        readOnlyRootFilesystem: false\n');
    const findings = lint(text);
    expect(findings[0]!.patches.map((p) => p.patch)).toEqual([
      { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem'], value: true },
    ]);
    expect(findings[0]!.details).toMatch(/container "app".*emptyDir/);
    expect(lint(applyPatches(text, findings))).toEqual([]);
  });

  it('lets a pod label allow every container, and reports a pod label nothing needs', () => {
    const labelled = (value: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    ` +
      `kubeaudit.io/allow-read-only-root-filesystem-false: "writes /tmp"\nspec:\n  containers:\n ` +
      `   - name: a\n      securityContext:\n        readOnlyRootFilesystem: ${value}\n`;
    expect(summary(lint(labelled('false')))).toEqual([
      { code: 'ReadOnlyRootFilesystemFalseAllowed', severity: 'info', container: 'a', line: 11 },
    ]);
    expect(lint(labelled('false'))[0]!.patches).toEqual([]);
    expect(summary(lint(labelled('true')))).toEqual([
      { code: 'RedundantAuditorOverride', severity: 'warning', container: 'a', line: 6 },
    ]);
  });
});
