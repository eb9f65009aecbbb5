import { isScalar, type Node, type Scalar } from 'yaml';
import { asScalar, asSeq, nodeAt, type NodePath } from '../load/nodes.js';
import { readBoolean, readInteger, readString } from '../load/scalars.js';
import type { Container, Workload } from '../load/workloads.js';

/*
 * How rules read pod and container fields: with Kubernetes' scalar rules, and with the path each value
 * has (or would have) from the document root, so findings point at the right node and patches at the right field.
 */

export interface FieldValue<T> {
  /** Undefined when the field is absent, null, or not of the type Kubernetes expects. */
  value: T | undefined;
  /** From the document root, whether or not the field exists. */
  path: NodePath;
  /** Whether a node (other than a YAML null) is there at all. */
  present: boolean;
}

export interface ListItem<T> {
  value: T;
  path: NodePath;
}

export type ScalarReader<T> = (scalar: Scalar) => T | undefined;

export const asBoolean: ScalarReader<boolean> = readBoolean;
export const asInteger: ScalarReader<number> = readInteger;
export const asString: ScalarReader<string> = readString;

/** The node at `path` from the document root, aliases and merge keys followed. */
export function nodeAtPath(workload: Pick<Workload, 'doc'>, path: NodePath): Node | undefined {
  return nodeAt(workload.doc, workload.doc.contents, path);
}

function isAbsent(node: Node | undefined): boolean {
  return node === undefined || (isScalar(node) && (node.value === null || node.value === undefined));
}

export function readField<T>(workload: Pick<Workload, 'doc'>, path: NodePath, read: ScalarReader<T>): FieldValue<T> {
  const node = nodeAtPath(workload, path);
  const scalar = asScalar(workload.doc, node);
  return { value: scalar ? read(scalar) : undefined, path, present: !isAbsent(node) };
}

/** The scalar items of a sequence (e.g. `capabilities.drop`), each with its own path; non-scalars are skipped. */
export function readList<T>(workload: Pick<Workload, 'doc'>, path: NodePath, read: ScalarReader<T>): ListItem<T>[] | undefined {
  const seq = asSeq(workload.doc, nodeAtPath(workload, path));
  if (!seq) return undefined;
  const items: ListItem<T>[] = [];
  seq.items.forEach((item, index) => {
    const scalar = asScalar(workload.doc, item);
    const value = scalar ? read(scalar) : undefined;
    if (value !== undefined) items.push({ value, path: [...path, index] });
  });
  return items;
}

export function podPath(workload: Workload, ...field: NodePath): NodePath {
  return [...workload.podSpecPath, ...field];
}

export function containerPath(container: Container, ...field: NodePath): NodePath {
  return [...container.path, ...field];
}

/** A field of the pod spec, e.g. `podField(w, ['securityContext', 'runAsUser'], asInteger)`. */
export function podField<T>(workload: Workload, field: NodePath, read: ScalarReader<T>): FieldValue<T> {
  return readField(workload, podPath(workload, ...field), read);
}

/** A field of a container, e.g. `containerField(w, c, ['securityContext', 'privileged'], asBoolean)`. */
export function containerField<T>(workload: Workload, container: Container, field: NodePath, read: ScalarReader<T>): FieldValue<T> {
  return readField(workload, containerPath(container, ...field), read);
}

/**
 * A security setting that a container inherits from the pod unless it sets its own
 * (runAsUser, runAsNonRoot, seccompProfile.type, …): the container's value wins, as in Kubernetes.
 */
export function effectiveSecurityField<T>(workload: Workload, container: Container, field: NodePath, read: ScalarReader<T>): { container: FieldValue<T>; pod: FieldValue<T>; value: T | undefined } {
  const own = containerField(workload, container, ['securityContext', ...field], read);
  const pod = podField(workload, ['securityContext', ...field], read);
  return { container: own, pod, value: own.value !== undefined ? own.value : pod.value };
}

/** How messages name a container: `container "app"`, `init container "setup"`, `ephemeral container "debug"`. */
export function describeContainer(container: Container): string {
  const kind = container.role === 'initContainer' ? 'init container' : container.role === 'ephemeralContainer' ? 'ephemeral container' : 'container';
  return container.name ? `${kind} "${container.name}"` : `${kind} #${container.index + 1}`;
}
