import type { Override } from './types.js';

/*
 * kubeaudit's override labels, read from the pod template's labels (a Namespace's for netpols).
 * Container labels are tried before pod labels, and within each, in kubeaudit's order.
 */
const CONTAINER_PREFIXES = ['container.audit.kubernetes.io/', 'container.kubeaudit.io/'];
const POD_PREFIXES = ['kubeaudit.io/', 'audit.kubernetes.io/pod.', 'audit.kubernetes.io/namespace.'];

export function isOverrideLabel(label: string): boolean {
  return [...CONTAINER_PREFIXES, ...POD_PREFIXES].some((prefix) => label.startsWith(prefix));
}

export function containerOverrideLabels(container: string, identifier: string): string[] {
  return CONTAINER_PREFIXES.map((prefix) => `${prefix}${container}.${identifier}`);
}

export function podOverrideLabels(identifier: string): string[] {
  return POD_PREFIXES.map((prefix) => `${prefix}${identifier}`);
}

function toOverride(labels: ReadonlyMap<string, string>, candidates: string[]): Override | undefined {
  for (const label of candidates) {
    const value = labels.get(label);
    if (value === undefined) continue;
    return { label, reason: value === '' || value.toLowerCase() === 'true' ? null : value };
  }
  return undefined;
}

/**
 * The label that allows `identifier` for `container` (or, without one, for the pod). `anyContainer` lets a
 * pod-level finding be allowed by a container's label too, as kubeaudit documents for hostns.
 */
export function findOverride(
  labels: ReadonlyMap<string, string>,
  identifier: string,
  scope: { container?: string; anyContainer?: readonly string[] },
): Override | undefined {
  const containers = scope.container !== undefined ? [scope.container] : [];
  const fromContainer = toOverride(
    labels,
    containers.flatMap((name) => containerOverrideLabels(name, identifier)),
  );
  const fromPod = toOverride(labels, podOverrideLabels(identifier));
  const fromAnyContainer = toOverride(
    labels,
    (scope.anyContainer ?? []).flatMap((name) => containerOverrideLabels(name, identifier)),
  );
  return fromContainer ?? fromPod ?? fromAnyContainer;
}

export const ALLOWED_SUFFIX = 'Allowed';
export const REDUNDANT_OVERRIDE_CODE = 'RedundantAuditorOverride';
