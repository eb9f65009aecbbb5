import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/index.js';
import { lintWith, summary } from './support.js';

const lint = (text: string, options: Record<string, unknown> = {}) => lintWith('mounts', text, options);

/** A Pod whose container `app` mounts volume `host` from `hostPath`, with optional pod labels. */
function mounting(hostPath: string, labels = ''): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    ...(labels ? ['  labels:', `    ${labels}`] : []),
    'spec:',
    '  containers:',
    '    - name: app',
    '      volumeMounts:',
    '        - mountPath: /host',
    '          name: host',
    '  volumes:',
    '    - name: host',
    '      hostPath:',
    `        path: ${hostPath}`,
    '',
  ].join('\n');
}

const exposed = (hostPath: string, options: Record<string, unknown> = {}) =>
  lint(mounting(hostPath), options).map((f) => f.code);

describe('mounts: which host paths are sensitive', () => {
  it('normalises the host path before comparing: trailing slashes, doubled slashes and dots', () => {
    for (const hostPath of ['/proc/', '//etc', '/etc/.', '/var/lib/../run/docker.sock', "'/root//'"]) {
      expect(exposed(hostPath), hostPath).toEqual(['SensitivePathsMounted']);
    }
  });

  it('counts a directory above a denied path, which exposes it, and names what it contains', () => {
    for (const hostPath of ['/var/run', '/var', '/run/containerd', '/home'])
      expect(exposed(hostPath), hostPath).toEqual(['SensitivePathsMounted']);
    const [finding] = lint(mounting('/var/run/'));
    expect(finding!.details).toContain(
      'mounts the host path /var/run/, which contains /var/run/docker.sock (volume "host") at /host',
    );
  });

  it('does not count a path below a denied one, or beside it', () => {
    for (const hostPath of ['/etc/ssl/certs', '/proc/sys', '/var/log', '/var/run-other', '/etcetera', 'etc'])
      expect(exposed(hostPath), hostPath).toEqual([]);
  });

  it('takes denyPathsList from the options, instead of the default list, normalising its entries too', () => {
    expect(exposed('/proc', { denyPathsList: ['/data/secrets/'] })).toEqual([]);
    expect(exposed('/data/secrets', { denyPathsList: ['/data/secrets/'] })).toEqual(['SensitivePathsMounted']);
    expect(exposed('/data', { denyPathsList: ['//data/secrets'] })).toEqual(['SensitivePathsMounted']);
  });

  it("declares denyPathsList with a schema and kubeaudit's default list", () => {
    const option = RULES.find((rule) => rule.meta.id === 'mounts')!.meta.options!.denyPathsList!;
    expect(option.schema).toEqual({ type: 'array', items: { type: 'string' } });
    expect(option.default).toEqual([
      '/proc',
      '/var/run/docker.sock',
      '/',
      '/etc',
      '/root',
      '/var/run/crio/crio.sock',
      '/run/containerd/containerd.sock',
      '/home/admin',
      '/var/lib/kubelet',
      '/var/lib/kubelet/pki',
      '/etc/kubernetes',
      '/etc/kubernetes/manifests',
    ]);
  });
});

describe('mounts: containers and mounts', () => {
  it('reports every mount of a sensitive volume, in containers of every role, and nothing for an unmounted one', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata:',
      '  name: agent',
      'spec:',
      '  template:',
      '    spec:',
      '      initContainers:',
      '        - name: init',
      '          volumeMounts:',
      '            - {name: sock, mountPath: /sock, readOnly: yes}',
      '      containers:',
      '        - name: app',
      '          volumeMounts:',
      '            - name: logs',
      '              mountPath: /logs',
      '            - name: sock',
      '              mountPath: /var/run/docker.sock',
      '      ephemeralContainers:',
      '        - name: debug',
      '          volumeMounts:',
      '            - name: sock',
      '              mountPath: /s',
      '      volumes:',
      '        - name: logs',
      '          hostPath: {path: /var/log}',
      '        - name: sock',
      '          hostPath: {path: /var/run/docker.sock, type: Socket}',
      '        - name: kubelet',
      '          hostPath: {path: /var/lib/kubelet}',
      '',
    ].join('\n');
    const findings = lint(text);
    expect(summary(findings)).toEqual([
      { code: 'SensitivePathsMounted', severity: 'error', container: 'init', line: 11 },
      { code: 'SensitivePathsMounted', severity: 'error', container: 'app', line: 17 },
      { code: 'SensitivePathsMounted', severity: 'error', container: 'debug', line: 22 },
    ]);
    expect(findings[0]!.metadata).toEqual({
      Container: 'init',
      MountName: 'sock',
      MountPath: '/sock',
      MountReadOnly: 'true',
      MountVolume: 'sock',
      MountVolumeHostPath: '/var/run/docker.sock',
    });
    expect(findings[0]!.details).toMatch(
      /^init container "init" mounts the host path \/var\/run\/docker.sock \(volume "sock"\) at \/sock read-only: /,
    );
  });

  it("points at the mount's name, and offers no fix (kubeaudit has none)", () => {
    const [finding] = lint(mounting('/proc'));
    expect(finding).toMatchObject({ line: 10, column: 11, endColumn: 21, fixable: false, patches: [] });
  });
});

describe('mounts: override labels', () => {
  it('allows a mount by its name, for a container or the whole pod', () => {
    expect(
      lint(mounting('/proc', 'container.kubeaudit.io/app.allow-host-path-mount-host: "node exporter"')).map((f) => [
        f.code,
        f.severity,
      ]),
    ).toEqual([['SensitivePathsMountedAllowed', 'info']]);
    expect(
      lint(mounting('/proc', 'audit.kubernetes.io/pod.allow-host-path-mount-host: ""')).map((f) => f.code),
    ).toEqual(['SensitivePathsMountedAllowed']);
    expect(lint(mounting('/proc', 'kubeaudit.io/allow-host-path-mount-other: "x"')).map((f) => f.code)).toEqual([
      'SensitivePathsMounted',
    ]);
  });

  it('never reports a label as redundant, as kubeaudit does not', () => {
    expect(lint(mounting('/var/log', 'kubeaudit.io/allow-host-path-mount-host: "x"'))).toEqual([]);
  });
});
