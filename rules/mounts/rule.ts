import { posix } from 'node:path';
import {
  asBoolean,
  asString,
  containerPath,
  countEntries,
  describeContainer,
  podPath,
  readField,
  type WorkloadRule,
} from '../../src/rule-api/index.js';

interface Options {
  denyPathsList: string[];
}

/** kubeaudit's default deny list. */
const DEFAULT_DENY_PATHS = [
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
];

/** `/proc/`, `//proc` and `/proc/.` are all the host's `/proc`. */
function normalise(hostPath: string): string {
  const normalised = posix.normalize(hostPath);
  return normalised.length > 1 && normalised.endsWith('/') ? normalised.slice(0, -1) : normalised;
}

/** Whether `path` is `ancestor` or lies below it. */
function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(ancestor.endsWith('/') ? ancestor : `${ancestor}/`);
}

/**
 * The denied path a host path exposes: the path itself, or a denied path below it (mounting `/var/run` exposes
 * `/var/run/docker.sock`). A path below a denied one does not count: the default list holds `/`, and names the
 * subdirectories it cares about (`/etc/kubernetes`, `/var/lib/kubelet/pki`) separately.
 */
function exposedPath(hostPath: string, denyPaths: readonly string[]): string | undefined {
  const path = normalise(hostPath);
  return denyPaths.find((denied) => path === denied) ?? denyPaths.find((denied) => isWithin(denied, path));
}

export const mounts: WorkloadRule<Options> = {
  kind: 'workload',
  meta: {
    id: 'mounts',
    profiles: ['kubeaudit'],
    kubeaudit: {
      flags: [
        {
          flags: '-d, --denyPathsList <paths>',
          description: 'comma-separated host paths that must not be mounted',
          option: 'denyPathsList',
          all: true,
        },
      ],
    },
    description:
      'Containers must not mount sensitive host paths (the container runtime socket, /proc, /etc, the kubelet files, …).',
    codes: {
      SensitivePathsMounted: {
        severity: 'error',
        description: 'A container mounts a hostPath volume whose path is, or contains, a path of denyPathsList.',
      },
    },
    options: {
      denyPathsList: {
        description:
          'Host paths no container may mount. A hostPath volume matches when its path, normalised, ' +
          'equals one of them or is a directory above one. Replaces the default list.',
        schema: { type: 'array', items: { type: 'string' } },
        default: DEFAULT_DENY_PATHS,
      },
    },
  },
  check({ workload, options, report }) {
    const denyPaths = options.denyPathsList.map(normalise);
    const sensitive = new Map<string, { hostPath: string; exposed: string }>();
    const volumesPath = podPath(workload, 'volumes');
    for (let index = 0; index < countEntries(workload, volumesPath); index++) {
      const name = readField(workload, [...volumesPath, index, 'name'], asString).value;
      const hostPath = readField(workload, [...volumesPath, index, 'hostPath', 'path'], asString).value;
      if (name === undefined || hostPath === undefined || sensitive.has(name)) continue;
      const exposed = exposedPath(hostPath, denyPaths);
      if (exposed !== undefined) sensitive.set(name, { hostPath, exposed });
    }
    if (sensitive.size === 0) return;

    for (const container of workload.containers) {
      const mountsPath = containerPath(container, 'volumeMounts');
      for (let index = 0; index < countEntries(workload, mountsPath); index++) {
        const mountPath = [...mountsPath, index];
        const name = readField(workload, [...mountPath, 'name'], asString).value;
        const volume = name !== undefined ? sensitive.get(name) : undefined;
        if (name === undefined || volume === undefined) continue;
        const at = readField(workload, [...mountPath, 'mountPath'], asString).value ?? '';
        const readOnly = readField(workload, [...mountPath, 'readOnly'], asBoolean).value ?? false;
        const exposure = normalise(volume.hostPath) === volume.exposed ? '' : `, which contains ${volume.exposed}`;
        const override = `allow-host-path-mount-${name}`;
        report({
          code: 'SensitivePathsMounted',
          message: `${describeContainer(container)} mounts the host path ${volume.hostPath}${exposure}`,
          details:
            `${describeContainer(container)} mounts the host path ${volume.hostPath}${exposure} ` +
            `(volume "${name}") at ${at}${readOnly ? ' read-only' : ''}: the node's files there (a ` +
            `container runtime socket, the kubelet's credentials, other pods' data) let a compromised ` +
            `container take over the node, a socket even when mounted read-only. Remove the mount, or ` +
            `mount a narrower path; if it is really needed, record why with the label ` +
            `container.kubeaudit.io/${container.name ?? '<container>'}.${override}: "<reason>"`,
          path: mountPath,
          container,
          override,
          metadata: {
            MountName: name,
            MountPath: at,
            MountReadOnly: String(readOnly),
            MountVolume: name,
            MountVolumeHostPath: volume.hostPath,
          },
        });
      }
    }
  },
};
