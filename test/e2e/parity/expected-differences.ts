import type { FixedOutput } from './compare-fix.js';
import { resourceId, type AuditDifference, type AuditRun, type FixDifference, type ResourceKey } from './model.js';
import type { OriginalFile, OriginalResource } from './original-file.js';

/*
 * Where kubemend deliberately differs from kubeaudit on real manifests, grouped by cause. Each entry links to the
 * README table that gives the reason and a minimal example, and says, by looking at the manifest, which differences
 * it explains: a difference no entry explains is a kubemend bug until someone explains it here and in a README.
 */

/** What an entry may look at: the file as it was and both tools' audits. */
export interface FileEvidence {
  original: OriginalFile;
  kubeaudit: AuditRun;
  kubemend: AuditRun;
}

export interface FixEvidence extends FileEvidence {
  /** kubeaudit's own fixed output (undefined when its autofix failed). */
  kubeauditFixedText: string | undefined;
  kubeauditOutput: FixedOutput | undefined;
}

export interface ExpectedDifference {
  id: string;
  /** Repository-relative `file#anchor` of the README section whose table has a row for this id. */
  readme: string;
  /** What kubeaudit does and what kubemend does instead, in one line. */
  summary: string;
  audit?: (difference: AuditDifference, evidence: FileEvidence) => boolean;
  fix?: (difference: FixDifference, evidence: FixEvidence) => boolean;
}

const README_PARITY = 'README.md#parity-with-kubeaudit';
const ruleReadme = (rule: string) => `rules/${rule}/README.md#differences-on-real-manifests`;

/** kubeaudit's default `denyPathsList` (auditors/mounts), which it compares with host paths as plain strings. */
const KUBEAUDIT_DENY_PATHS = new Set([
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

/** Workload API versions kubeaudit decodes but whose pod templates it never reads (pkg/k8s handles apps/v1 only). */
const UNAUDITED_WORKLOAD_VERSIONS = new Set(['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2']);

function resourceOf(evidence: FileEvidence, key: ResourceKey): OriginalResource | undefined {
  return evidence.original.resource(key);
}

/** kubeaudit splits on every `---`; left of a real document marker, one inside the document cuts it in pieces. */
function cutByKubeauditSplit(resource: OriginalResource | undefined): boolean {
  return resource !== undefined && resource.documentSource.replace(/^---(?=[ \t\r]|$)/gm, '').includes('---');
}

const sameResource = (a: ResourceKey, b: ResourceKey) => resourceId(a) === resourceId(b);

function kubeauditSaidNothingAbout(key: ResourceKey, evidence: FileEvidence): boolean {
  return !evidence.kubeaudit.findings.some((finding) => sameResource(finding.resource, key));
}

/** An env var whose `value` is not a string: Kubernetes's decoder (and so kubeaudit's) rejects the whole object. */
function hasNonStringEnvValue(resource: OriginalResource | undefined): boolean {
  return [...(resource?.containers.values() ?? [])].some(
    (container) =>
      Array.isArray(container.env) &&
      container.env.some(
        (variable) =>
          typeof variable === 'object' &&
          variable !== null &&
          'value' in variable &&
          typeof variable.value !== 'string',
      ),
  );
}

function notDecodedByKubeaudit(key: ResourceKey, evidence: FileEvidence): boolean {
  return kubeauditSaidNothingAbout(key, evidence) && hasNonStringEnvValue(resourceOf(evidence, key));
}

function unauditedWorkload(resource: OriginalResource | undefined): boolean {
  return resource !== undefined && resource.isWorkload && UNAUDITED_WORKLOAD_VERSIONS.has(resource.apiVersion);
}

const isDuplicateKeyError = (run: AuditRun) => run.failure !== undefined && /duplicate key/.test(run.failure);

function imageOf(difference: AuditDifference, evidence: FileEvidence): string | undefined {
  const image = resourceOf(evidence, difference.resource)?.containers.get(difference.container)?.image;
  return typeof image === 'string' ? image : undefined;
}

/** kubeaudit takes everything after the first `:` as the tag; the reference's last path segment has none. */
function colonOnlyBeforeLastSegment(image: string | undefined): boolean {
  if (image === undefined || image.includes('@')) return false;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  return image.includes(':') && !lastSegment.includes(':');
}

function sameNamespacePolicyFinding(evidence: FileEvidence, code: string, namespace: string, policy: string): boolean {
  return evidence.kubemend.findings.some(
    (finding) =>
      finding.code === code &&
      finding.resource.kind === 'NetworkPolicy' &&
      finding.resource.namespace === namespace &&
      finding.resource.name === policy,
  );
}

function namespaceFindingNamingPolicy(evidence: FileEvidence, code: string, policy: ResourceKey): boolean {
  return evidence.kubeaudit.findings.some(
    (finding) =>
      finding.code === code &&
      finding.resource.kind === 'Namespace' &&
      finding.resource.name === policy.namespace &&
      finding.metadata.PolicyName === policy.name,
  );
}

const ALLOW_ALL_CODES = new Set(['AllowAllIngressNetworkPolicyExists', 'AllowAllEgressNetworkPolicyExists']);

/** A pod spec's `securityContext.runAsUser` (not a container's), at any workload's template path. */
const POD_RUN_AS_USER = /^(?:spec\.(?:template\.|jobTemplate\.spec\.template\.)?)?spec\.securityContext\.runAsUser$/;

export const EXPECTED_DIFFERENCES: readonly ExpectedDifference[] = [
  {
    id: 'split-on-dashes',
    readme: README_PARITY,
    summary: 'kubeaudit splits a file at every `---`, even in a comment or a string, and skips the pieces',
    audit: (difference, evidence) => cutByKubeauditSplit(resourceOf(evidence, difference.resource)),
    fix: (difference, evidence) => cutByKubeauditSplit(resourceOf(evidence, difference.resource)),
  },
  {
    id: 'undecodable-document',
    readme: README_PARITY,
    summary: 'kubeaudit skips an object its Go types cannot decode (an env `value: true`); kubemend lints it',
    audit: (difference, evidence) =>
      difference.reportedBy === 'kubemend' && notDecodedByKubeaudit(difference.resource, evidence),
    fix: (difference, evidence) => notDecodedByKubeaudit(difference.resource, evidence),
  },
  {
    id: 'beta-workloads',
    readme: README_PARITY,
    summary: 'kubeaudit checks only the apiVersion of `extensions/v1beta1`, `apps/v1beta1`/`v1beta2` workloads',
    audit: (difference, evidence) =>
      difference.reportedBy === 'kubemend' && unauditedWorkload(resourceOf(evidence, difference.resource)),
    fix: (difference, evidence) => unauditedWorkload(resourceOf(evidence, difference.resource)),
  },
  {
    id: 'duplicate-keys',
    readme: README_PARITY,
    summary: 'kubeaudit takes the last of duplicate keys; kubemend reports a file error, as the API server does',
    audit: (difference, evidence) => difference.reportedBy === 'kubeaudit' && isDuplicateKeyError(evidence.kubemend),
    fix: (difference, evidence) =>
      difference.kind === 'failed' && difference.side === 'kubemend' && isDuplicateKeyError(evidence.kubemend),
  },
  {
    id: 'image-colon-before-name',
    readme: ruleReadme('image'),
    summary: 'kubeaudit takes all after the first `:` as the tag, so `ko://example.dev/app` has one',
    audit: (difference, evidence) =>
      difference.reportedBy === 'kubemend' &&
      difference.code === 'ImageTagMissing' &&
      colonOnlyBeforeLastSegment(imageOf(difference, evidence)),
  },
  {
    id: 'mounts-normalised-path',
    readme: ruleReadme('mounts'),
    summary: 'kubeaudit compares host paths as strings: `/proc/` is not `/proc` to it',
    audit: (difference) =>
      difference.reportedBy === 'kubemend' &&
      difference.code === 'SensitivePathsMounted' &&
      difference.findings.every((finding) => !KUBEAUDIT_DENY_PATHS.has(finding.metadata.MountVolumeHostPath ?? '')),
  },
  {
    id: 'netpols-allow-all-on-policy',
    readme: ruleReadme('netpols'),
    summary: 'kubeaudit reports an allow-all rule on the Namespace; kubemend on the NetworkPolicy that has it',
    audit: (difference, evidence) => {
      if (!ALLOW_ALL_CODES.has(difference.code)) return false;
      if (difference.reportedBy === 'kubemend') {
        return (
          difference.resource.kind === 'NetworkPolicy' &&
          namespaceFindingNamingPolicy(evidence, difference.code, difference.resource)
        );
      }
      return (
        difference.resource.kind === 'Namespace' &&
        difference.findings.every((finding) =>
          sameNamespacePolicyFinding(
            evidence,
            difference.code,
            difference.resource.name,
            finding.metadata.PolicyName ?? '',
          ),
        )
      );
    },
  },
  {
    id: 'netpols-policy-glued-to-last-line',
    readme: ruleReadme('netpols'),
    summary: 'kubeaudit puts its new NetworkPolicy on the last line of a file without a final newline: invalid YAML',
    fix: (difference, evidence) =>
      difference.kind === 'missing' &&
      difference.side === 'kubemend' &&
      !evidence.original.endsWithNewline &&
      evidence.kubeauditOutput?.error !== undefined &&
      /[^\n]---\napiVersion: networking\.k8s\.io\/v1\nkind: NetworkPolicy\n/.test(evidence.kubeauditFixedText ?? ''),
  },
  {
    id: 'nonroot-pod-run-as-user-0',
    readme: ruleReadme('nonroot'),
    summary:
      "kubeaudit's RunAsUserPSCRoot fix leaves the pod's `runAsUser: 0`, so the pod cannot start; kubemend deletes it",
    fix: (difference, evidence) =>
      difference.kind === 'data' &&
      difference.paths.every(
        (path) => POD_RUN_AS_USER.test(path.path) && path.kubeaudit === 0 && path.kubemend === undefined,
      ) &&
      evidence.kubeaudit.findings.some(
        (finding) => finding.code === 'RunAsUserPSCRoot' && sameResource(finding.resource, difference.resource),
      ),
  },
];
