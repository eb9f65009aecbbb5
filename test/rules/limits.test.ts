import { describe, expect, it } from 'vitest';
import { RULES, lintText } from '../../src/index.js';

const rules = RULES.filter((rule) => rule.meta.id === 'limits');

type Options = { cpu?: string | number | null; memory?: string | number | null };

/** A Pod whose one container has the given lines under `resources:` (none: no `resources` at all). */
function podWithResources(resources?: string[]): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    'spec:',
    '  containers:',
    '    - name: app',
    '      image: nginx:1.27',
    ...(resources ? ['      resources:', ...resources.map((line) => `        ${line}`)] : []),
    '',
  ].join('\n');
}

function lint(text: string, options?: Options) {
  const result = lintText('t.yaml', text, { rules, ruleOptions: options ? { limits: options } : undefined });
  expect(result.errors).toEqual([]);
  return result.findings;
}

function codes(resources: string[] | undefined, options?: Options): string[] {
  return lint(podWithResources(resources), options).map((finding) => finding.code);
}

describe('limits', () => {
  it('reports only LimitsNotSet when resources.limits is absent or null', () => {
    expect(codes(undefined)).toEqual(['LimitsNotSet']);
    expect(codes(['requests:', '  cpu: 100m'])).toEqual(['LimitsNotSet']);
    expect(codes(['limits:'], { cpu: '1m', memory: '1' })).toEqual(['LimitsNotSet']);
  });

  it('reports a missing or zero CPU and memory limit separately', () => {
    expect(codes(['limits: {}'])).toEqual(['LimitsCPUNotSet', 'LimitsMemoryNotSet']);
    expect(codes(['limits:', '  cpu: 0', '  memory: 512Mi'])).toEqual(['LimitsCPUNotSet']);
    expect(codes(['limits:', '  cpu: 0m', '  memory: "0"'])).toEqual(['LimitsCPUNotSet', 'LimitsMemoryNotSet']);
    expect(codes(['limits:', '  cpu: "1"', '  memory: 0Gi'])).toEqual(['LimitsMemoryNotSet']);
  });

  it('says when a limit is not a quantity at all, which the API server would reject', () => {
    const [finding] = lint(podWithResources(['limits:', '  cpu: lots', '  memory: 1Gi']));
    expect(finding).toMatchObject({ code: 'LimitsCPUNotSet', container: 'app' });
    expect(finding!.details).toMatch(/not a Kubernetes quantity/);
  });

  describe('compares limits with the maxima exactly, as Kubernetes quantities', () => {
    it.each([
      // [limit, maximum, exceeded]
      ['500m', '0.5', false],
      ['501m', '0.5', true],
      ['0.5', '499m', true],
      ['1', '999m', true],
      ['0.1', '100m', false],
      ['1e0', '1', false],
      ['2e-1', '200m', false],
      ['200.5m', '200m', true],
      // Quantity.MilliValue rounds up: 1.5m is 2m, as kubeaudit compares it.
      ['1.5m', '2m', false],
      ['1.5m', '1m', true],
      ['"2"', '1.999', true],
    ])('cpu %s with maximum %s exceeded: %s', (limit, max, exceeded) => {
      expect(codes(['limits:', `  cpu: ${limit}`, '  memory: 1Mi'], { cpu: max })).toEqual(
        exceeded ? ['LimitsCPUExceeded'] : [],
      );
    });

    it.each([
      ['1Gi', '1073741824', false],
      ['1Gi', '1G', true],
      ['1G', '1Gi', false],
      ['1e9', '1G', false],
      ['1.5Gi', '1536Mi', false],
      ['1537Mi', '1.5Gi', true],
      ['1k', '1000', false],
      ['1Ki', '1000', true],
      ['2Ei', '2305843009213693952', false],
      ['2Ei', '2305843009213693951', true],
      ['512Mi', '0.5Gi', false],
      ['0.5Ti', '512Gi', false],
      ['1P', '1e15', false],
      ['1E', '999P', true],
      // A plain YAML 1.1 integer with a leading 0 is octal to Kubernetes (256); quoted, it is the quantity 400.
      ['0400', '300', false],
      ['"0400"', '300', true],
      ['0x100', '256', false],
    ])('memory %s with maximum %s exceeded: %s', (limit, max, exceeded) => {
      expect(codes(['limits:', '  cpu: 100m', `  memory: ${limit}`], { memory: max })).toEqual(
        exceeded ? ['LimitsMemoryExceeded'] : [],
      );
    });
  });

  it('has no maximum when the option is unset, empty or 0 (kubeaudit: a maximum must be above 0)', () => {
    const huge = ['limits:', '  cpu: "64"', '  memory: 1Ti'];
    expect(codes(huge)).toEqual([]);
    expect(codes(huge, { cpu: '', memory: null })).toEqual([]);
    expect(codes(huge, { cpu: 0, memory: '0Gi' })).toEqual([]);
  });

  it('accepts maxima given as numbers, as a YAML config file may have them', () => {
    expect(codes(['limits:', '  cpu: 1500m', '  memory: 2000'], { cpu: 1, memory: 1000 })).toEqual([
      'LimitsCPUExceeded',
      'LimitsMemoryExceeded',
    ]);
  });

  it("names the limit and the maximum, in the message and kubeaudit's metadata keys", () => {
    const findings = lint(podWithResources(['limits:', '  cpu: 750m', '  memory: 512Mi']), {
      cpu: '600m',
      memory: '384Mi',
    });
    expect(findings.map(({ code, severity, details, metadata }) => ({ code, severity, details, metadata }))).toEqual([
      {
        code: 'LimitsCPUExceeded',
        severity: 'warning',
        details: expect.stringMatching(
          /container "app" has a CPU limit of 750m, above the maximum of 600m.*Lower resources\.limits\.cpu to 600m/,
        ),
        metadata: { Container: 'app', ContainerCpuLimit: '750m', MaxCPU: '600m' },
      },
      {
        code: 'LimitsMemoryExceeded',
        severity: 'warning',
        details: expect.stringMatching(/memory limit of 512Mi, above the maximum of 384Mi/),
        metadata: { Container: 'app', ContainerMemoryLimit: '512Mi', MaxMemory: '384Mi' },
      },
    ]);
  });

  it('points at the limit value, or at the nearest present parent of a missing one', () => {
    const text = podWithResources(['limits:', '  memory: 512Mi']);
    const spans = (options?: Options) => lint(text, options).map(({ code, line, column }) => ({ code, line, column }));
    expect(spans({ memory: '256Mi' })).toEqual([
      { code: 'LimitsCPUNotSet', line: 10, column: 9 },
      { code: 'LimitsMemoryExceeded', line: 11, column: 19 },
    ]);
    expect(lint(podWithResources()).map(({ line, column }) => ({ line, column }))).toEqual([{ line: 7, column: 7 }]);
  });

  it('checks init containers but not ephemeral containers, which Kubernetes forbids to set resources', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  initContainers:',
      '    - name: setup',
      '      image: busybox:1.36',
      '  containers:',
      '    - name: app',
      '      image: nginx:1.27',
      '      resources:',
      '        limits: {cpu: 100m, memory: 64Mi}',
      '  ephemeralContainers:',
      '    - name: debug',
      '      image: alpine:3.20',
      '',
    ].join('\n');
    expect(lint(text).map(({ code, container }) => ({ code, container }))).toEqual([
      { code: 'LimitsNotSet', container: 'setup' },
    ]);
  });

  it('rejects a maximum that is not a quantity', () => {
    expect(() => lint(podWithResources(['limits: {cpu: 1, memory: 1Gi}']), { memory: '1 GB' })).toThrow(
      /limits option memory "1 GB" is not a Kubernetes quantity/,
    );
  });

  it('declares quantity options whose schema matches what the rule accepts', () => {
    const { cpu, memory } = rules[0]!.meta.options!;
    for (const option of [cpu!, memory!]) {
      expect(option.default).toBeNull();
      const pattern = new RegExp(option.schema.pattern as string);
      for (const ok of ['', '500m', '0.5', '.5', '1.', '2', '1e3', '1E-2', '512Mi', '1Gi', '1G', '+1', '-1'])
        expect(pattern.test(ok), ok).toBe(true);
      for (const bad of ['1 GB', 'Gi', '1gi', '1e', 'm', '1.2.3']) expect(pattern.test(bad), bad).toBe(false);
    }
  });
});
