import type { Finding, ResourceRef } from '../engine/types.js';

/** `Deployment/web`, or `Deployment/web in namespace shop`. */
export function describeResource(resource: ResourceRef): string {
  const name = `${resource.kind}/${resource.name ?? '(unnamed)'}`;
  return resource.namespace ? `${name} in namespace ${resource.namespace}` : name;
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end === -1 ? text : text.slice(0, end);
}

/**
 * A finding's message for GitHub, which may show only the first sentence: it starts with the resource, and names the
 * container there unless the rule's own first sentence already does (rules write `container "app" …`). SARIF gives
 * the short message (the rule's help explains); annotations, which have no help, give the details.
 */
export function findingMessage(finding: Finding, message = finding.message): string {
  const { container } = finding;
  const namesContainer = container === null || firstSentence(message).includes(`"${container}"`);
  const subject = namesContainer
    ? describeResource(finding.resource)
    : `${describeResource(finding.resource)}, container "${container}"`;
  return `${subject}: ${message}`;
}
