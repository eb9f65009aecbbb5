import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/index.js';
import { pod } from '../support/manifests.js';
import { applyPatches, lintWith, summary } from './support.js';

const lint = (text: string, options: Record<string, unknown> = {}) => lintWith('capabilities', text, options);

/** A Pod with one container `app` whose capabilities block is `body` (indented under `capabilities:`). */
const withCapabilities = (body: string, labels = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ` +
  `p\n${labels ? `  labels:\n${labels}` : ''}spec:\n  containers:\n    - name: app\n      ` +
  `securityContext:\n        capabilities:\n${body}`;

describe('capabilities', () => {
  it('reports a missing capabilities block in every kind of container, at the closest node there is', () => {
    const text = pod(
      [
        '  initContainers:',
        '    - name: init',
        '      securityContext:',
        '        runAsNonRoot: true',
        '  containers:',
        '    - name: app',
        '  ephemeralContainers:',
        '    - name: debug',
        '      securityContext:',
        '        capabilities:',
        '',
      ].join('\n'),
    );
    expect(summary(lint(text))).toEqual([
      { code: 'CapabilityOrSecurityContextMissing', severity: 'error', container: 'init', line: 8 },
      { code: 'CapabilityOrSecurityContextMissing', severity: 'error', container: 'app', line: 11 },
      { code: 'CapabilityOrSecurityContextMissing', severity: 'error', container: 'debug', line: 15 },
    ]);
  });

  it('points CapabilityAdded at the added entry and CapabilityShouldDropAll at the drop key', () => {
    const findings = lint(
      withCapabilities(
        '          add:\n            - CHOWN\n            - NET_ADMIN\n          drop:\n            - KILL\n',
      ),
    );
    expect(summary(findings)).toEqual([
      { code: 'CapabilityAdded', severity: 'error', container: 'app', line: 11 },
      { code: 'CapabilityAdded', severity: 'error', container: 'app', line: 12 },
      { code: 'CapabilityShouldDropAll', severity: 'error', container: 'app', line: 13 },
    ]);
    expect(findings[1]!.details).toContain('container.kubeaudit.io/app.allow-capability-net-admin');
    expect(findings[1]!.metadata).toEqual({ Container: 'app', Metadata: 'NET_ADMIN' });
  });

  it('accepts ALL in the drop list in any case, as container runtimes and kubeaudit do', () => {
    expect(lint(withCapabilities('          drop: [all]\n'))).toEqual([]);
    expect(lint(withCapabilities('          drop: [KILL, All]\n'))).toEqual([]);
  });

  it('reports a lowercase all in the add list, which kubeaudit lets through', () => {
    const findings = lint(withCapabilities('          add: [all]\n          drop: [ALL]\n'));
    expect(summary(findings)).toEqual([{ code: 'CapabilityAdded', severity: 'error', container: 'app', line: 10 }]);
    const allowed = lint(
      withCapabilities(
        '          add: [all]\n          drop: [ALL]\n',
        '    kubeaudit.io/allow-capability-all: "debug image"\n',
      ),
    );
    expect(allowed.map((f) => f.code)).toEqual(['CapabilityAddedAllowed']);
  });

  it('reports a capability listed twice once', () => {
    expect(
      lint(withCapabilities('          add: [NET_RAW, NET_RAW]\n          drop: [ALL]\n')).map((f) => f.code),
    ).toEqual(['CapabilityAdded']);
  });

  it('declares allowAddList with a schema and an empty default', () => {
    const option = RULES.find((rule) => rule.meta.id === 'capabilities')!.meta.options!.allowAddList!;
    expect(option.default).toEqual([]);
    expect(option.schema).toEqual({ type: 'array', items: { type: 'string' } });
  });

  it('lets allowAddList allow capabilities by exact name, and ALL in any case', () => {
    const text = withCapabilities('          add: [NET_BIND_SERVICE, net_bind_service, all]\n          drop: [ALL]\n');
    expect(lint(text).map((f) => f.metadata.Metadata)).toEqual(['NET_BIND_SERVICE', 'net_bind_service', 'all']);
    expect(lint(text, { allowAddList: ['NET_BIND_SERVICE'] }).map((f) => f.metadata.Metadata)).toEqual([
      'net_bind_service',
      'all',
    ]);
    expect(lint(text, { allowAddList: ['NET_BIND_SERVICE', 'ALL'] }).map((f) => f.metadata.Metadata)).toEqual([
      'net_bind_service',
    ]);
  });

  it('allows a capability by container or pod label, in every label form, per capability', () => {
    const body = '          add: [SYS_TIME, SYS_MODULE]\n          drop: [ALL]\n';
    for (const label of [
      'container.kubeaudit.io/app.allow-capability-sys-time',
      'container.audit.kubernetes.io/app.allow-capability-sys-time',
      'kubeaudit.io/allow-capability-sys-time',
      'audit.kubernetes.io/pod.allow-capability-sys-time',
    ]) {
      const findings = lint(withCapabilities(body, `    ${label}: "ntp"\n`));
      expect(
        findings.map((f) => [f.code, f.metadata.Metadata]),
        label,
      ).toEqual([
        ['CapabilityAddedAllowed', 'SYS_TIME'],
        ['CapabilityAdded', 'SYS_MODULE'],
      ]);
    }
  });

  it('reports RedundantAuditorOverride only where kubeaudit does: allow-capability-all on a container without capabilities', () => {
    const labels = '    kubeaudit.io/allow-capability-all: "x"\n    kubeaudit.io/allow-capability-chown: "x"\n';
    const missing = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n${labels}spec:\n  containers:\n    - name: app\n`;
    expect(summary(lint(missing))).toEqual([
      { code: 'RedundantAuditorOverride', severity: 'warning', container: 'app', line: 6 },
      { code: 'CapabilityOrSecurityContextMissing', severity: 'error', container: 'app', line: 10 },
    ]);
    expect(lint(missing, { allowAddList: ['ALL'] }).map((f) => f.code)).toEqual(['CapabilityOrSecurityContextMissing']);
    expect(lint(withCapabilities('          drop: [ALL]\n', labels))).toEqual([]);
  });

  it('fixes as kubeaudit does: drop [ALL], remove each added capability; the result is clean', () => {
    const text = withCapabilities('          add: [CHOWN, NET_BIND_SERVICE]\n          drop: [KILL]\n');
    const findings = lint(text, { allowAddList: ['NET_BIND_SERVICE'] });
    const capabilities = ['spec', 'containers', 0, 'securityContext', 'capabilities'];
    expect(findings.flatMap((f) => f.patches.map((p) => p.patch))).toEqual([
      { op: 'removeFromList', path: [...capabilities, 'add'], value: 'CHOWN' },
      { op: 'set', path: [...capabilities, 'drop'], value: ['ALL'] },
    ]);
    const fixed = applyPatches(text, findings);
    expect(lint(fixed, { allowAddList: ['NET_BIND_SERVICE'] })).toEqual([]);
    // The fix engine keeps the lists' flow style.
    expect(fixed).toContain('          add: [NET_BIND_SERVICE]\n          drop: [ALL]\n');
  });

  it('creates the capabilities block where it is missing', () => {
    const text = pod('  containers:\n    - name: app\n      image: nginx\n');
    const findings = lint(text);
    expect(findings[0]!.patches.map((p) => p.patch)).toEqual([
      { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'], value: ['ALL'] },
    ]);
    expect(lint(applyPatches(text, findings))).toEqual([]);
  });
});
