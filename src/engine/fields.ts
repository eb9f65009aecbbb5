import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { asScalar, asSeq, nodeAt, type NodePath } from '../load/nodes.js';
import { readBoolean, readInteger, readString } from '../load/scalars.js';
import type { Container, Workload } from '../load/workloads.js';
import type { Patch } from './types.js';

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

/** `field` below `base` (the node at `basePath`): the same as from the root, without walking down to `base` again. */
function readBelow<T>(
  workload: Pick<Workload, 'doc'>,
  base: Node | undefined,
  basePath: NodePath,
  field: NodePath,
  read: ScalarReader<T>,
): FieldValue<T> {
  const node = base === undefined ? undefined : nodeAt(workload.doc, base, field);
  const scalar = asScalar(workload.doc, node);
  return { value: scalar ? read(scalar) : undefined, path: [...basePath, ...field], present: !isAbsent(node) };
}

/** Whether anything but a YAML null is at `path`: for maps and lists such as `securityContext.capabilities`. */
export function isPresent(workload: Pick<Workload, 'doc'>, path: NodePath): boolean {
  return !isAbsent(nodeAtPath(workload, path));
}

/**
 * How many entries the mapping or sequence at `path` holds (a selector's `matchLabels`, a NetworkPolicy's `ingress`
 * rules, a rule's `from` peers): 0 when it is absent or null, as Go's `len` of a nil field.
 */
export function countEntries(workload: Pick<Workload, 'doc'>, path: NodePath): number {
  const node = nodeAtPath(workload, path);
  return isMap(node) || isSeq(node) ? node.items.length : 0;
}

/** The scalar items of a sequence (e.g. `capabilities.drop`), each with its own path; non-scalars are skipped. */
export function readList<T>(
  workload: Pick<Workload, 'doc'>,
  path: NodePath,
  read: ScalarReader<T>,
): ListItem<T>[] | undefined {
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

/**
 * The pod (`undefined`) and then every container: what may hold a security setting of its own that is checked where
 * it is written (runAsUser, seLinuxOptions, seccompProfile, windowsOptions, …). Read it with `securityContextField`.
 */
export function securityContextOwners(workload: Workload): (Container | undefined)[] {
  return [undefined, ...workload.containers];
}

/** `securityContext.<field>` of the pod (`container` undefined) or of a container, e.g. `['seLinuxOptions', 'type']`. */
export function securityContextField<T>(
  workload: Workload,
  container: Container | undefined,
  field: NodePath,
  read: ScalarReader<T>,
): FieldValue<T> {
  return container
    ? containerField(workload, container, ['securityContext', ...field], read)
    : podField(workload, ['securityContext', ...field], read);
}

/** Where an annotation of the pod is (the pod template's for controllers), whether or not it exists. */
export function podAnnotationPath(workload: Workload, key: string): NodePath {
  return [...workload.templatePath, 'metadata', 'annotations', key];
}

export function containerPath(container: Container, ...field: NodePath): NodePath {
  return [...container.path, ...field];
}

/** A field of the pod spec, e.g. `podField(w, ['securityContext', 'runAsUser'], asInteger)`. */
export function podField<T>(workload: Workload, field: NodePath, read: ScalarReader<T>): FieldValue<T> {
  return readBelow(workload, workload.podSpec, workload.podSpecPath, field, read);
}

/** A field of a container, e.g. `containerField(w, c, ['securityContext', 'privileged'], asBoolean)`. */
export function containerField<T>(
  workload: Workload,
  container: Container,
  field: NodePath,
  read: ScalarReader<T>,
): FieldValue<T> {
  return readBelow(workload, container.node, container.path, field, read);
}

/** How messages name a container: `container "app"`, `init container "setup"`, `ephemeral container "debug"`. */
export function describeContainer(container: Container): string {
  const kind =
    container.role === 'initContainer'
      ? 'init container'
      : container.role === 'ephemeralContainer'
        ? 'ephemeral container'
        : 'container';
  return container.name ? `${kind} "${container.name}"` : `${kind} #${container.index + 1}`;
}

/** A `securityContext.seccompProfile` or `.appArmorProfile` (`{type, localhostProfile}`), of the pod or of a container. */
export interface SecurityProfile {
  present: boolean;
  type: string | undefined;
  path: NodePath;
  typePath: NodePath;
  localhostProfile: { present: boolean; path: NodePath };
}

/** Reads the pod's profile (no container) or a container's own, without inheritance. */
export function readSecurityProfile(
  workload: Workload,
  container: Container | undefined,
  field: 'seccompProfile' | 'appArmorProfile',
): SecurityProfile {
  const read = (rest: string[]) =>
    container
      ? containerField(workload, container, ['securityContext', field, ...rest], asString)
      : podField(workload, ['securityContext', field, ...rest], asString);
  const profile = read([]);
  const type = read(['type']);
  const localhost = read(['localhostProfile']);
  return {
    present: profile.present,
    type: type.value,
    path: profile.path,
    typePath: type.path,
    localhostProfile: { present: localhost.present, path: localhost.path },
  };
}

/** Patches that make a profile `{type: RuntimeDefault}`: a localhostProfile is only valid next to type Localhost, so it goes. */
export function runtimeDefaultProfile(profile: SecurityProfile): Patch[] {
  const patches: Patch[] = [{ op: 'set', path: profile.typePath, value: 'RuntimeDefault' }];
  if (profile.localhostProfile.present) patches.push({ op: 'delete', path: profile.localhostProfile.path });
  return patches;
}
