import type { Located, ResourceSetRule, SetReport, Severity } from '../../src/rule-api/index.js';

interface Options {
  /** "M.m": the cluster's Kubernetes version today; APIs deprecated only after it are reported as info. */
  currentVersion: string | null;
  /** "M.m": the version being upgraded to; APIs it no longer serves are reported as errors. */
  targetedVersion: string | null;
}

/** One API version of some kinds: when it appeared, was deprecated, stops being served, and what replaces it. */
interface Lifecycle {
  apiVersion: string;
  kinds: readonly string[];
  introduced: string;
  deprecated: string;
  removed: string;
  /** The apiVersion to use instead (same kind); none where the kind itself is gone (PodSecurityPolicy). */
  replacement?: string;
}

const api = (
  apiVersion: string,
  kinds: readonly string[],
  introduced: string,
  deprecated: string,
  removed: string,
  replacement?: string,
): Lifecycle => ({
  apiVersion,
  kinds,
  introduced,
  deprecated,
  removed,
  ...(replacement !== undefined ? { replacement } : {}),
});

const FLOW_CONTROL = ['FlowSchema', 'PriorityLevelConfiguration'];
const RBAC = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
const ADMISSION_POLICY = ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'];
const DRA = ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'];

/*
 * Kubernetes versions from the API types' prerelease-lifecycle tags (which the API server follows: a beta version
 * stops being served in its `removed` release) and the Deprecated API Migration Guide. The rows above the marker are
 * removals kubeaudit 0.22 (k8s.io/api v0.24) knew as well; the rest came later. Complete up to Kubernetes 1.37, the
 * current release in November 2026: add a row when a release deprecates another version.
 */
const LIFECYCLES: readonly Lifecycle[] = [
  //  apiVersion                               kinds                                                  introduced deprecated removed replacement
  api('extensions/v1beta1', ['DaemonSet', 'Deployment'], '1.1', '1.8', '1.16', 'apps/v1'),
  api('extensions/v1beta1', ['ReplicaSet'], '1.2', '1.8', '1.16', 'apps/v1'),
  api('extensions/v1beta1', ['NetworkPolicy'], '1.3', '1.9', '1.16', 'networking.k8s.io/v1'),
  api('extensions/v1beta1', ['PodSecurityPolicy'], '1.2', '1.11', '1.16'),
  api('extensions/v1beta1', ['Ingress'], '1.1', '1.14', '1.22', 'networking.k8s.io/v1'),
  api('apps/v1beta1', ['Deployment'], '1.6', '1.8', '1.16', 'apps/v1'),
  api('apps/v1beta1', ['StatefulSet'], '1.5', '1.8', '1.16', 'apps/v1'),
  api('apps/v1beta1', ['ControllerRevision'], '1.7', '1.8', '1.16', 'apps/v1'),
  api(
    'apps/v1beta2',
    ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
    '1.8',
    '1.9',
    '1.16',
    'apps/v1',
  ),
  api('batch/v1beta1', ['CronJob'], '1.8', '1.21', '1.25', 'batch/v1'),
  api('policy/v1beta1', ['PodDisruptionBudget'], '1.5', '1.21', '1.25', 'policy/v1'),
  api('policy/v1beta1', ['PodSecurityPolicy'], '1.10', '1.21', '1.25'),
  api('networking.k8s.io/v1beta1', ['Ingress'], '1.14', '1.19', '1.22', 'networking.k8s.io/v1'),
  api('networking.k8s.io/v1beta1', ['IngressClass'], '1.18', '1.19', '1.22', 'networking.k8s.io/v1'),
  api('rbac.authorization.k8s.io/v1alpha1', RBAC, '1.6', '1.17', '1.22', 'rbac.authorization.k8s.io/v1'),
  api('rbac.authorization.k8s.io/v1beta1', RBAC, '1.8', '1.17', '1.22', 'rbac.authorization.k8s.io/v1'),
  api(
    'admissionregistration.k8s.io/v1beta1',
    ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    '1.9',
    '1.16',
    '1.22',
    'admissionregistration.k8s.io/v1',
  ),
  api('apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], '1.7', '1.16', '1.22', 'apiextensions.k8s.io/v1'),
  api('apiregistration.k8s.io/v1beta1', ['APIService'], '1.7', '1.19', '1.22', 'apiregistration.k8s.io/v1'),
  api('scheduling.k8s.io/v1alpha1', ['PriorityClass'], '1.8', '1.14', '1.17', 'scheduling.k8s.io/v1'),
  api('scheduling.k8s.io/v1beta1', ['PriorityClass'], '1.11', '1.14', '1.22', 'scheduling.k8s.io/v1'),
  api('storage.k8s.io/v1beta1', ['StorageClass'], '1.4', '1.19', '1.22', 'storage.k8s.io/v1'),
  api('storage.k8s.io/v1beta1', ['VolumeAttachment'], '1.10', '1.19', '1.22', 'storage.k8s.io/v1'),
  api('storage.k8s.io/v1beta1', ['CSIDriver'], '1.14', '1.19', '1.22', 'storage.k8s.io/v1'),
  api('storage.k8s.io/v1beta1', ['CSINode'], '1.14', '1.17', '1.22', 'storage.k8s.io/v1'),
  api('storage.k8s.io/v1beta1', ['CSIStorageCapacity'], '1.21', '1.24', '1.27', 'storage.k8s.io/v1'),
  api('storage.k8s.io/v1alpha1', ['VolumeAttachment'], '1.9', '1.21', '1.24', 'storage.k8s.io/v1'),
  api('storage.k8s.io/v1alpha1', ['CSIStorageCapacity'], '1.19', '1.21', '1.24', 'storage.k8s.io/v1'),
  api('certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], '1.12', '1.19', '1.22', 'certificates.k8s.io/v1'),
  api('coordination.k8s.io/v1beta1', ['Lease'], '1.12', '1.19', '1.22', 'coordination.k8s.io/v1'),
  api('discovery.k8s.io/v1beta1', ['EndpointSlice'], '1.16', '1.21', '1.25', 'discovery.k8s.io/v1'),
  api('events.k8s.io/v1beta1', ['Event'], '1.8', '1.22', '1.25', 'events.k8s.io/v1'),
  api('node.k8s.io/v1beta1', ['RuntimeClass'], '1.14', '1.22', '1.25', 'node.k8s.io/v1'),
  api('autoscaling/v2beta1', ['HorizontalPodAutoscaler'], '1.8', '1.22', '1.25', 'autoscaling/v2'),
  api('autoscaling/v2beta2', ['HorizontalPodAutoscaler'], '1.12', '1.23', '1.26', 'autoscaling/v2'),
  api('flowcontrol.apiserver.k8s.io/v1alpha1', FLOW_CONTROL, '1.18', '1.20', '1.21', 'flowcontrol.apiserver.k8s.io/v1'),
  api('flowcontrol.apiserver.k8s.io/v1beta1', FLOW_CONTROL, '1.20', '1.23', '1.26', 'flowcontrol.apiserver.k8s.io/v1'),
  api('flowcontrol.apiserver.k8s.io/v1beta2', FLOW_CONTROL, '1.23', '1.26', '1.29', 'flowcontrol.apiserver.k8s.io/v1'),
  // Unknown to kubeaudit 0.22:
  api('flowcontrol.apiserver.k8s.io/v1beta3', FLOW_CONTROL, '1.26', '1.29', '1.32', 'flowcontrol.apiserver.k8s.io/v1'),
  api(
    'admissionregistration.k8s.io/v1alpha1',
    ADMISSION_POLICY,
    '1.26',
    '1.29',
    '1.32',
    'admissionregistration.k8s.io/v1',
  ),
  api(
    'admissionregistration.k8s.io/v1beta1',
    ADMISSION_POLICY,
    '1.28',
    '1.31',
    '1.34',
    'admissionregistration.k8s.io/v1',
  ),
  api('storage.k8s.io/v1alpha1', ['VolumeAttributesClass'], '1.29', '1.32', '1.35', 'storage.k8s.io/v1'),
  api('storage.k8s.io/v1beta1', ['VolumeAttributesClass'], '1.31', '1.34', '1.37', 'storage.k8s.io/v1'),
  api('networking.k8s.io/v1beta1', ['IPAddress', 'ServiceCIDR'], '1.31', '1.34', '1.37', 'networking.k8s.io/v1'),
  api('resource.k8s.io/v1beta1', DRA, '1.32', '1.35', '1.38', 'resource.k8s.io/v1'),
];

const BY_TYPE = new Map(
  LIFECYCLES.flatMap((entry) => entry.kinds.map((kind) => [`${entry.apiVersion} ${kind}`, entry] as const)),
);

interface Version {
  major: number;
  minor: number;
}

const VERSION_PATTERN = /^(\d{1,2})\.(\d{1,2})$/;

function parseVersion(text: string): Version {
  const match = VERSION_PATTERN.exec(text);
  if (!match) throw new Error(`"${text}" is not a Kubernetes version: give it as major.minor, e.g. "1.31"`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

function optionVersion(text: string | null, name: string): Version | undefined {
  if (text === null || text === '') return undefined;
  try {
    return parseVersion(text);
  } catch (error) {
    throw new Error(`deprecatedapis option ${name}: ${(error as Error).message}`, { cause: error });
  }
}

function compare(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor;
}

interface Fact {
  at: Located;
  span: SetReport['span'];
  kind: string;
  lifecycle: Lifecycle;
}

function severityOf(lifecycle: Lifecycle, current: Version | undefined, targeted: Version | undefined): Severity {
  if (targeted && compare(targeted, parseVersion(lifecycle.removed)) >= 0) return 'error';
  if (current && compare(current, parseVersion(lifecycle.deprecated)) < 0) return 'info';
  return 'warning';
}

/** What a terminal line shows: when the API version goes away, and what replaces it. */
function shortMessageOf(kind: string, lifecycle: Lifecycle): string {
  const use = lifecycle.replacement !== undefined ? `; use ${lifecycle.replacement}` : '';
  return `${lifecycle.apiVersion} ${kind} is deprecated, removed in v${lifecycle.removed}${use}`;
}

/** kubeaudit's message, word for word, so reports stay comparable (the conformance corpus pins it). */
function messageOf(kind: string, lifecycle: Lifecycle): string {
  const use = lifecycle.replacement !== undefined ? `; use ${lifecycle.replacement} ${kind}` : '';
  return (
    `${lifecycle.apiVersion} ${kind} is deprecated in v${lifecycle.deprecated}+, unavailable ` +
    `in v${lifecycle.removed}+, introduced in v${lifecycle.introduced}+${use}`
  );
}

function metadataOf(kind: string, lifecycle: Lifecycle): Record<string, string> {
  const [deprecated, removed, introduced] = [lifecycle.deprecated, lifecycle.removed, lifecycle.introduced].map(
    parseVersion,
  ) as [Version, Version, Version];
  return {
    DeprecatedMajor: String(deprecated.major),
    DeprecatedMinor: String(deprecated.minor),
    RemovedMajor: String(removed.major),
    RemovedMinor: String(removed.minor),
    IntroducedMajor: String(introduced.major),
    IntroducedMinor: String(introduced.minor),
    ...(lifecycle.replacement !== undefined ? { ReplacementGroup: lifecycle.replacement, ReplacementKind: kind } : {}),
  };
}

export const deprecatedapis: ResourceSetRule<Fact, Options> = {
  kind: 'resource-set',
  meta: {
    id: 'deprecatedapis',
    profiles: ['kubeaudit'],
    kubeaudit: {
      flags: [
        {
          flags: '--current-k8s-version <M.m>',
          description: 'the Kubernetes version the cluster runs',
          option: 'currentVersion',
        },
        {
          flags: '--targeted-k8s-version <M.m>',
          description: 'the Kubernetes version to migrate to',
          option: 'targetedVersion',
        },
      ],
      configAlias: {
        key: 'config',
        why:
          'deprecated: kubeaudit read the deprecatedapis options from here by mistake; move them to ' +
          'auditors.deprecatedapis (which wins when both are set)',
      },
    },
    description: 'Resources must not use deprecated or removed Kubernetes API versions.',
    codes: {
      DeprecatedAPIUsed: {
        severity: 'warning',
        description:
          'The resource uses a deprecated API version (info before currentVersion deprecates it, error once targetedVersion no longer serves it).',
      },
    },
    options: {
      currentVersion: {
        description:
          'The Kubernetes version the cluster runs, as "major.minor" (e.g. "1.30"): APIs it does not deprecate yet are reported as info.',
        schema: { type: ['string', 'null'], pattern: '^$|^\\d{1,2}\\.\\d{1,2}$' },
        default: null,
      },
      targetedVersion: {
        description:
          'The Kubernetes version you upgrade to, as "major.minor" (e.g. "1.34"): APIs it no longer serves are reported as errors.',
        schema: { type: ['string', 'null'], pattern: '^$|^\\d{1,2}\\.\\d{1,2}$' },
        default: null,
      },
    },
  },
  // Each finding is about its own resource: other files tell nothing.
  contextKinds: [],
  readsType: (apiVersion, kind) => BY_TYPE.has(`${apiVersion} ${kind}`),
  collect(resource, at) {
    const lifecycle = BY_TYPE.get(`${resource.apiVersion} ${resource.kind}`);
    if (!lifecycle) return undefined;
    return { at, span: at.spanOf([...at.resourcePath, 'apiVersion']), kind: resource.kind, lifecycle };
  },
  check(facts, { options, report }) {
    const current = optionVersion(options.currentVersion, 'currentVersion');
    const targeted = optionVersion(options.targetedVersion, 'targetedVersion');
    for (const { at, span, kind, lifecycle } of facts) {
      report({
        at,
        span,
        code: 'DeprecatedAPIUsed',
        severity: severityOf(lifecycle, current, targeted),
        message: shortMessageOf(kind, lifecycle),
        details: messageOf(kind, lifecycle),
        metadata: metadataOf(kind, lifecycle),
      });
    }
  },
};
