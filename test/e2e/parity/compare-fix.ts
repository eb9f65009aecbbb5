import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import {
  resourceId,
  type DataDifference,
  type FixDifference,
  type FixRun,
  type ResourceKey,
  type Side,
} from './model.js';

/** The resources of a fixed manifest as data, and the first YAML error if it does not parse. */
export interface FixedOutput {
  resources: { key: ResourceKey; data: Record<string, unknown> }[];
  error?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyOf(data: Record<string, unknown>): ResourceKey {
  const metadata = isObject(data.metadata) ? data.metadata : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { kind: text(data.kind), namespace: text(metadata.namespace), name: text(metadata.name) };
}

/**
 * `status` is written by the cluster and ignored when a manifest is applied. kubeaudit's encoder adds `status: {}`
 * and its clean-up removes it only when a newline follows, so whether it stays depends on the file's last byte.
 */
function normalise(data: Record<string, unknown>): Record<string, unknown> {
  const { status: _ignored, ...rest } = data;
  return rest;
}

/**
 * Parses a fixed manifest as data; documents that do not parse are left out and the first error is kept. Line breaks
 * are read as YAML defines them (CR LF, CR or LF): kubeaudit ends a CRLF file it rewrote with a lone CR, which the
 * `yaml` package would take for content.
 */
export function readFixedOutput(text: string): FixedOutput {
  const output: FixedOutput = { resources: [] };
  for (const doc of parseAllDocuments(text.replace(/\r\n?/g, '\n'))) {
    const [error] = doc.errors;
    if (error) {
      output.error ??= error.message.split('\n')[0];
      continue;
    }
    const data: unknown = doc.toJS({ maxAliasCount: -1 });
    if (isObject(data) && typeof data.kind === 'string')
      output.resources.push({ key: keyOf(data), data: normalise(data) });
  }
  return output;
}

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** Every place where two values differ: a dotted path (`spec.containers[0].securityContext`) and both values. */
export function dataDifferences(kubeaudit: unknown, kubemend: unknown, path = ''): DataDifference[] {
  if (isDeepStrictEqual(kubeaudit, kubemend)) return [];
  if (Array.isArray(kubeaudit) && Array.isArray(kubemend)) {
    const length = Math.max(kubeaudit.length, kubemend.length);
    return Array.from({ length }, (_, index) =>
      dataDifferences(kubeaudit[index], kubemend[index], join(path, index)),
    ).flat();
  }
  if (isObject(kubeaudit) && isObject(kubemend)) {
    const keys = new Set([...Object.keys(kubeaudit), ...Object.keys(kubemend)]);
    return [...keys].flatMap((key) => dataDifferences(kubeaudit[key], kubemend[key], join(path, key)));
  }
  return [{ path, kubeaudit, kubemend }];
}

function byResource(output: FixedOutput): Map<string, { key: ResourceKey; data: Record<string, unknown> }[]> {
  const map = new Map<string, { key: ResourceKey; data: Record<string, unknown> }[]>();
  for (const resource of output.resources)
    map.set(resourceId(resource.key), [...(map.get(resourceId(resource.key)) ?? []), resource]);
  return map;
}

export interface FixComparison {
  /** Every resource of the original or either output (a key declared twice counts twice). */
  resources: ResourceKey[];
  differences: FixDifference[];
}

const invalid = (side: Side, output: FixedOutput) =>
  output.error ? [`${side}'s output is not valid YAML: ${output.error}`] : [];

/**
 * Pairs the resources of both fixed outputs by kind, namespace and name (in file order when a key repeats). The
 * original's resources are counted too, so that one lost from both outputs (both invalid YAML) is not overlooked.
 */
export function compareFixedOutputs(
  original: FixedOutput,
  kubeaudit: FixedOutput,
  kubemend: FixedOutput,
): FixComparison {
  const before = byResource(original);
  const theirs = byResource(kubeaudit);
  const ours = byResource(kubemend);
  const comparison: FixComparison = { resources: [], differences: [] };
  for (const id of new Set([...before.keys(), ...theirs.keys(), ...ours.keys()])) {
    const [o, a, b] = [before.get(id) ?? [], theirs.get(id) ?? [], ours.get(id) ?? []];
    for (let index = 0; index < Math.max(o.length, a.length, b.length); index++) {
      const key = (o[index] ?? a[index] ?? b[index])!.key;
      comparison.resources.push(key);
      if (a[index] && b[index]) {
        const paths = dataDifferences(a[index]!.data, b[index]!.data);
        if (paths.length > 0) comparison.differences.push({ resource: key, kind: 'data', paths });
      } else if (a[index] || b[index]) {
        const side: Side = a[index] ? 'kubeaudit' : 'kubemend';
        const detail = invalid(
          side === 'kubeaudit' ? 'kubemend' : 'kubeaudit',
          side === 'kubeaudit' ? kubemend : kubeaudit,
        ).join('');
        comparison.differences.push({ resource: key, kind: 'missing', side, paths: [], ...(detail ? { detail } : {}) });
      } else {
        const detail = [...invalid('kubeaudit', kubeaudit), ...invalid('kubemend', kubemend)].join('; ');
        comparison.differences.push({ resource: key, kind: 'lost', paths: [], ...(detail ? { detail } : {}) });
      }
    }
  }
  return comparison;
}

/** When one side wrote nothing, every resource of the other side's output differs, for that reason. */
export function failedFix(failed: Side, failure: string, other: FixRun | FixedOutput): FixComparison {
  const output = 'resources' in other ? other : 'text' in other ? readFixedOutput(other.text) : { resources: [] };
  const resources = output.resources.map((resource) => resource.key);
  return {
    resources,
    differences: resources.map((resource) => ({ resource, kind: 'failed', side: failed, paths: [], detail: failure })),
  };
}
