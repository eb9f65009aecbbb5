import type { Workload, Container } from '../load/workloads.js';
import { asScalar, nodeAt, type NodePath } from '../load/nodes.js';
import { readBoolean } from '../load/scalars.js';

/*
 * How rules read pod and container fields: with Kubernetes' scalar rules, and with the path each value
 * has (or would have) from the document root, so findings point at the right node.
 */

export interface FieldValue<T> {
  value: T | undefined;
  path: NodePath;
}

function readAt<T>(workload: Workload, base: NodePath, relative: NodePath, read: (node: ReturnType<typeof asScalar> & object) => T | undefined): FieldValue<T> {
  const path = [...base, ...relative];
  const scalar = asScalar(workload.doc, nodeAt(workload.doc, workload.doc.contents, path));
  return { value: scalar ? read(scalar) : undefined, path };
}

export function podBoolean(workload: Workload, field: NodePath): FieldValue<boolean> {
  return readAt(workload, workload.podSpecPath, field, readBoolean);
}

export function containerBoolean(workload: Workload, container: Container, field: NodePath): FieldValue<boolean> {
  return readAt(workload, container.path, field, readBoolean);
}

export function containerRef(container: Container): { name: string | undefined; role: Container['role'] } {
  return { name: container.name, role: container.role };
}

/** How messages name a container: `container "app"`, `init container "setup"`, `ephemeral container "debug"`. */
export function describeContainer(container: Container): string {
  const kind = container.role === 'initContainer' ? 'init container' : container.role === 'ephemeralContainer' ? 'ephemeral container' : 'container';
  return container.name ? `${kind} "${container.name}"` : `${kind} #${container.index + 1}`;
}
