import { sc, type ControlTable } from './support.js';

/*
 * One table per Pod Security Standards control. Every case starts from a pod that passes restricted at every
 * version and breaks this control only; `baseline` and `restricted` say from which minor (and up to which) Pod
 * Security Admission rejects it, as its policy code defines the check version by version. No entry: it passes.
 */

const ALWAYS = { from: 0 };

export const TABLES: readonly ControlTable[] = [
  {
    rule: 'pss/windowsHostProcess',
    cases: [
      {
        name: 'container hostProcess: true',
        apply: ({ container }) => (sc(container).windowsOptions = { hostProcess: true }),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'pod hostProcess: true',
        apply: ({ spec }) => (spec.securityContext.windowsOptions = { hostProcess: true }),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'container hostProcess: false',
        apply: ({ container }) => (sc(container).windowsOptions = { hostProcess: false }),
      },
    ],
  },
  {
    rule: 'pss/hostNamespaces',
    cases: [
      {
        name: 'hostNetwork: true',
        apply: ({ spec }) => (spec.hostNetwork = true),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      { name: 'hostPID: true', apply: ({ spec }) => (spec.hostPID = true), baseline: ALWAYS, restricted: ALWAYS },
      {
        name: 'hostIPC: yes (YAML 1.1 true)',
        apply: ({ spec }) => (spec.hostIPC = 'yes!!plain'),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'hostNetwork, hostPID and hostIPC false',
        apply: ({ spec }) => Object.assign(spec, { hostNetwork: false, hostPID: false, hostIPC: false }),
      },
    ],
  },
  {
    rule: 'pss/privileged',
    cases: [
      {
        name: 'privileged: true',
        apply: ({ container }) => (sc(container).privileged = true),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      { name: 'privileged: false', apply: ({ container }) => (sc(container).privileged = false) },
    ],
  },
  {
    rule: 'pss/capabilities',
    cases: [
      {
        name: 'adds NET_ADMIN',
        apply: ({ container }) => (sc(container).capabilities.add = ['NET_ADMIN']),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'adds NET_RAW (not in the baseline set)',
        apply: ({ container }) => (sc(container).capabilities.add = ['NET_RAW']),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'adds CHOWN (baseline set)',
        apply: ({ container }) => (sc(container).capabilities.add = ['CHOWN']),
        restricted: { from: 22 },
      },
      {
        name: 'adds NET_BIND_SERVICE',
        apply: ({ container }) => (sc(container).capabilities.add = ['NET_BIND_SERVICE']),
      },
      { name: 'drops nothing', apply: ({ container }) => delete sc(container).capabilities, restricted: { from: 22 } },
      {
        name: 'drops all in lower case',
        apply: ({ container }) => (sc(container).capabilities.drop = ['all']),
        restricted: { from: 22 },
      },
      {
        name: 'drops NET_RAW only',
        apply: ({ container }) => (sc(container).capabilities.drop = ['NET_RAW']),
        restricted: { from: 22 },
      },
      {
        name: 'Windows pod without capabilities',
        apply: ({ spec, container }) => {
          spec.os = { name: 'windows' };
          delete sc(container).capabilities;
        },
        restricted: { from: 22, to: 24 },
      },
      {
        // Restricted's check replaces baseline's and skips Windows pods, so from v1.25 restricted lets this through.
        name: 'Windows pod adding SYS_ADMIN',
        apply: ({ spec, container }) => {
          spec.os = { name: 'windows' };
          sc(container).capabilities.add = ['SYS_ADMIN'];
        },
        baseline: ALWAYS,
        restricted: { from: 0, to: 24 },
      },
    ],
  },
  {
    rule: 'pss/hostPathVolumes',
    cases: [
      {
        name: 'hostPath volume',
        apply: ({ spec }) => (spec.volumes = [{ name: 'host', hostPath: { path: '/var/log' } }]),
        baseline: ALWAYS,
        restricted: { from: 0, rule: 'pss/restrictedVolumes' },
      },
      {
        name: 'hostPath: null (an emptyDir to the API server)',
        apply: ({ spec }) => (spec.volumes = [{ name: 'none', hostPath: null }]),
      },
    ],
  },
  {
    rule: 'pss/hostPorts',
    cases: [
      {
        name: 'hostPort 8080',
        apply: ({ container }) => (container.ports = [{ containerPort: 8080, hostPort: 8080 }]),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      { name: 'hostPort 0', apply: ({ container }) => (container.ports = [{ containerPort: 8080, hostPort: 0 }]) },
      { name: 'containerPort only', apply: ({ container }) => (container.ports = [{ containerPort: 8080 }]) },
    ],
  },
  {
    rule: 'pss/appArmorProfile',
    cases: [
      {
        name: 'container type Unconfined',
        apply: ({ container }) => (sc(container).appArmorProfile = { type: 'Unconfined' }),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'pod type Unconfined',
        apply: ({ spec }) => (spec.securityContext.appArmorProfile = { type: 'Unconfined' }),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'container profile without a type',
        apply: ({ container }) => (sc(container).appArmorProfile = {}),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'annotation unconfined',
        apply: ({ metadata }) =>
          (metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/test': 'unconfined' }),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'container type Localhost',
        apply: ({ container }) => (sc(container).appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-app' }),
      },
      {
        name: 'pod type RuntimeDefault',
        apply: ({ spec }) => (spec.securityContext.appArmorProfile = { type: 'RuntimeDefault' }),
      },
      {
        name: 'annotation localhost/',
        apply: ({ metadata }) =>
          (metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/test': 'localhost/k8s-app' }),
      },
      {
        name: 'annotation runtime/default',
        apply: ({ metadata }) =>
          (metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/test': 'runtime/default' }),
      },
    ],
  },
  {
    rule: 'pss/seLinuxOptions',
    cases: [
      {
        name: 'container type spc_t',
        apply: ({ container }) => (sc(container).seLinuxOptions = { type: 'spc_t' }),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'pod type spc_t',
        apply: ({ spec }) => (spec.securityContext.seLinuxOptions = { type: 'spc_t' }),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'container_engine_t (allowed as of v1.31)',
        apply: ({ container }) => (sc(container).seLinuxOptions = { type: 'container_engine_t' }),
        baseline: { from: 0, to: 30 },
        restricted: { from: 0, to: 30 },
      },
      {
        name: 'user set',
        apply: ({ container }) => (sc(container).seLinuxOptions = { user: 'system_u' }),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'pod role set',
        apply: ({ spec }) => (spec.securityContext.seLinuxOptions = { role: 'system_r' }),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'container_t with a level',
        apply: ({ container }) => (sc(container).seLinuxOptions = { type: 'container_t', level: 's0:c123,c456' }),
      },
      {
        name: 'container_kvm_t',
        apply: ({ spec }) => (spec.securityContext.seLinuxOptions = { type: 'container_kvm_t' }),
      },
    ],
  },
  {
    rule: 'pss/procMount',
    cases: [
      {
        name: 'procMount Unmasked',
        apply: ({ container }) => (sc(container).procMount = 'Unmasked'),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'procMount Unmasked in a user namespace (baseline relaxed as of v1.35)',
        apply: ({ spec, container }) => {
          spec.hostUsers = false;
          sc(container).procMount = 'Unmasked';
        },
        baseline: { from: 0, to: 34 },
        restricted: ALWAYS,
      },
      { name: 'procMount Default', apply: ({ container }) => (sc(container).procMount = 'Default') },
    ],
  },
  {
    rule: 'pss/seccompProfile',
    cases: [
      {
        name: 'container type Unconfined',
        apply: ({ container }) => (sc(container).seccompProfile = { type: 'Unconfined' }),
        baseline: { from: 19 },
        restricted: { from: 19 },
      },
      {
        name: 'pod type Unconfined',
        apply: ({ spec }) => (spec.securityContext.seccompProfile = { type: 'Unconfined' }),
        baseline: { from: 19 },
        restricted: { from: 19 },
      },
      {
        name: 'no profile on the pod or the container',
        apply: ({ spec }) => delete spec.securityContext.seccompProfile,
        restricted: { from: 19 },
      },
      {
        name: 'no pod profile, RuntimeDefault on every container',
        apply: ({ spec, container }) => {
          delete spec.securityContext.seccompProfile;
          sc(container).seccompProfile = { type: 'RuntimeDefault' };
          for (const other of [
            ...(spec.containers ?? []),
            ...(spec.initContainers ?? []),
            ...(spec.ephemeralContainers ?? []),
          ])
            sc(other).seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' };
        },
      },
      {
        name: 'pod annotation unconfined',
        apply: ({ metadata }) => (metadata.annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }),
        baseline: { from: 0, to: 18 },
        restricted: { from: 0, to: 18 },
      },
      {
        name: 'container annotation unconfined',
        apply: ({ metadata }) =>
          (metadata.annotations = { 'container.seccomp.security.alpha.kubernetes.io/test': 'unconfined' }),
        baseline: { from: 0, to: 18 },
        restricted: { from: 0, to: 18 },
      },
      {
        name: 'pod annotation docker/default',
        apply: ({ metadata }) =>
          (metadata.annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'docker/default' }),
      },
      {
        name: 'Windows pod without a profile',
        apply: ({ spec }) => {
          spec.os = { name: 'windows' };
          delete spec.securityContext.seccompProfile;
        },
        restricted: { from: 19, to: 24 },
      },
    ],
  },
  {
    rule: 'pss/sysctls',
    cases: [
      {
        name: 'kernel.msgmax',
        apply: ({ spec }) => (spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]),
        baseline: ALWAYS,
        restricted: ALWAYS,
      },
      {
        name: 'net.ipv4.ip_local_reserved_ports (safe as of v1.27)',
        apply: ({ spec }) =>
          (spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_local_reserved_ports', value: '30000' }]),
        baseline: { from: 0, to: 26 },
        restricted: { from: 0, to: 26 },
      },
      {
        name: 'net.ipv4.tcp_keepalive_time (safe as of v1.29)',
        apply: ({ spec }) => (spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_keepalive_time', value: '600' }]),
        baseline: { from: 0, to: 28 },
        restricted: { from: 0, to: 28 },
      },
      {
        name: 'net.ipv4.tcp_rmem (safe as of v1.32)',
        apply: ({ spec }) =>
          (spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }]),
        baseline: { from: 0, to: 31 },
        restricted: { from: 0, to: 31 },
      },
      {
        name: 'net.ipv4.tcp_notsent_lowat (safe as of v1.37)',
        apply: ({ spec }) => (spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_notsent_lowat', value: '16384' }]),
        baseline: { from: 0, to: 36 },
        restricted: { from: 0, to: 36 },
      },
      {
        name: 'kernel.shm_rmid_forced',
        apply: ({ spec }) => (spec.securityContext.sysctls = [{ name: 'kernel.shm_rmid_forced', value: '1' }]),
      },
    ],
  },
  {
    rule: 'pss/hostProbesAndHostLifecycle',
    cases: [
      {
        name: 'livenessProbe.httpGet.host',
        apply: ({ container }) => (container.livenessProbe = { httpGet: { host: '10.0.0.1', port: 80 } }),
        baseline: { from: 34 },
        restricted: { from: 34 },
      },
      {
        name: 'readinessProbe.tcpSocket.host',
        apply: ({ container }) => (container.readinessProbe = { tcpSocket: { host: 'db.internal', port: 5432 } }),
        baseline: { from: 34 },
        restricted: { from: 34 },
      },
      {
        name: 'lifecycle.preStop.httpGet.host',
        apply: ({ container }) => (container.lifecycle = { preStop: { httpGet: { host: 'localhost', port: 80 } } }),
        baseline: { from: 34 },
        restricted: { from: 34 },
      },
      {
        name: 'startupProbe without a host',
        apply: ({ container }) => (container.startupProbe = { httpGet: { host: '', port: 80 } }),
      },
    ],
  },
  {
    rule: 'pss/restrictedVolumes',
    cases: [
      {
        name: 'nfs volume',
        apply: ({ spec }) => (spec.volumes = [{ name: 'share', nfs: { server: 'nfs.example', path: '/' } }]),
        restricted: ALWAYS,
      },
      {
        name: 'gitRepo volume',
        apply: ({ spec }) => (spec.volumes = [{ name: 'src', gitRepo: { repository: 'https://example/r.git' } }]),
        restricted: ALWAYS,
      },
      {
        name: 'every allowed type, and a volume without a source',
        apply: ({ spec }) =>
          (spec.volumes = [
            { name: 'a', configMap: { name: 'c' } },
            { name: 'b', csi: { driver: 'd' } },
            { name: 'c', downwardAPI: { items: [] } },
            { name: 'd', emptyDir: {} },
            { name: 'e', ephemeral: { volumeClaimTemplate: { spec: {} } } },
            { name: 'f', image: { reference: 'registry.example/data:1' } },
            { name: 'g', persistentVolumeClaim: { claimName: 'pvc' } },
            { name: 'h', projected: { sources: [] } },
            { name: 'i', secret: { secretName: 's' } },
            { name: 'j' },
          ]),
      },
    ],
  },
  {
    rule: 'pss/allowPrivilegeEscalation',
    cases: [
      {
        name: 'unset',
        apply: ({ container }) => delete sc(container).allowPrivilegeEscalation,
        restricted: { from: 8 },
      },
      {
        name: 'true',
        apply: ({ container }) => (sc(container).allowPrivilegeEscalation = true),
        restricted: { from: 8 },
      },
      {
        name: 'Windows pod, unset',
        apply: ({ spec, container }) => {
          spec.os = { name: 'windows' };
          delete sc(container).allowPrivilegeEscalation;
        },
        restricted: { from: 8, to: 24 },
      },
    ],
  },
  {
    rule: 'pss/runAsNonRoot',
    cases: [
      { name: 'container false', apply: ({ container }) => (sc(container).runAsNonRoot = false), restricted: ALWAYS },
      { name: 'pod false', apply: ({ spec }) => (spec.securityContext.runAsNonRoot = false), restricted: ALWAYS },
      {
        name: 'pod false, every container true',
        apply: ({ spec }) => {
          spec.securityContext.runAsNonRoot = false;
          for (const other of [
            ...(spec.containers ?? []),
            ...(spec.initContainers ?? []),
            ...(spec.ephemeralContainers ?? []),
          ])
            sc(other).runAsNonRoot = true;
        },
        restricted: ALWAYS,
      },
      {
        name: 'unset on the pod and the containers',
        apply: ({ spec }) => delete spec.securityContext.runAsNonRoot,
        restricted: ALWAYS,
      },
      {
        name: 'unset on the pod, true on every container',
        apply: ({ spec }) => {
          delete spec.securityContext.runAsNonRoot;
          for (const other of [
            ...(spec.containers ?? []),
            ...(spec.initContainers ?? []),
            ...(spec.ephemeralContainers ?? []),
          ])
            sc(other).runAsNonRoot = true;
        },
      },
      {
        name: 'container false in a user namespace (relaxed as of v1.35)',
        apply: ({ spec, container }) => {
          spec.hostUsers = false;
          sc(container).runAsNonRoot = false;
        },
        restricted: { from: 0, to: 34 },
      },
      {
        name: 'Windows pod, container false (no exemption)',
        apply: ({ spec, container }) => ((spec.os = { name: 'windows' }), (sc(container).runAsNonRoot = false)),
        restricted: ALWAYS,
      },
    ],
  },
  {
    rule: 'pss/runAsUser',
    cases: [
      { name: 'container 0', apply: ({ container }) => (sc(container).runAsUser = 0), restricted: { from: 23 } },
      { name: 'pod 0', apply: ({ spec }) => (spec.securityContext.runAsUser = 0), restricted: { from: 23 } },
      {
        name: 'pod 0 written in octal',
        apply: ({ spec }) => (spec.securityContext.runAsUser = '00!!plain'),
        restricted: { from: 23 },
      },
      { name: 'container 1000', apply: ({ container }) => (sc(container).runAsUser = 1000) },
      {
        name: 'container 0 in a user namespace (relaxed as of v1.35)',
        apply: ({ spec, container }) => {
          spec.hostUsers = false;
          sc(container).runAsUser = 0;
        },
        restricted: { from: 23, to: 34 },
      },
    ],
  },
];
