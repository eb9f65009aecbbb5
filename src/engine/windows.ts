import type { NodePath } from '../load/nodes.js';
import type { Container, Workload } from '../load/workloads.js';
import {
  asBoolean,
  asString,
  describeContainer,
  podField,
  securityContextField,
  securityContextOwners,
} from './fields.js';
import type { Patch } from './types.js';

/*
 * Windows pods, and which fixes they must not get. The reference is the API server's pod validation,
 * kubernetes/kubernetes pkg/apis/core/validation/validation.go:
 * - validateWindows: the fields that "cannot be set for a windows pod" (a pod whose spec.os.name is windows);
 * - validateWindowsHostProcessPod: a pod with HostProcess containers must set hostNetwork: true.
 * A fix that sets one of those fields would turn a pod the API server accepts into one it rejects.
 * And one the API server accepts but the kubelet will not run: kubelet's verifyRunAsNonRoot
 * (pkg/kubelet/kuberuntime/security_context_windows.go) refuses to start a container with runAsNonRoot whose
 * runAsUserName (its own, else the pod's) is ContainerAdministrator, in any letter case.
 */

/** validateWindows: fields of the pod's securityContext. */
const POD_SECURITY_CONTEXT = [
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

/** validateWindows: fields of each container's securityContext (init and ephemeral containers too). */
const CONTAINER_SECURITY_CONTEXT = [
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

/** validateWindows: pod spec fields; hostPID and hostIPC only when true (false is the same as unset there). */
const POD_FIELDS: readonly { field: string; onlyTrue: boolean }[] = [
  { field: 'hostUsers', onlyTrue: false },
  { field: 'shareProcessNamespace', onlyTrue: false },
  { field: 'hostPID', onlyTrue: true },
  { field: 'hostIPC', onlyTrue: true },
];

/** Annotations only Linux nodes read: the API server accepts them on a Windows pod, which ignores them. */
const LINUX_ANNOTATION_PREFIXES = [
  'container.apparmor.security.beta.kubernetes.io/',
  'container.seccomp.security.alpha.kubernetes.io/',
];
const LINUX_ANNOTATIONS = ['seccomp.security.alpha.kubernetes.io/pod'];

const OS_LABEL = 'kubernetes.io/os';
const WINDOWS = 'windows';

/** `spec.os.name` as the pod declares it: what the API server validates the pod for. */
export function declaredOs(workload: Workload): string | undefined {
  return podField(workload, ['os', 'name'], asString).value;
}

/**
 * Whether the pod runs on Windows: it declares `spec.os.name: windows`, or its nodeSelector asks for
 * `kubernetes.io/os: windows` (the API server does not validate such a pod as Windows, but it only runs on Windows
 * nodes, where the Linux-only settings are ignored or refused). Undefined for any other pod.
 */
export function windowsEvidence(workload: Workload): string | undefined {
  if (declaredOs(workload) === WINDOWS) return 'spec.os.name: windows';
  const selected = podField(workload, ['nodeSelector', OS_LABEL], asString).value;
  if (declaredOs(workload) === undefined && selected === WINDOWS) return `nodeSelector ${OS_LABEL}: windows`;
  return undefined;
}

/** validateWindowsHostProcessPod: the pod or one of its containers sets windowsOptions.hostProcess: true. */
function isHostProcess(workload: Workload): boolean {
  return securityContextOwners(workload).some(
    (owner) => securityContextField(workload, owner, ['windowsOptions', 'hostProcess'], asBoolean).value === true,
  );
}

/** Windows' root account: the kubelet will not start a container that runs as it with runAsNonRoot. */
const WINDOWS_ROOT_USER = 'containeradministrator';

/** The containers that run as ContainerAdministrator by their own or the pod's windowsOptions.runAsUserName. */
function administratorContainers(workload: Workload): Container[] {
  const userName = (container: Container | undefined) =>
    securityContextField(workload, container, ['windowsOptions', 'runAsUserName'], asString).value;
  const podUser = userName(undefined);
  return workload.containers.filter(
    (container) => (userName(container) ?? podUser)?.toLowerCase() === WINDOWS_ROOT_USER,
  );
}

/** A place a fix must not write, and why. */
interface Forbidden {
  path: NodePath;
  /** How a message names it, or (`why`) the whole reason. */
  name: string;
  why?: string;
  /** Only writing `true` there is forbidden. */
  onlyTrue?: boolean;
}

/** runAsNonRoot: true, of the pod or of a container that runs as ContainerAdministrator. */
function runAsNonRootRefused(workload: Workload): Forbidden[] {
  const administrators = administratorContainers(workload);
  const why = (container: Container) =>
    `${describeContainer(container)} runs as ContainerAdministrator (windowsOptions.runAsUserName), which the kubelet ` +
    'counts as root: with runAsNonRoot: true it refuses to start it (set runAsUserName to ContainerUser or another ' +
    'account first)';
  return administrators.flatMap((container) =>
    [container.path, workload.podSpecPath].map((owner) => ({
      path: [...owner, 'securityContext', 'runAsNonRoot'],
      name: 'runAsNonRoot',
      why: why(container),
      onlyTrue: true,
    })),
  );
}

function isPrefix(prefix: NodePath, path: NodePath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}

/** The paths a patch writes a value at: a `set` of a mapping writes each of its leaves. */
function writtenLeaves(path: NodePath, value: unknown): { path: NodePath; value: unknown }[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ path, value }];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [{ path, value }];
  return entries.flatMap(([key, child]) => writtenLeaves([...path, key], child));
}

/**
 * What the fixes of one pod must respect on Windows. It keeps paths only, no AST, so resource-set rules may hold it
 * until the end of the run.
 */
export class WindowsFixGuard {
  private constructor(
    private readonly evidence: string,
    private readonly forbidden: readonly Forbidden[],
    private readonly annotationsPath: NodePath,
    private readonly hostNetworkPath: NodePath | undefined,
  ) {}

  /** The guard for a pod that runs on Windows; undefined for any other workload. */
  static of(workload: Workload): WindowsFixGuard | undefined {
    const evidence = windowsEvidence(workload);
    if (evidence === undefined) return undefined;
    const forbidden: Forbidden[] = [
      ...POD_FIELDS.map(({ field, onlyTrue }) => ({ path: [...workload.podSpecPath, field], name: field, onlyTrue })),
      ...POD_SECURITY_CONTEXT.map((field) => ({
        path: [...workload.podSpecPath, 'securityContext', field],
        name: `the pod's securityContext.${field}`,
      })),
      ...workload.containers.flatMap((container: Container) =>
        CONTAINER_SECURITY_CONTEXT.map((field) => ({
          path: [...container.path, 'securityContext', field],
          name: `securityContext.${field} of ${describeContainer(container)}`,
        })),
      ),
      ...runAsNonRootRefused(workload),
    ];
    const annotationsPath = [...workload.templatePath, 'metadata', 'annotations'];
    return new WindowsFixGuard(
      evidence,
      forbidden,
      annotationsPath,
      isHostProcess(workload) ? [...workload.podSpecPath, 'hostNetwork'] : undefined,
    );
  }

  /** Why a patch must not be applied to this pod, or undefined when it may. */
  problem(patch: Patch): string | undefined {
    if (patch.op === 'appendDocument') return undefined;
    if (
      this.hostNetworkPath &&
      isPrefix(this.hostNetworkPath, patch.path) &&
      !(patch.op === 'set' && patch.value === true)
    ) {
      return 'a HostProcess pod (windowsOptions.hostProcess: true) must run on the host network, so the API server rejects it without hostNetwork: true';
    }
    // Taking a field away never makes a Windows pod invalid.
    if (patch.op === 'delete') return undefined;
    const leaves =
      patch.op === 'set' ? writtenLeaves(patch.path, patch.value) : [{ path: patch.path, value: patch.value }];
    for (const leaf of leaves) {
      const hit = this.forbidden.find(
        (entry) => isPrefix(entry.path, leaf.path) && (!entry.onlyTrue || leaf.value === true),
      );
      if (hit) return hit.why ?? this.linuxOnly(hit.name);
      const annotation = this.annotationAt(leaf.path);
      if (annotation !== undefined)
        return `the pod runs on Windows (${this.evidence}), where the annotation ${annotation} does nothing (only Linux nodes read it)`;
    }
    return undefined;
  }

  private annotationAt(path: NodePath): string | undefined {
    if (!isPrefix(this.annotationsPath, path) || path.length <= this.annotationsPath.length) return undefined;
    const key = String(path[this.annotationsPath.length]);
    return LINUX_ANNOTATIONS.includes(key) || LINUX_ANNOTATION_PREFIXES.some((prefix) => key.startsWith(prefix))
      ? key
      : undefined;
  }

  private linuxOnly(name: string): string {
    return this.evidence.startsWith('spec.os.name')
      ? `the pod is a Windows pod (${this.evidence}), for which the API server rejects ${name} (Linux only)`
      : `the pod runs on Windows nodes (${this.evidence}), where ${name} is Linux only (and rejected by the API server once spec.os.name is windows)`;
  }
}
