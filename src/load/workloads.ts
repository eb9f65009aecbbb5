import type { Document, YAMLMap } from 'yaml';
import { asMap, asScalar, asSeq, child, nodeAt, type NodePath } from './nodes.js';
import { readStringMap, type Resource } from './resources.js';
import { readString } from './scalars.js';

/** Where a kind keeps its pod template. `group` is the API group ('' for core); any version of it matches. */
export interface WorkloadKind {
  kind: string;
  groups: readonly string[];
  /** Path from the object to the pod template (`metadata` + `spec`); `[]` for a Pod, which is its own template. */
  templatePath: NodePath;
}

export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  { kind: 'Pod', groups: [''], templatePath: [] },
  { kind: 'PodTemplate', groups: [''], templatePath: ['template'] },
  { kind: 'ReplicationController', groups: [''], templatePath: ['spec', 'template'] },
  { kind: 'Deployment', groups: ['apps', 'extensions'], templatePath: ['spec', 'template'] },
  { kind: 'ReplicaSet', groups: ['apps', 'extensions'], templatePath: ['spec', 'template'] },
  { kind: 'StatefulSet', groups: ['apps'], templatePath: ['spec', 'template'] },
  { kind: 'DaemonSet', groups: ['apps', 'extensions'], templatePath: ['spec', 'template'] },
  { kind: 'Job', groups: ['batch'], templatePath: ['spec', 'template'] },
  { kind: 'CronJob', groups: ['batch'], templatePath: ['spec', 'jobTemplate', 'spec', 'template'] },
  { kind: 'Rollout', groups: ['argoproj.io'], templatePath: ['spec', 'template'] },
  // OpenShift 3 served DeploymentConfig from the core group as `v1`.
  { kind: 'DeploymentConfig', groups: ['apps.openshift.io', ''], templatePath: ['spec', 'template'] },
];

export type ContainerRole = 'container' | 'initContainer' | 'ephemeralContainer';

/** The pod spec's container lists, each with the role of its containers. */
export const CONTAINER_LISTS: readonly { key: string; role: ContainerRole }[] = [
  { key: 'containers', role: 'container' },
  { key: 'initContainers', role: 'initContainer' },
  { key: 'ephemeralContainers', role: 'ephemeralContainer' },
];

export interface Container {
  role: ContainerRole;
  name: string | undefined;
  /** Index within its own list (`containers`, `initContainers` or `ephemeralContainers`). */
  index: number;
  node: YAMLMap;
  /** From the document root. */
  path: NodePath;
}

/** A resource that runs pods, seen through its pod template. */
export interface Workload {
  resource: Resource;
  doc: Document.Parsed;
  /** Path from the document root to the pod template (the Pod itself for kind Pod). */
  templatePath: NodePath;
  podMetadata: YAMLMap | undefined;
  podSpec: YAMLMap | undefined;
  /** Path from the document root to the pod spec (present or not). */
  podSpecPath: NodePath;
  containers: Container[];
  labels: Map<string, string>;
  annotations: Map<string, string>;
}

const CORE_VERSION = /^v\d+((alpha|beta)\d+)?$/;

/**
 * The API group of an `apiVersion`: `apps/v1` is apps, `v1` the core group (''). A bare group (`example.com`, as
 * config's `workloadKinds` may name one) is that group.
 */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  if (slash !== -1) return apiVersion.slice(0, slash);
  return CORE_VERSION.test(apiVersion) ? '' : apiVersion;
}

export function findWorkloadKind(
  resource: Pick<Resource, 'kind' | 'apiVersion'>,
  kinds: readonly WorkloadKind[] = WORKLOAD_KINDS,
): WorkloadKind | undefined {
  const group = apiGroup(resource.apiVersion);
  return kinds.find((entry) => entry.kind === resource.kind && entry.groups.includes(group));
}

/** The workload view of a resource, or undefined for kinds that run no pods (and kinds nobody told us about). */
export function workloadOf(resource: Resource, kinds: readonly WorkloadKind[] = WORKLOAD_KINDS): Workload | undefined {
  const entry = findWorkloadKind(resource, kinds);
  if (!entry) return undefined;
  const { doc } = resource;
  const templatePath = [...resource.path, ...entry.templatePath];
  const template = asMap(doc, nodeAt(doc, resource.node, entry.templatePath));
  const podMetadata = asMap(doc, child(doc, template, 'metadata'));
  const podSpec = asMap(doc, child(doc, template, 'spec'));
  const podSpecPath = [...templatePath, 'spec'];
  const containers: Container[] = [];
  for (const { key, role } of CONTAINER_LISTS) {
    asSeq(doc, child(doc, podSpec, key))?.items.forEach((item, index) => {
      const node = asMap(doc, item);
      if (!node) return;
      const nameNode = asScalar(doc, child(doc, node, 'name'));
      containers.push({
        role,
        name: nameNode ? readString(nameNode) : undefined,
        index,
        node,
        path: [...podSpecPath, key, index],
      });
    });
  }
  return {
    resource,
    doc,
    templatePath,
    podMetadata,
    podSpec,
    podSpecPath,
    containers,
    labels: readStringMap(doc, child(doc, podMetadata, 'labels')),
    annotations: readStringMap(doc, child(doc, podMetadata, 'annotations')),
  };
}
