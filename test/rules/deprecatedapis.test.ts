import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, lintInputs, lintText } from '../../src/index.js';
import { fixtureDir } from '../support/cli.js';

const rules = RULES.filter((rule) => rule.meta.id === 'deprecatedapis');

type Options = { currentVersion?: string | null; targetedVersion?: string | null };

function resource(apiVersion: string, kind: string, name = 'x'): string {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
}

function lint(text: string, options?: Options) {
  const result = lintText('t.yaml', text, { rules, ruleOptions: options ? { deprecatedapis: options } : undefined });
  expect(result.errors).toEqual([]);
  return result.findings;
}

function severity(apiVersion: string, kind: string, options?: Options): string | undefined {
  const findings = lint(resource(apiVersion, kind), options);
  expect(findings.length).toBeLessThanOrEqual(1);
  return findings[0]?.severity;
}

describe('deprecatedapis', () => {
  it('checks every kind of resource, not only workloads', () => {
    const text = [
      resource('policy/v1beta1', 'PodDisruptionBudget', 'pdb'),
      resource('rbac.authorization.k8s.io/v1beta1', 'ClusterRole', 'reader'),
      resource('networking.k8s.io/v1beta1', 'Ingress', 'web'),
      resource('apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', 'widgets.example.com'),
      resource('extensions/v1beta1', 'Deployment', 'old'),
    ].join('---\n');
    expect(lint(text).map(({ code, resource: { kind, name } }) => ({ code, kind, name }))).toEqual([
      { code: 'DeprecatedAPIUsed', kind: 'PodDisruptionBudget', name: 'pdb' },
      { code: 'DeprecatedAPIUsed', kind: 'ClusterRole', name: 'reader' },
      { code: 'DeprecatedAPIUsed', kind: 'Ingress', name: 'web' },
      { code: 'DeprecatedAPIUsed', kind: 'CustomResourceDefinition', name: 'widgets.example.com' },
      { code: 'DeprecatedAPIUsed', kind: 'Deployment', name: 'old' },
    ]);
  });

  it('is quiet for served API versions, current kinds in old groups, and custom resources', () => {
    const text = [
      resource('apps/v1', 'Deployment'),
      resource('batch/v1', 'CronJob'),
      resource('networking.k8s.io/v1', 'Ingress'),
      resource('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema'),
      resource('storage.k8s.io/v1beta1', 'SomethingElse'),
      resource('example.com/v1beta1', 'CronJob'),
      resource('v1', 'ConfigMap'),
    ].join('---\n');
    expect(lint(text)).toEqual([]);
  });

  it('points at the apiVersion value, also for items of a List', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      '    metadata: {name: ok}',
      '  - apiVersion: autoscaling/v2beta2',
      '    kind: HorizontalPodAutoscaler',
      '    metadata: {name: hpa}',
      '---',
      'kind: PodSecurityPolicy',
      'apiVersion: "policy/v1beta1"',
      'metadata: {name: restricted}',
      '',
    ].join('\n');
    expect(
      lint(text).map(({ resource: { kind }, line, column, endColumn, documentIndex }) => ({
        kind,
        line,
        column,
        endColumn,
        documentIndex,
      })),
    ).toEqual([
      { kind: 'HorizontalPodAutoscaler', line: 7, column: 17, endColumn: 36, documentIndex: 0 },
      { kind: 'PodSecurityPolicy', line: 12, column: 13, endColumn: 29, documentIndex: 1 },
    ]);
  });

  it('reports resources of several files in their own file', async () => {
    const dir = fixtureDir({
      'a.yaml': resource('batch/v1beta1', 'CronJob', 'a'),
      'b.yaml': `${resource('apps/v1', 'Deployment')}---\n${resource('node.k8s.io/v1beta1', 'RuntimeClass', 'b')}`,
    });
    const results = await lintInputs([path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml')], { rules });
    expect(
      results.map((result) => ({
        file: path.basename(result.file),
        found: result.findings.map((f) => `${f.resource.name}@${f.line}`),
      })),
    ).toEqual([
      { file: 'a.yaml', found: ['a@1'] },
      { file: 'b.yaml', found: ['b@6'] },
    ]);
  });

  describe('grades severity by the version options', () => {
    it.each([
      // [current, targeted, severity] for batch/v1beta1 CronJob: deprecated 1.21, removed 1.25
      [null, null, 'warning'],
      ['1.20', null, 'info'],
      ['1.21', null, 'warning'],
      [null, '1.24', 'warning'],
      [null, '1.25', 'error'],
      ['1.20', '1.25', 'error'],
      ['', '', 'warning'],
      // kubeaudit compared major and minor separately, so 2.0 did not reach 1.25; versions are ordered here.
      [null, '2.0', 'error'],
      ['0.30', null, 'info'],
    ])('current %s, targeted %s → %s', (currentVersion, targetedVersion, expected) => {
      expect(severity('batch/v1beta1', 'CronJob', { currentVersion, targetedVersion })).toBe(expected);
    });
  });

  describe('knows removals newer than kubeaudit 0.22', () => {
    it.each([
      // [apiVersion, kind, last release that still serves it, removed in]
      ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.31', '1.32'],
      ['flowcontrol.apiserver.k8s.io/v1beta3', 'PriorityLevelConfiguration', '1.31', '1.32'],
      ['flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', '1.28', '1.29'],
      ['admissionregistration.k8s.io/v1alpha1', 'ValidatingAdmissionPolicy', '1.31', '1.32'],
      ['admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicy', '1.33', '1.34'],
      ['admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicyBinding', '1.33', '1.34'],
      ['storage.k8s.io/v1alpha1', 'VolumeAttributesClass', '1.34', '1.35'],
      ['storage.k8s.io/v1beta1', 'VolumeAttributesClass', '1.36', '1.37'],
      ['networking.k8s.io/v1beta1', 'ServiceCIDR', '1.36', '1.37'],
      ['networking.k8s.io/v1beta1', 'IPAddress', '1.36', '1.37'],
      ['resource.k8s.io/v1beta1', 'ResourceClaim', '1.37', '1.38'],
      ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.26', '1.27'],
    ])('%s %s: a warning for %s, an error for %s', (apiVersion, kind, served, removed) => {
      expect(severity(apiVersion, kind, { targetedVersion: served })).toBe('warning');
      expect(severity(apiVersion, kind, { targetedVersion: removed })).toBe('error');
    });

    it("reports an API deprecated only after the cluster's version as info", () => {
      expect(severity('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', { currentVersion: '1.28' })).toBe('info');
      expect(severity('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', { currentVersion: '1.29' })).toBe(
        'warning',
      );
    });

    it("says what replaces it, with kubeaudit's message and metadata keys", () => {
      const [finding] = lint(resource('admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicy'));
      expect(finding!.details).toBe(
        'admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy is deprecated in v1.31+, ' +
          'unavailable in v1.34+, introduced in v1.28+; use admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy',
      );
      expect(finding!.metadata).toEqual({
        DeprecatedMajor: '1',
        DeprecatedMinor: '31',
        RemovedMajor: '1',
        RemovedMinor: '34',
        IntroducedMajor: '1',
        IntroducedMinor: '28',
        ReplacementGroup: 'admissionregistration.k8s.io/v1',
        ReplacementKind: 'ValidatingAdmissionPolicy',
      });
    });
  });

  it("names the right replacement kind for IngressClass (kubeaudit's data said IngressClassList)", () => {
    const [finding] = lint(resource('networking.k8s.io/v1beta1', 'IngressClass'));
    expect(finding!.metadata.ReplacementKind).toBe('IngressClass');
    expect(finding!.details).toMatch(/; use networking\.k8s\.io\/v1 IngressClass$/);
  });

  it('offers no replacement for PodSecurityPolicy, which has none', () => {
    const [finding] = lint(resource('policy/v1beta1', 'PodSecurityPolicy'));
    expect(finding!.details).toBe(
      'policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+, introduced in v1.10+',
    );
    expect(Object.keys(finding!.metadata)).not.toContain('ReplacementGroup');
  });

  it('rejects a version option that is not major.minor', () => {
    expect(() => lint(resource('batch/v1beta1', 'CronJob'), { targetedVersion: 'v1.25' })).toThrow(
      /targetedVersion: "v1.25" is not a Kubernetes version/,
    );
    expect(() => lint(resource('batch/v1beta1', 'CronJob'), { currentVersion: '1.25.3' })).toThrow(/currentVersion/);
  });

  it('declares the version options with a matching schema', () => {
    const { currentVersion, targetedVersion } = rules[0]!.meta.options!;
    for (const option of [currentVersion!, targetedVersion!]) {
      expect(option.default).toBeNull();
      const pattern = new RegExp(option.schema.pattern as string);
      for (const ok of ['', '1.25', '1.9', '2.0']) expect(pattern.test(ok), ok).toBe(true);
      for (const bad of ['v1.25', '1.25.3', '1', '125']) expect(pattern.test(bad), bad).toBe(false);
    }
  });
});
