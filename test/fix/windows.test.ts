import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fixtureDir, runJson, type JsonFinding } from '../support/cli.js';

/*
 * `--fix` on pods that run on Windows must never produce a pod the API server rejects. The rules are the API
 * server's own, kubernetes/kubernetes pkg/apis/core/validation/validation.go:
 * - func validateWindows: for a pod with spec.os.name: windows, each field below "cannot be set for a windows pod";
 * - func validateWindowsHostProcessPod: "hostNetwork must be true if pod contains any hostProcess containers", and
 *   "If pod contains any hostProcess containers then all containers must be HostProcess containers".
 * The lists are copied here from that source, not from kubemend, so the test checks kubemend against Kubernetes.
 */

type Obj = Record<string, any>;

/** validateWindows, PodSecurityContext part (hostPID and hostIPC count when true; the others when set at all). */
const POD_SECURITY_CONTEXT_FORBIDDEN = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'fsGroup',
  'fsGroupChangePolicy',
  'sysctls',
  'runAsUser',
  'runAsGroup',
  'supplementalGroups',
  'supplementalGroupsPolicy',
  'seLinuxChangePolicy',
];
const POD_SPEC_FORBIDDEN = ['hostUsers', 'shareProcessNamespace'];
const POD_SPEC_FORBIDDEN_WHEN_TRUE = ['hostPID', 'hostIPC'];
/** validateWindows, container SecurityContext part (every container: regular, init, ephemeral). */
const CONTAINER_SECURITY_CONTEXT_FORBIDDEN = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'capabilities',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'procMount',
  'runAsUser',
  'runAsGroup',
];

function containersOf(spec: Obj): Obj[] {
  return [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
}

/** What the API server would say about a Windows pod spec, following the two functions above. */
function windowsValidationErrors(spec: Obj): string[] {
  const errors: string[] = [];
  const podContext: Obj = spec.securityContext ?? {};
  for (const field of POD_SECURITY_CONTEXT_FORBIDDEN)
    if (podContext[field] != null) errors.push(`spec.securityContext.${field}`);
  for (const field of POD_SPEC_FORBIDDEN) if (spec[field] != null) errors.push(`spec.${field}`);
  for (const field of POD_SPEC_FORBIDDEN_WHEN_TRUE) if (spec[field] === true) errors.push(`spec.${field}`);
  containersOf(spec).forEach((container) => {
    const context: Obj = container.securityContext ?? {};
    for (const field of CONTAINER_SECURITY_CONTEXT_FORBIDDEN)
      if (context[field] != null) errors.push(`${container.name}.securityContext.${field}`);
  });
  const podHostProcess = podContext.windowsOptions?.hostProcess;
  const hostProcess = containersOf(spec).map(
    (container) => container.securityContext?.windowsOptions?.hostProcess ?? podHostProcess ?? false,
  );
  if (hostProcess.some(Boolean)) {
    if (!hostProcess.every(Boolean)) errors.push('not every container is a HostProcess container');
    if (spec.hostNetwork !== true) errors.push('spec.hostNetwork must be true');
  }
  return errors;
}

function podSpecOf(resource: Obj): Obj {
  return resource.kind === 'Pod' ? resource.spec : resource.spec.template.spec;
}

const WINDOWS_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: iis
  namespace: web
spec:
  selector:
    matchLabels:
      app: iis
  template:
    metadata:
      labels:
        app: iis
    spec:
      os:
        name: windows
      securityContext:
        windowsOptions:
          runAsUserName: ContainerUser
      initContainers:
        - name: warmup
          image: mcr.microsoft.com/windows/nanoserver:ltsc2022
      containers:
        - name: iis
          image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
        - name: logs
          image: example.com/log-forwarder:2.1
          securityContext:
            windowsOptions:
              runAsUserName: ContainerUser
`;

const HOST_PROCESS_DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
  namespace: kube-system
spec:
  selector:
    matchLabels:
      app: node-agent
  template:
    metadata:
      labels:
        app: node-agent
    spec:
      os:
        name: windows
      hostNetwork: true
      securityContext:
        windowsOptions:
          hostProcess: true
          runAsUserName: "NT AUTHORITY\\\\SYSTEM"
      containers:
        - name: agent
          image: example.com/node-agent:1.4
`;

/** A pod the API server does not validate as Windows (no spec.os), which its nodeSelector sends to Windows nodes. */
const SELECTED_WINDOWS_POD = `apiVersion: v1
kind: Pod
metadata:
  name: by-selector
  namespace: web
spec:
  nodeSelector:
    kubernetes.io/os: windows
  containers:
    - name: app
      image: example.com/app:1.0
      securityContext:
        allowPrivilegeEscalation: true
`;

const LINUX_POD = `apiVersion: v1
kind: Pod
metadata:
  name: linux
  namespace: web
spec:
  containers:
    - name: app
      image: example.com/app:1.0
`;

const MANIFEST = [WINDOWS_DEPLOYMENT, HOST_PROCESS_DAEMONSET, SELECTED_WINDOWS_POD, LINUX_POD].join('---\n');

/** Codes that ask for a Linux-only setting: kubemend does not report them for pods that run on Windows. */
const LINUX_ONLY_CODES = [
  'CapabilityOrSecurityContextMissing',
  'CapabilityShouldDropAll',
  'PrivilegedNil',
  'AllowPrivilegeEscalationNil',
  'ReadOnlyRootFilesystemNil',
  'SeccompProfileMissing',
  'AppArmorAnnotationMissing',
];

const byResource = (findings: readonly JsonFinding[], name: string) =>
  findings.filter((finding) => finding.resource.name === name);

function documentsOf(text: string): Obj[] {
  return parseAllDocuments(text).map((doc) => doc.toJS() as Obj);
}

/** Fixes the manifest with the given extra options; returns the fixed documents and what the report says remains. */
async function fix(options: string[]): Promise<{ documents: Obj[]; remaining: JsonFinding[]; status: number | null }> {
  const dir = fixtureDir({ 'pods.yaml': MANIFEST });
  const run = await runJson(['--fix', ...options, 'pods.yaml'], { cwd: dir });
  const fixed = readFileSync(path.join(dir, 'pods.yaml'), 'utf8');
  return {
    documents: documentsOf(fixed),
    remaining: run.report.results.flatMap((result) => result.findings),
    status: run.status,
  };
}

/** The Linux-only fields a pod spec sets, as validateWindows names them (HostProcess rules aside). */
function linuxOnlyFields(spec: Obj): string[] {
  return windowsValidationErrors({ ...spec, hostNetwork: true }).filter((error) => !error.includes('HostProcess'));
}

describe('--fix on pods that run on Windows', () => {
  it('the checker follows the API server: the input passes it, Linux-only fields and a HostProcess pod off the host network fail it', () => {
    const [windows, hostProcess] = documentsOf(MANIFEST);
    expect(windowsValidationErrors(podSpecOf(windows!))).toEqual([]);
    expect(windowsValidationErrors(podSpecOf(hostProcess!))).toEqual([]);
    const broken = {
      ...podSpecOf(hostProcess!),
      hostNetwork: false,
      hostPID: true,
      containers: [{ name: 'agent', securityContext: { privileged: false } }],
    };
    expect(windowsValidationErrors(broken)).toEqual([
      'spec.hostPID',
      'agent.securityContext.privileged',
      'spec.hostNetwork must be true',
    ]);
  });

  for (const [profile, options] of [
    ['the kubeaudit rules', []],
    ['pss-restricted', ['--profile', 'pss-restricted']],
    // Before v1.25 restricted asks Windows pods for seccomp, capabilities and allowPrivilegeEscalation too.
    ['pss-restricted at v1.24', ['--profile', 'pss-restricted', '--pss-version', 'v1.24']],
  ] as const) {
    it(`with ${profile}, the Windows and HostProcess pods still pass the API server's Windows validation`, async () => {
      const { documents } = await fix([...options]);
      const [windows, hostProcess, selected, linux] = documents;
      expect(windowsValidationErrors(podSpecOf(windows!))).toEqual([]);
      expect(windowsValidationErrors(podSpecOf(hostProcess!))).toEqual([]);
      // The nodeSelector pod gains no Linux-only field: Windows nodes ignore or refuse them.
      expect(linuxOnlyFields(podSpecOf(selected!))).toEqual(['app.securityContext.allowPrivilegeEscalation']);
      expect(podSpecOf(selected!).containers[0].securityContext.allowPrivilegeEscalation).toBe(true);
      // The Linux pod of the same file got its Linux-only fixes, so the fixes did run.
      expect(linuxOnlyFields(podSpecOf(linux!)).length).toBeGreaterThan(0);
    });
  }

  it('does not ask pods that run on Windows for Linux-only settings, and fixes what applies to them', async () => {
    const dir = fixtureDir({ 'pods.yaml': MANIFEST });
    const { report } = await runJson(['pods.yaml'], { cwd: dir });
    const findings = report.results[0]!.findings;
    for (const name of ['iis', 'node-agent', 'by-selector']) {
      expect(
        byResource(findings, name).filter((finding) => LINUX_ONLY_CODES.includes(finding.code)),
        name,
      ).toEqual([]);
    }
    // A Linux pod without a securityContext gets them (all but CapabilityShouldDropAll, for a list it does not have).
    const linuxCodes = new Set(byResource(findings, 'linux').map((finding) => finding.code));
    expect(LINUX_ONLY_CODES.filter((code) => !linuxCodes.has(code))).toEqual(['CapabilityShouldDropAll']);
    // runAsNonRoot is allowed in a Windows pod (the kubelet checks the Windows user name), so it is fixed there.
    const nonRoot = byResource(findings, 'iis').filter((finding) => finding.code === 'RunAsNonRootPSCNilCSCNil');
    expect(nonRoot.map((finding) => [finding.container, finding.fixable])).toEqual([
      ['warmup', true],
      ['iis', true],
      ['logs', true],
    ]);
    const { documents, remaining } = await fix([]);
    expect(byResource(remaining, 'iis').map((finding) => finding.code)).toEqual([
      'LimitsNotSet',
      'LimitsNotSet',
      'LimitsNotSet',
    ]);
    expect(podSpecOf(documents[0]!).containers.map((container: Obj) => container.securityContext.runAsNonRoot)).toEqual(
      [true, true],
    );
  });

  it('says why a finding of a Windows pod cannot be fixed, and leaves it in place', async () => {
    const dir = fixtureDir({ 'pods.yaml': MANIFEST });
    const before = (await runJson(['pods.yaml'], { cwd: dir })).report.results[0]!.findings;
    const hostNetwork = byResource(before, 'node-agent').find(
      (finding) => finding.code === 'NamespaceHostNetworkTrue',
    )!;
    expect(hostNetwork.fixable).toBe(false);
    expect(hostNetwork.message).toMatch(/\(not fixable on this Windows pod\)$/);
    expect(hostNetwork.details).toMatch(
      /\. Not fixable automatically: a HostProcess pod \(windowsOptions\.hostProcess: true\) must run on the host network/,
    );
    const escalation = byResource(before, 'by-selector').find(
      (finding) => finding.code === 'AllowPrivilegeEscalationTrue',
    )!;
    expect(escalation.fixable).toBe(false);
    expect(escalation.details).toMatch(
      /Not fixable automatically: the pod runs on Windows nodes \(nodeSelector kubernetes\.io\/os: windows\), where securityContext\.allowPrivilegeEscalation of container "app" is Linux only/,
    );

    const old = (await runJson(['--profile', 'pss-restricted', '--pss-version', 'v1.24', 'pods.yaml'], { cwd: dir }))
      .report.results[0]!.findings;
    const iis = byResource(old, 'iis').filter((finding) => finding.rule !== 'pss/runAsNonRoot');
    expect(iis.map((finding) => `${finding.container} ${finding.code} ${finding.fixable}`).sort()).toEqual(
      ['iis', 'logs', 'warmup'].flatMap((container) =>
        ['PssAllowPrivilegeEscalation', 'PssCapabilitiesNotDropped', 'PssSeccompProfile'].map(
          (code) => `${container} ${code} false`,
        ),
      ),
    );
    for (const finding of iis)
      expect(finding.details).toMatch(
        /Not fixable automatically: the pod is a Windows pod \(spec\.os\.name: windows\), for which the API server rejects /,
      );

    const { remaining } = await fix(['--profile', 'pss-restricted', '--pss-version', 'v1.24']);
    expect(
      byResource(remaining, 'iis')
        .map((finding) => finding.code)
        .sort(),
    ).toEqual(iis.map((finding) => finding.code).sort());
    const agent = byResource(remaining, 'node-agent').filter((finding) => finding.rule !== 'pss/runAsNonRoot');
    expect(agent.map((finding) => finding.code).sort()).toEqual([
      'PssAllowPrivilegeEscalation',
      'PssCapabilitiesNotDropped',
      'PssHostNamespace',
      'PssHostProcess',
      'PssSeccompProfile',
    ]);
  });

  /*
   * The kubelet, kubernetes/kubernetes pkg/kubelet/kuberuntime/security_context_windows.go, func verifyRunAsNonRoot:
   * a container whose effective runAsNonRoot is true and whose effective windowsOptions.runAsUserName equals
   * "ContainerAdministrator" (strings.EqualFold) is not started ("will break non-root policy"). The API server
   * accepts such a pod, so only the kubelet's rule, written here from that source, catches a fix that breaks it.
   */
  function containersTheKubeletRefuses(spec: Obj): string[] {
    const pod: Obj = spec.securityContext ?? {};
    return containersOf(spec)
      .filter((container) => {
        const own: Obj = container.securityContext ?? {};
        const nonRoot = own.runAsNonRoot ?? pod.runAsNonRoot;
        const user: unknown = own.windowsOptions?.runAsUserName ?? pod.windowsOptions?.runAsUserName;
        return nonRoot === true && typeof user === 'string' && user.toLowerCase() === 'containeradministrator';
      })
      .map((container) => container.name);
  }

  const ADMINISTRATOR_POD = `apiVersion: v1
kind: Pod
metadata:
  name: admin
  namespace: web
spec:
  os:
    name: windows
  automountServiceAccountToken: false
  securityContext:
    windowsOptions:
      runAsUserName: containerADMINISTRATOR
  initContainers:
    - name: setup
      image: example.com/setup:1.0
  containers:
    - name: app
      image: example.com/app:1.0
    - name: sidecar
      image: example.com/sidecar:1.0
      securityContext:
        windowsOptions:
          runAsUserName: ContainerUser
`;

  for (const [profile, options] of [
    ['the kubeaudit rules', []],
    ['pss-restricted', ['--profile', 'pss-restricted']],
  ] as const) {
    it(`with ${profile}, never sets runAsNonRoot where the container runs as ContainerAdministrator`, async () => {
      const dir = fixtureDir({ 'pod.yaml': ADMINISTRATOR_POD });
      const before = (await runJson([...options, 'pod.yaml'], { cwd: dir })).report.results[0]!.findings;
      const nonRoot = before.filter((finding) => /RunAsNonRoot/i.test(finding.code));
      expect(nonRoot.length).toBeGreaterThan(0);
      const run = await runJson(['--fix', ...options, 'pod.yaml'], { cwd: dir });
      const [pod] = documentsOf(readFileSync(path.join(dir, 'pod.yaml'), 'utf8'));
      expect(containersTheKubeletRefuses(pod!.spec)).toEqual([]);
      expect(windowsValidationErrors(pod!.spec)).toEqual([]);
      const left = run.report.results[0]!.findings.filter((finding) => /RunAsNonRoot/i.test(finding.code));
      expect(left.length).toBeGreaterThan(0);
      for (const finding of left) {
        expect(finding.fixable).toBe(false);
        expect(finding.details).toMatch(
          /Not fixable automatically: (init )?container "(setup|app)" runs as ContainerAdministrator \(windowsOptions\.runAsUserName\), which the kubelet counts as root/,
        );
      }
    });
  }

  it('still fixes runAsNonRoot for the containers of that pod that run as another account', async () => {
    const dir = fixtureDir({ 'pod.yaml': ADMINISTRATOR_POD });
    await runJson(['--fix', 'pod.yaml'], { cwd: dir });
    const [pod] = documentsOf(readFileSync(path.join(dir, 'pod.yaml'), 'utf8'));
    expect(pod!.spec.containers.map((container: Obj) => container.securityContext?.runAsNonRoot)).toEqual([
      undefined,
      true,
    ]);
  });
});
