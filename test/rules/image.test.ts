import { describe, expect, it } from 'vitest';
import { RULES, lintText } from '../../src/index.js';

const rules = RULES.filter((rule) => rule.meta.id === 'image');
const DIGEST = `sha256:${'a'.repeat(64)}`;

function podWithImages(images: (string | null)[]): string {
  const containers = images.map((image, index) => [
    `    - name: c${index}`,
    ...(image === null ? [] : [`      image: "${image}"`]),
  ]);
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    'spec:',
    '  containers:',
    ...containers.flat(),
    '',
  ].join('\n');
}

function lint(text: string, image?: string) {
  const result = lintText('t.yaml', text, {
    rules,
    ruleOptions: image === undefined ? undefined : { image: { image } },
  });
  expect(result.errors).toEqual([]);
  return result.findings;
}

function codeFor(reference: string | null, option?: string): string | null {
  const findings = lint(podWithImages([reference]), option);
  expect(findings.length).toBeLessThanOrEqual(1);
  return findings[0]?.code ?? null;
}

describe('image', () => {
  describe('reads image references as container runtimes do', () => {
    it.each([
      ['nginx', 'ImageTagMissing'],
      ['nginx:', 'ImageTagMissing'],
      ['nginx:1.27', null],
      ['nginx:latest', null],
      ['docker.io/library/nginx:1.2', null],
      // kubeaudit split on the first ':' and took "5000/app" for a tag.
      ['registry:5000/app', 'ImageTagMissing'],
      ['localhost:5000/team/app', 'ImageTagMissing'],
      ['registry:5000/app:1.2', null],
      // A digest pins the image even without a tag.
      [`app@${DIGEST}`, null],
      [`registry:5000/app@${DIGEST}`, null],
      [`app:1.2@${DIGEST}`, null],
      [null, 'ImageTagMissing'],
    ])('%s without an image option → %s', (reference, code) => {
      expect(codeFor(reference)).toBe(code);
    });

    it.each([
      ['nginx:1.2', 'nginx:1.2', 'ImageCorrect'],
      ['nginx:1.2', 'docker.io/library/nginx:1.2', 'ImageCorrect'],
      ['nginx:1.2', 'index.docker.io/library/nginx:1.2', 'ImageCorrect'],
      ['docker.io/library/nginx:1.2', 'nginx:1.2', 'ImageCorrect'],
      ['nginx:1.2', `nginx:1.2@${DIGEST}`, 'ImageCorrect'],
      ['nginx:1.2', 'nginx:1.3', 'ImageTagIncorrect'],
      ['nginx:1.2', 'library/nginx:latest', 'ImageTagIncorrect'],
      ['nginx:1.2', `nginx@${DIGEST}`, 'ImageTagIncorrect'],
      ['nginx:1.2', 'myorg/nginx:1.3', null],
      ['nginx:1.2', 'quay.io/nginx:1.3', null],
      ['nginx:1.2', 'nginx-extra:1.3', null],
      ['registry:5000/app:2.0', 'registry:5000/app:2.0', 'ImageCorrect'],
      // kubeaudit compared "registry" with tag "5000/app" here and called both correct.
      ['registry:5000/app:2.0', 'registry:5000/app:1.0', 'ImageTagIncorrect'],
      ['registry:5000/app:2.0', 'registry:5000/other:2.0', null],
      [`app:1.2@${DIGEST}`, `app:1.2@${DIGEST}`, 'ImageCorrect'],
      [`app:1.2@${DIGEST}`, `app:1.2@sha256:${'b'.repeat(64)}`, 'ImageTagIncorrect'],
      ['nginx:1.2', 'nginx', 'ImageTagMissing'],
    ])('option %s, image %s → %s', (option, reference, code) => {
      expect(codeFor(reference, option)).toBe(code);
    });
  });

  it('checks init and ephemeral containers too, and points at the image value', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  initContainers:',
      '    - name: setup',
      '      image: busybox',
      '  containers:',
      '    - name: app',
      '      image: nginx:1.27',
      '  ephemeralContainers:',
      '    - name: debug',
      '      image: alpine',
      '',
    ].join('\n');
    expect(
      lint(text).map(({ code, severity, container, line, column, endColumn }) => ({
        code,
        severity,
        container,
        line,
        column,
        endColumn,
      })),
    ).toEqual([
      { code: 'ImageTagMissing', severity: 'warning', container: 'setup', line: 8, column: 14, endColumn: 21 },
      { code: 'ImageTagMissing', severity: 'warning', container: 'debug', line: 14, column: 14, endColumn: 20 },
    ]);
  });

  it('points at the container when it has no image at all', () => {
    const [finding] = lint(podWithImages([null]));
    expect(finding).toMatchObject({ code: 'ImageTagMissing', container: 'c0', line: 7 });
    expect(finding!.details).toMatch(/sets no image/);
  });

  it('gives the kubeaudit severities and says what to change', () => {
    const text = podWithImages(['nginx:1.3', 'nginx:1.2', 'redis']);
    const findings = lint(text, 'nginx:1.2').map(({ code, severity, container, message, details }) => ({
      code,
      severity,
      container,
      message,
      details,
    }));
    expect(findings).toEqual([
      {
        code: 'ImageTagIncorrect',
        severity: 'error',
        container: 'c0',
        message: 'container "c0" uses "nginx:1.3", not the required "nginx:1.2"',
        details: expect.stringMatching(/container "c0" uses "nginx:1\.3", but the required image is "nginx:1\.2"/),
      },
      {
        code: 'ImageCorrect',
        severity: 'info',
        container: 'c1',
        message: expect.stringMatching(/"nginx:1\.2"/),
        details: expect.stringMatching(/"nginx:1\.2"/),
      },
      {
        code: 'ImageTagMissing',
        severity: 'warning',
        container: 'c2',
        message: 'container "c2" uses an image without a tag or digest',
        details: expect.stringMatching(/"redis" without a tag or digest.*"redis:1\.2\.3"/),
      },
    ]);
  });

  it('suggests a tag for an image written with an empty one, without doubling the colon', () => {
    const [finding] = lint(podWithImages(['nginx:']));
    expect(finding).toMatchObject({
      code: 'ImageTagMissing',
      details: expect.stringContaining('(e.g. "nginx:1.2.3")'),
    });
    expect(finding!.details).not.toContain('nginx::');
  });

  it('tells how to keep a digest and show the required tag', () => {
    const [finding] = lint(podWithImages([`nginx@${DIGEST}`]), 'nginx:1.2');
    expect(finding!.details).toContain(`Write it as "nginx:1.2@${DIGEST}"`);
  });

  it('treats an empty option as no requirement, as kubeaudit does', () => {
    expect(lint(podWithImages(['nginx:1.3']), '')).toEqual([]);
  });

  it('rejects an option without a tag instead of comparing against an empty one', () => {
    expect(() => lint(podWithImages(['nginx:1.3']), 'nginx')).toThrow(/image option "nginx" names no tag/);
  });

  it('declares the option with a schema that accepts name:tag and refuses a bare name', () => {
    const option = rules[0]!.meta.options!.image!;
    const pattern = new RegExp(option.schema.pattern as string);
    expect(option.default).toBeNull();
    for (const ok of ['', 'nginx:1.2', 'registry:5000/app:1.2', `app:1.2@${DIGEST}`])
      expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ['nginx', 'registry:5000/app', `app@${DIGEST}`]) expect(pattern.test(bad), bad).toBe(false);
  });
});
