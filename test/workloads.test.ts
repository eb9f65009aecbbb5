import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKLOAD_KINDS, parseManifest, resourcesOf, workloadOf } from '../src/index.js';
import { CONFORMANCE_DIR } from './support/conformance.js';

const POD_SPEC = `containers:
  - name: app
    image: nginx
initContainers:
  - name: init
    image: busybox
ephemeralContainers:
  - name: debug
    image: busybox
`;

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => (line ? ' '.repeat(spaces) + line : line))
    .join('\n');
}

/** A manifest of `kind` whose pod template sits where `templatePath` says (a Pod is its own template). */
function manifestFor(apiVersion: string, kind: string, templatePath: readonly (string | number)[]): string {
  const header = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: w\n`;
  if (templatePath.length === 0) return `${header}spec:\n${indent(POD_SPEC, 2)}`;
  let template = `metadata:\n  labels:\n    app: x\nspec:\n${indent(POD_SPEC, 2)}`;
  for (const key of [...templatePath].reverse()) template = `${key}:\n${indent(template, 2)}`;
  return header + template;
}

const CASES: [string, string][] = [
  ['v1', 'Pod'],
  ['v1', 'PodTemplate'],
  ['v1', 'ReplicationController'],
  ['apps/v1', 'Deployment'],
  ['extensions/v1beta1', 'Deployment'],
  ['apps/v1', 'ReplicaSet'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['batch/v1beta1', 'CronJob'],
  ['argoproj.io/v1alpha1', 'Rollout'],
  ['apps.openshift.io/v1', 'DeploymentConfig'],
];

describe('workload table', () => {
  it.each(CASES)('%s %s exposes its pod spec and every container with role, name and index', (apiVersion, kind) => {
    const entry = WORKLOAD_KINDS.find((k) => k.kind === kind)!;
    const text = manifestFor(apiVersion, kind, entry.templatePath);
    const { documents, errors } = parseManifest(text);
    expect(errors).toEqual([]);
    const resource = resourcesOf(documents[0]!.doc, 0)[0]!;
    const workload = workloadOf(resource);
    expect(workload, `${kind} should be a workload`).toBeDefined();
    expect(workload!.podSpec).toBeDefined();
    expect(workload!.podSpecPath).toEqual([...entry.templatePath, 'spec']);
    expect(workload!.containers.map((c) => [c.role, c.name, c.index, c.path.join('.')])).toEqual([
      ['container', 'app', 0, [...entry.templatePath, 'spec', 'containers', 0].join('.')],
      ['initContainer', 'init', 0, [...entry.templatePath, 'spec', 'initContainers', 0].join('.')],
      ['ephemeralContainer', 'debug', 0, [...entry.templatePath, 'spec', 'ephemeralContainers', 0].join('.')],
    ]);
  });

  it('reads pod-template labels and annotations, not the controller metadata', () => {
    const text =
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels:\n    outer: ` +
      `"1"\nspec:\n  template:\n    metadata:\n      labels:\n        inner: "2"\n      ` +
      `annotations:\n        note: yes\n    spec:\n      containers: []\n`;
    const { documents } = parseManifest(text);
    const workload = workloadOf(resourcesOf(documents[0]!.doc, 0)[0]!)!;
    expect([...workload.labels]).toEqual([['inner', '2']]);
    expect([...workload.annotations]).toEqual([['note', 'yes']]);
  });

  it('is not fooled by a kind name from another API group', () => {
    for (const [apiVersion, kind] of [
      ['example.com/v1', 'Deployment'],
      ['v1', 'Namespace'],
      ['v1', 'ConfigMap'],
      ['serving.knative.dev/v1', 'Service'],
    ]) {
      const { documents } = parseManifest(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n`);
      expect(workloadOf(resourcesOf(documents[0]!.doc, 0)[0]!), `${apiVersion} ${kind}`).toBeUndefined();
    }
  });

  const expected = JSON.parse(readFileSync(path.join(CONFORMANCE_DIR, 'expected.json'), 'utf8')) as {
    resourceModel: {
      fixture: string;
      documents: { kind: string; apiVersion: string; hasContainers: boolean; hasPodTemplate: boolean }[];
    }[];
  };
  it.each(expected.resourceModel.map((entry) => [entry.fixture, entry] as const))(
    'agrees with kubeaudit on %s',
    (fixture, entry) => {
      const text = readFileSync(path.join(CONFORMANCE_DIR, fixture), 'utf8');
      const { documents, errors } = parseManifest(text);
      expect(errors).toEqual([]);
      const resources = documents.flatMap(({ doc, index }) => resourcesOf(doc, index));
      expect(resources.map((r) => [r.kind, r.apiVersion])).toEqual(entry.documents.map((d) => [d.kind, d.apiVersion]));
      resources.forEach((resource, i) => {
        const workload = workloadOf(resource);
        expect(workload !== undefined && workload.containers.length > 0).toBe(entry.documents[i]!.hasContainers);
      });
    },
  );
});
