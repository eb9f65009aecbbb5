import { describe, expect, it } from 'vitest';
import { PRIVILEGED, brief, lintFiles, podWith, privilegedContainer } from './support.js';

/** A Deployment with two privileged containers; `resource` and `template` are annotation lines (4 and 8 spaces in). */
function deployment(resource: string, template: string): string {
  const containers = [privilegedContainer('app'), privilegedContainer('driver')]
    .join('')
    .replace(/^ {4}/gm, '        ');
  const annotations = (lines: string, indent: string) => (lines ? `${indent}annotations:\n${lines}` : '');
  return [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n',
    annotations(resource, '  '),
    'spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n',
    annotations(template, '      '),
    '    spec:\n      containers:\n',
    containers,
  ].join('');
}

describe('ignore.kubemend.io annotations', () => {
  it("on the resource's metadata, suppress for the whole resource", async () => {
    const text = deployment('    ignore.kubemend.io/privileged: "storage driver, tracked in OPS-42"\n', '');
    const { status, findings, suppressed } = await lintFiles({ 'web.yaml': text }, PRIVILEGED);
    expect(status).toBe(0);
    expect(findings).toEqual([]);
    expect(suppressed.map(({ code, container, suppression }) => ({ code, container, suppression }))).toEqual([
      {
        code: 'PrivilegedTrue',
        container: 'app',
        suppression: { kind: 'annotation', reason: 'storage driver, tracked in OPS-42', until: null },
      },
      {
        code: 'PrivilegedTrue',
        container: 'driver',
        suppression: { kind: 'annotation', reason: 'storage driver, tracked in OPS-42', until: null },
      },
    ]);
  });

  it('on the pod template, with .<container>, suppress for that container only, until their date', async () => {
    const text = deployment(
      '',
      '        ignore.kubemend.io/PrivilegedTrue.driver: "loads a kernel module until=2026-12-31"\n',
    );
    const { findings, suppressed } = await lintFiles({ 'web.yaml': text }, PRIVILEGED);
    expect(brief(findings)).toEqual([{ code: 'PrivilegedTrue', line: 19, container: 'app' }]);
    expect(suppressed.map(({ container, suppression }) => ({ container, suppression }))).toEqual([
      {
        container: 'driver',
        suppression: { kind: 'annotation', reason: 'loads a kernel module', until: '2026-12-31' },
      },
    ]);

    const expired = await lintFiles({ 'web.yaml': text }, PRIVILEGED, { KUBEMEND_TODAY: '2027-01-01' });
    expect(expired.suppressed).toEqual([]);
    expect(brief(expired.findings)).toEqual([
      { code: 'SuppressionExpired', line: 13, container: null },
      { code: 'PrivilegedTrue', line: 19, container: 'app' },
      { code: 'PrivilegedTrue', line: 23, container: 'driver' },
    ]);
    expect(expired.findings[0]!.message).toBe(
      'annotation ignore.kubemend.io/PrivilegedTrue.driver expired on 2026-12-31 and no longer ' +
        'applies: fix what it suppressed, or move the date if the reason still holds',
    );
  });

  it('suppress findings of rules that see several resources, on the resource they are reported on', async () => {
    const namespace =
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n    ignore.kubemend.io/netpols: "the service mesh enforces traffic policy"\n';
    const { findings, suppressed } = await lintFiles({ 'ns.yaml': namespace }, [
      '--rule',
      'netpols',
      '--rule',
      'suppressions',
    ]);
    expect(findings).toEqual([]);
    expect(
      suppressed.map(({ rule, resource, suppression }) => ({ rule, kind: resource.kind, source: suppression.kind })),
    ).toEqual([{ rule: 'netpols', kind: 'Namespace', source: 'annotation' }]);
  });

  const invalid: [string, string, string][] = [
    [
      'no reason ("true")',
      'ignore.kubemend.io/privileged: "true"',
      'annotation ignore.kubemend.io/privileged does not apply: no reason: the value must say why this is accepted',
    ],
    [
      'only a date',
      'ignore.kubemend.io/privileged: "until=2026-12-31"',
      'annotation ignore.kubemend.io/privileged does not apply: no reason: the value must say why this is accepted',
    ],
    [
      'an unknown name',
      'ignore.kubemend.io/PrivilegedTru: "legacy"',
      'annotation ignore.kubemend.io/PrivilegedTru does not apply: unknown rule or code "PrivilegedTru"; did you mean PrivilegedTrue?',
    ],
    [
      'a malformed date',
      'ignore.kubemend.io/privileged: "legacy until=31.12.2026"',
      'annotation ignore.kubemend.io/privileged does not apply: until=31.12.2026 is not a date written YYYY-MM-DD',
    ],
    [
      'a rule id with a slash',
      'ignore.kubemend.io/pss/privileged: "legacy"',
      'annotation ignore.kubemend.io/pss/privileged does not apply: the API server rejects an ' +
        'annotation key with a second "/": name the rule pss/privileged by one of its codes ' +
        '(kubemend rules lists them)',
    ],
  ];

  it.each(invalid)('%s: invalid, reported at the annotation, nothing suppressed', async (_, annotation, message) => {
    const text = podWith(privilegedContainer('app'), `  annotations:\n    ${annotation}\n`);
    const { findings, suppressed } = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(suppressed).toEqual([]);
    expect(findings.map(({ code, line, message }) => ({ code, line, message }))).toEqual([
      { code: 'SuppressionInvalid', line: 6, message },
      { code: 'PrivilegedTrue', line: 12, message: expect.any(String) },
    ]);
  });

  it('an annotation that suppresses nothing is unused, and one for another container too', async () => {
    const text = podWith(
      privilegedContainer('app'),
      '  annotations:\n    ignore.kubemend.io/hostns: "legacy"\n    ignore.kubemend.io/privileged.sidecar: "legacy"\n',
    );
    const { findings } = await lintFiles({ 'pod.yaml': text }, [...PRIVILEGED, '--rule', 'hostns']);
    expect(findings.map(({ code, line, message }) => ({ code, line, message }))).toEqual([
      {
        code: 'SuppressionUnused',
        line: 6,
        message: 'annotation ignore.kubemend.io/hostns suppresses nothing: remove it',
      },
      {
        code: 'SuppressionUnused',
        line: 7,
        message: 'annotation ignore.kubemend.io/privileged.sidecar suppresses nothing: remove it',
      },
      { code: 'PrivilegedTrue', line: 13, message: expect.any(String) },
    ]);
  });

  it('follow the policy: unsuppressible names, --no-inline-config', async () => {
    const text = deployment('    ignore.kubemend.io/privileged: "legacy"\n', '');
    const forbidden = await lintFiles(
      { '.kubemend.yaml': 'suppressionPolicy:\n  unsuppressible: [privileged]\n', 'web.yaml': text },
      PRIVILEGED,
    );
    expect(forbidden.suppressed).toEqual([]);
    expect(forbidden.findings.map((finding) => finding.code)).toEqual([
      'SuppressionInvalid',
      'PrivilegedTrue',
      'PrivilegedTrue',
    ]);
    const ignored = await lintFiles({ 'web.yaml': text }, [...PRIVILEGED, '--no-inline-config']);
    expect(ignored.suppressed).toEqual([]);
    expect(ignored.findings.map((finding) => finding.code)).toEqual(['PrivilegedTrue', 'PrivilegedTrue']);
  });
});
