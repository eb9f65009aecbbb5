import { resourceId, type AuditDifference, type ResourceKey, type Side, type ToolFinding } from './model.js';

/** Findings of one resource, container and code. */
type Group = { resource: ResourceKey; container: string; code: string; findings: ToolFinding[] };

function groupKey(finding: ToolFinding): string {
  return `${resourceId(finding.resource)}\u0000${finding.container}\u0000${finding.code}`;
}

function groups(findings: readonly ToolFinding[]): Map<string, Group> {
  const byKey = new Map<string, Group>();
  for (const finding of findings) {
    const key = groupKey(finding);
    const group = byKey.get(key) ?? {
      resource: finding.resource,
      container: finding.container,
      code: finding.code,
      findings: [],
    };
    group.findings.push(finding);
    byKey.set(key, group);
  }
  return byKey;
}

function onlyIn(side: Side, mine: Map<string, Group>, theirs: Map<string, Group>): AuditDifference[] {
  return [...mine].filter(([key]) => !theirs.has(key)).map(([, group]) => ({ ...group, reportedBy: side }));
}

/**
 * Compares, per resource (kind, namespace, name) and container, the set of finding codes (`AuditResultName`s) each
 * tool reported: how often a code is reported does not count, as kubeaudit repeats some per policy or annotation.
 */
export function compareAudits(kubeaudit: readonly ToolFinding[], kubemend: readonly ToolFinding[]): AuditDifference[] {
  const theirs = groups(kubeaudit);
  const ours = groups(kubemend);
  return [...onlyIn('kubeaudit', theirs, ours), ...onlyIn('kubemend', ours, theirs)];
}
