import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';

/*
 * The assertion language of the kubeaudit conformance data (`autofix[].assert`, see its README), evaluated on the
 * data of a fixed manifest. Written from the README alone, without kubemend's workload table, so a mistake in that
 * table cannot hide a failing fix.
 */

export interface Assertion {
  type: string;
  scope?: string;
  container?: string;
  index?: number;
  kind?: string;
  path?: string;
  equals?: unknown;
  absentEquals?: unknown;
  key?: string;
  keys?: string[];
  prefixes?: string[];
  names?: string[];
  namespace?: string;
  denyAllIngress?: boolean;
  denyAllEgress?: boolean;
  severity?: string;
}

export interface AutofixCase {
  id: string;
  auditors: string[];
  fixture?: string;
  manifest?: string;
  config: Record<string, Record<string, unknown>> | null;
  assert: Assertion[];
  note?: string;
}

type Data = Record<string, unknown>;

/** Where each workload kind keeps its pod template (README, scope `eachPodSpec`). */
const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  PodTemplate: ['template'],
};

function isRecord(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (!isRecord(current)) return undefined;
    current = current[segment];
  }
  return current;
}

/** The data of every document of a manifest, read as Kubernetes reads it (YAML 1.1). */
export function resourcesOf(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1' }).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`the fixed manifest does not parse: ${doc.errors[0]!.message}`);
    return doc.toJS() as unknown;
  });
}

interface Workload {
  /** The pod template's metadata owner (for annotations) and its spec. */
  template: Data;
  spec: Data;
}

function workloads(resources: readonly unknown[]): Workload[] {
  return resources.filter(isRecord).flatMap((resource) => {
    const kind = String(resource.kind);
    const template = kind === 'Pod' ? resource : at(resource, POD_TEMPLATE_PATHS[kind] ?? ['-']);
    if (!isRecord(template) || !isRecord(template.spec)) return [];
    return [{ template, spec: template.spec }];
  });
}

function containersOf(workload: Workload, withInit = true): Data[] {
  const list = (key: string) =>
    Array.isArray(workload.spec[key]) ? (workload.spec[key] as unknown[]).filter(isRecord) : [];
  return withInit ? [...list('containers'), ...list('initContainers')] : list('containers');
}

/** The objects an assertion looks at, each with the workload it belongs to (for annotations). */
function scoped(resources: readonly unknown[], assertion: Assertion): { subject: Data; workload?: Workload }[] {
  const all = workloads(resources);
  switch (assertion.scope) {
    case 'eachPodSpec':
      return all.map((workload) => ({ subject: workload.spec, workload }));
    case 'eachContainer':
      return all.flatMap((workload) => containersOf(workload).map((subject) => ({ subject, workload })));
    case 'container': {
      const found = all.flatMap((workload) =>
        containersOf(workload)
          .filter((c) => c.name === assertion.container)
          .map((subject) => ({ subject, workload })),
      );
      if (found.length === 0) throw new Error(`no container named ${assertion.container}`);
      return found;
    }
    case 'containerIndex': {
      if (all.length !== 1) throw new Error(`containerIndex needs exactly one workload, found ${all.length}`);
      const subject = containersOf(all[0]!, false)[assertion.index!];
      if (!subject) throw new Error(`no container at index ${assertion.index}`);
      return [{ subject, workload: all[0]! }];
    }
    case 'eachResourceOfKind':
      return resources
        .filter((r): r is Data => isRecord(r) && r.kind === assertion.kind)
        .map((subject) => ({ subject }));
    default:
      throw new Error(`unknown scope ${assertion.scope}`);
  }
}

function annotationsOf(workload: Workload | undefined): Data {
  const annotations = at(workload?.template, ['metadata', 'annotations']);
  return isRecord(annotations) ? annotations : {};
}

/** Whether a NetworkPolicy denies all traffic of `type` for its namespace (README, `networkPolicies`). */
function deniesAll(policy: Data, type: 'Ingress' | 'Egress'): boolean {
  const selector = at(policy, ['spec', 'podSelector']);
  const selectsAll =
    !isRecord(selector) || (selector.matchLabels === undefined && selector.matchExpressions === undefined);
  const rules = at(policy, ['spec', type.toLowerCase()]);
  const types = at(policy, ['spec', 'policyTypes']);
  return selectsAll && (rules === undefined || rules === null) && Array.isArray(types) && types.includes(type);
}

export interface Reaudit {
  (text: string): { severity: string; code: string }[];
}

/** Failures of `assertions` on the fixed manifest `text` (empty when every assertion holds). */
export function failedAssertions(text: string, assertions: readonly Assertion[], reaudit: Reaudit): string[] {
  const resources = resourcesOf(text);
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  for (const a of assertions) {
    const label = JSON.stringify(a);
    switch (a.type) {
      case 'field':
        for (const { subject } of scoped(resources, a)) {
          const value = at(subject, a.path!.split('.'));
          const actual = value === undefined && 'absentEquals' in a ? a.absentEquals : value;
          check(isDeepStrictEqual(actual, a.equals), `${label}: got ${JSON.stringify(value)}`);
        }
        break;
      case 'absent':
        for (const { subject } of scoped(resources, a)) {
          const value = at(subject, a.path!.split('.'));
          check(value === undefined || value === null, `${label}: got ${JSON.stringify(value)}`);
        }
        break;
      case 'sameElements':
        for (const { subject } of scoped(resources, a)) {
          const value = at(subject, a.path!.split('.'));
          const expected = a.equals as unknown[];
          const ok =
            Array.isArray(value) &&
            value.length === expected.length &&
            expected.every((item) => value.some((v) => isDeepStrictEqual(v, item)));
          check(ok, `${label}: got ${JSON.stringify(value)}`);
        }
        break;
      case 'podAnnotation':
        for (const { subject, workload } of scoped(resources, a)) {
          const key = a.key!.replace('{container}', String(subject.name));
          check(
            annotationsOf(workload)[key] === a.equals,
            `${label}: ${key} is ${JSON.stringify(annotationsOf(workload)[key])}`,
          );
        }
        break;
      case 'noPodAnnotations':
        for (const workload of workloads(resources)) {
          const bad = Object.keys(annotationsOf(workload)).filter(
            (key) => a.keys!.includes(key) || a.prefixes!.some((prefix) => key.startsWith(prefix)),
          );
          check(bad.length === 0, `${label}: found ${bad.join(', ')}`);
        }
        break;
      case 'networkPolicies': {
        const policies = resources.filter(
          (r): r is Data =>
            isRecord(r) && r.kind === 'NetworkPolicy' && at(r, ['metadata', 'namespace']) === a.namespace,
        );
        check(
          policies.some((p) => deniesAll(p, 'Ingress')) === a.denyAllIngress,
          `${label}: deny-all ingress ${!a.denyAllIngress}`,
        );
        check(
          policies.some((p) => deniesAll(p, 'Egress')) === a.denyAllEgress,
          `${label}: deny-all egress ${!a.denyAllEgress}`,
        );
        break;
      }
      case 'resourceCount': {
        const count = resources.filter(
          (r) => isRecord(r) && typeof r.kind === 'string' && typeof r.apiVersion === 'string',
        ).length;
        check(count === a.equals, `${label}: ${count} resources`);
        break;
      }
      case 'onlyContainers': {
        const names = workloads(resources).flatMap((w) => containersOf(w).map((c) => c.name));
        check(
          isDeepStrictEqual([...names].sort(), [...a.names!].sort()),
          `${label}: containers ${JSON.stringify(names)}`,
        );
        break;
      }
      case 'reauditNoSeverity': {
        const left = reaudit(text).filter((f) => f.severity === a.severity);
        check(left.length === 0, `${label}: still ${left.map((f) => f.code).join(', ')}`);
        break;
      }
      case 'reauditOnlySeverity': {
        const other = reaudit(text).filter((f) => f.severity !== a.severity);
        check(other.length === 0, `${label}: also ${other.map((f) => `${f.code} (${f.severity})`).join(', ')}`);
        break;
      }
      default:
        failures.push(`unknown assertion type ${a.type}`);
    }
  }
  return failures;
}
