import { nodeAt, type NodePath } from '../../load/nodes.js';
import type { Span } from '../../load/positions.js';
import { readStringMap, type Resource } from '../../load/resources.js';
import type { Workload } from '../../load/workloads.js';
import type { Finding, ResourceRef } from '../types.js';
import type { Directive } from './directive.js';

/*
 * Suppression annotations, which survive Kustomize and Helm (both drop comments):
 *   ignore.kubemend.io/<rule-or-code>: "<reason>[ until=YYYY-MM-DD]"              the whole resource
 *   ignore.kubemend.io/<rule-or-code>.<container>: "<reason>[ until=YYYY-MM-DD]"  one container
 * on the resource's metadata.annotations or on its pod template's. Container names have no dots, rule ids and
 * codes neither, so the first dot separates the two.
 */
export const ANNOTATION_PREFIX = 'ignore.kubemend.io/';

const UNTIL = /(?:^|\s)until=(\S*)\s*$/;

function sameResource(a: ResourceRef, b: ResourceRef): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;
}

/** The reason and `until` of an annotation's value; `true` and an empty value (kubeaudit's habit) give no reason. */
function readValue(value: string): { reason: string | null; until: string | null } {
  const until = UNTIL.exec(value);
  const reason = (until ? value.slice(0, until.index) : value).trim();
  return { reason: reason === '' || reason.toLowerCase() === 'true' ? null : reason, until: until ? until[1]! : null };
}

function toDirective(key: string, value: string, span: Span, resource: ResourceRef, documentIndex: number): Directive {
  const subject = key.slice(ANNOTATION_PREFIX.length);
  const dot = subject.indexOf('.');
  const name = dot === -1 ? subject : subject.slice(0, dot);
  const container = dot === -1 ? undefined : subject.slice(dot + 1);
  const problems: string[] = [];
  if (name.includes('/')) {
    problems.push(
      `the API server rejects an annotation key with a second "/": name the rule ${name} by one of its codes (kubemend rules lists them)`,
    );
  }
  if (container === '')
    problems.push(
      "no container after the dot: write the container's name, or drop the dot to cover the whole resource",
    );
  const { reason, until } = readValue(value);
  return {
    kind: 'annotation',
    label: `annotation ${key}`,
    names: name === '' ? [] : [name],
    reason,
    until,
    span,
    owner: { resource, documentIndex },
    problems,
    covers: (finding: Finding) =>
      finding.documentIndex === documentIndex &&
      sameResource(finding.resource, resource) &&
      (container === undefined || finding.container === container),
  };
}

/** The suppression annotations of a resource and of its pod template, while its document is in memory. */
export function readAnnotationDirectives(
  resource: Resource,
  workload: Workload | undefined,
  ref: ResourceRef,
  spanOf: (path: NodePath) => Span,
): Directive[] {
  const metadataPaths = [[...resource.path, 'metadata']];
  if (workload && workload.templatePath.length > resource.path.length)
    metadataPaths.push([...workload.templatePath, 'metadata']);
  const directives: Directive[] = [];
  for (const metadataPath of metadataPaths) {
    const annotationsPath = [...metadataPath, 'annotations'];
    const annotations = readStringMap(resource.doc, nodeAt(resource.doc, resource.doc.contents, annotationsPath));
    for (const [key, value] of annotations) {
      if (!key.startsWith(ANNOTATION_PREFIX)) continue;
      directives.push(toDirective(key, value, spanOf([...annotationsPath, key]), ref, resource.documentIndex));
    }
  }
  return directives;
}
