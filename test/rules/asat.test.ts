import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, lintInputs, lintText } from '../../src/index.js';
import { applyFindingFixes } from '../support/apply-patches.js';
import { fixtureDir } from '../support/cli.js';

const rules = RULES.filter((rule) => rule.meta.id === 'asat');

function deployment({
  namespace,
  podLabels = [],
  spec = [],
}: {
  namespace?: string;
  podLabels?: string[];
  spec?: string[];
}): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    ...podLabels.map((label) => `        ${label}`),
    '    spec:',
    ...spec.map((line) => `      ${line}`),
    '      containers:',
    '        - name: app',
    '          image: nginx:1.27',
    '',
  ].join('\n');
}

function defaultAccount({ namespace, automount }: { namespace?: string; automount?: string }): string {
  return [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: default',
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    ...(automount !== undefined ? [`automountServiceAccountToken: ${automount}`] : []),
    '',
  ].join('\n');
}

/** Lints files (name → text) in one run, as the CLI does for several paths; findings carry their file's base name. */
async function lint(files: Record<string, string>) {
  const dir = fixtureDir(files);
  const texts = Object.fromEntries(Object.entries(files).map(([name, text]) => [path.join(dir, name), text]));
  const results = await lintInputs(Object.keys(texts), { rules });
  for (const result of results) expect(result.errors).toEqual([]);
  const findings = results.flatMap((result) =>
    result.findings.map((finding) => ({ ...finding, file: path.basename(result.file) })),
  );
  const base = (finding: (typeof findings)[number]) => ({
    ...finding,
    patches: finding.patches.map(({ target, patch }) => ({
      target: { ...target, file: path.basename(target.file) },
      patch,
    })),
  });
  return { texts, findings: findings.map(base), raw: results.flatMap((result) => result.findings) };
}

/** Applies every patch of the run and lints the result again. */
async function lintAfterFix(files: Record<string, string>) {
  const { texts, raw } = await lint(files);
  const fixed = applyFindingFixes(texts, raw);
  return lint(Object.fromEntries(Object.entries(fixed).map(([file, text]) => [path.basename(file), text])));
}

describe('asat: the default ServiceAccount across files and namespaces', () => {
  it('takes automountServiceAccountToken: false from the default ServiceAccount of the same namespace in another file', async () => {
    const { findings } = await lint({
      'app.yaml': deployment({ namespace: 'shop' }),
      'accounts.yaml': defaultAccount({ namespace: 'shop', automount: 'false' }),
    });
    expect(findings).toEqual([]);
  });

  it('ignores a default ServiceAccount of another namespace, and fixes the pod spec instead', async () => {
    const { findings } = await lint({
      'app.yaml': deployment({ namespace: 'shop' }),
      'accounts.yaml': defaultAccount({ namespace: 'billing', automount: 'false' }),
    });
    expect(findings.map(({ code, severity, file }) => ({ code, severity, file }))).toEqual([
      { code: 'AutomountServiceAccountTokenTrueAndDefaultSA', severity: 'error', file: 'app.yaml' },
    ]);
    expect(findings[0]!.details).toMatch(/namespace "shop"/);
    expect(findings[0]!.patches).toEqual([
      {
        target: { file: 'app.yaml', documentIndex: 0 },
        patch: { op: 'set', path: ['spec', 'template', 'spec', 'automountServiceAccountToken'], value: false },
      },
    ]);
  });

  it('matches a workload without namespace with a ServiceAccount without namespace, and with no other', async () => {
    const account = defaultAccount({ automount: 'false' });
    expect((await lint({ 'app.yaml': deployment({}), 'sa.yaml': account })).findings).toEqual([]);
    const inNamespace = await lint({ 'app.yaml': deployment({ namespace: 'shop' }), 'sa.yaml': account });
    expect(inNamespace.findings.map((f) => f.code)).toEqual(['AutomountServiceAccountTokenTrueAndDefaultSA']);
    const accountInNamespace = await lint({
      'app.yaml': deployment({}),
      'sa.yaml': defaultAccount({ namespace: 'shop', automount: 'false' }),
    });
    expect(accountInNamespace.findings.map((f) => f.code)).toEqual(['AutomountServiceAccountTokenTrueAndDefaultSA']);
  });

  it("fixes the ServiceAccount in its own file and drops the pod spec's explicit true, which clears the finding", async () => {
    const files = {
      'app.yaml': deployment({ namespace: 'shop', spec: ['automountServiceAccountToken: true'] }),
      'accounts.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n${defaultAccount({ namespace: 'shop' })}`,
    };
    const { findings } = await lint(files);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.patches).toEqual([
      {
        target: { file: 'accounts.yaml', documentIndex: 1 },
        patch: { op: 'set', path: ['automountServiceAccountToken'], value: false },
      },
      {
        target: { file: 'app.yaml', documentIndex: 0 },
        patch: { op: 'delete', path: ['spec', 'template', 'spec', 'automountServiceAccountToken'] },
      },
    ]);
    expect((await lintAfterFix(files)).findings).toEqual([]);
  });

  it('reports a default ServiceAccount that turns the token on, and its fix turns it off there', async () => {
    const files = {
      'app.yaml': deployment({ namespace: 'shop' }),
      'sa.yaml': defaultAccount({ namespace: 'shop', automount: 'true' }),
    };
    const { findings } = await lint(files);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.details).toMatch(/sa\.yaml:6\)/);
    expect(findings[0]!.patches).toEqual([
      {
        target: { file: 'sa.yaml', documentIndex: 0 },
        patch: { op: 'set', path: ['automountServiceAccountToken'], value: false },
      },
    ]);
    expect((await lintAfterFix(files)).findings).toEqual([]);
  });

  it('finds the default ServiceAccount inside a kind: List and patches it there', async () => {
    const list = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: {name: c}',
      '  - apiVersion: v1',
      '    kind: ServiceAccount',
      '    metadata: {name: default}',
      '',
    ].join('\n');
    const { findings } = await lint({ 'app.yaml': deployment({}), 'list.yaml': list });
    expect(findings[0]!.patches).toEqual([
      {
        target: { file: 'list.yaml', documentIndex: 0 },
        patch: { op: 'set', path: ['items', 1, 'automountServiceAccountToken'], value: false },
      },
    ]);
  });

  it('reads booleans as Kubernetes does (`no`, `off`)', async () => {
    expect((await lint({ 'app.yaml': deployment({ spec: ['automountServiceAccountToken: no'] }) })).findings).toEqual(
      [],
    );
    expect(
      (await lint({ 'app.yaml': deployment({}), 'sa.yaml': defaultAccount({ automount: 'off' }) })).findings,
    ).toEqual([]);
  });
});

describe('asat: service account names', () => {
  it('is quiet for a pod running as its own ServiceAccount', () => {
    expect(lintText('a.yaml', deployment({ spec: ['serviceAccountName: web'] }), { rules }).findings).toEqual([]);
  });

  it('reports the deprecated serviceAccount field at the field, and its fix moves the name', async () => {
    const files = { 'app.yaml': deployment({ spec: ['serviceAccount: builder'] }) };
    const { findings } = await lint(files);
    expect(
      findings.map(({ code, severity, line, column, endLine, endColumn, metadata }) => ({
        code,
        severity,
        line,
        column,
        endLine,
        endColumn,
        metadata,
      })),
    ).toEqual([
      {
        code: 'AutomountServiceAccountTokenDeprecated',
        severity: 'warning',
        line: 11,
        column: 23,
        endLine: 11,
        endColumn: 30,
        metadata: { DeprecatedServiceAccount: 'builder' },
      },
    ]);
    expect(findings[0]!.patches.map((p) => p.patch)).toEqual([
      { op: 'set', path: ['spec', 'template', 'spec', 'serviceAccountName'], value: 'builder' },
      { op: 'delete', path: ['spec', 'template', 'spec', 'serviceAccount'] },
    ]);
    expect((await lintAfterFix(files)).findings).toEqual([]);
  });

  it('also reports the token of `serviceAccount: default`, which Kubernetes runs as the default account', async () => {
    const files = { 'app.yaml': deployment({ spec: ['serviceAccount: default'] }) };
    expect((await lint(files)).findings.map((f) => f.code).sort()).toEqual([
      'AutomountServiceAccountTokenDeprecated',
      'AutomountServiceAccountTokenTrueAndDefaultSA',
    ]);
    expect((await lintAfterFix(files)).findings).toEqual([]);
  });

  it('does not call serviceAccount deprecated when serviceAccountName is set too', () => {
    const text = deployment({ spec: ['serviceAccount: old', 'serviceAccountName: web'] });
    expect(lintText('a.yaml', text, { rules }).findings).toEqual([]);
  });

  it('points at automountServiceAccountToken: true, or at serviceAccountName: default when the field is missing', () => {
    const spans = (spec: string[]) =>
      lintText('a.yaml', deployment({ spec }), { rules }).findings.map(({ line, column, endColumn }) => ({
        line,
        column,
        endColumn,
      }));
    expect(spans(['automountServiceAccountToken: true'])).toEqual([{ line: 11, column: 37, endColumn: 41 }]);
    expect(spans(['serviceAccountName: default'])).toEqual([{ line: 11, column: 27, endColumn: 34 }]);
  });
});

describe('asat: override labels', () => {
  it.each([
    'kubeaudit.io/allow-automount-service-account-token',
    'audit.kubernetes.io/pod.allow-automount-service-account-token',
    'audit.kubernetes.io/namespace.allow-automount-service-account-token',
  ])('%s on the pod template allows the finding', (label) => {
    const text = deployment({ podLabels: [`${label}: "needs the API"`], spec: ['automountServiceAccountToken: true'] });
    const [finding, ...rest] = lintText('a.yaml', text, { rules }).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'AutomountServiceAccountTokenTrueAndDefaultSAAllowed',
      severity: 'info',
      fixable: false,
      patches: [],
      override: { label, reason: 'needs the API' },
      metadata: { OverrideReason: 'needs the API' },
    });
  });

  it("ignores the label on the Deployment's own metadata, as kubeaudit does", () => {
    const text = deployment({ spec: ['automountServiceAccountToken: true'] }).replace(
      '  name: web\n',
      '  name: web\n  labels:\n    kubeaudit.io/allow-automount-service-account-token: "true"\n',
    );
    expect(lintText('a.yaml', text, { rules }).findings.map((f) => f.code)).toEqual([
      'AutomountServiceAccountTokenTrueAndDefaultSA',
    ]);
  });

  it('reports a label that allows nothing as RedundantAuditorOverride, at the label', () => {
    const text = deployment({
      podLabels: ['kubeaudit.io/allow-automount-service-account-token: ""'],
      spec: ['automountServiceAccountToken: false'],
    });
    expect(
      lintText('a.yaml', text, { rules }).findings.map(({ code, severity, line, metadata }) => ({
        code,
        severity,
        line,
        metadata,
      })),
    ).toEqual([
      {
        code: 'RedundantAuditorOverride',
        severity: 'warning',
        line: 10,
        metadata: { OverrideLabel: 'kubeaudit.io/allow-automount-service-account-token' },
      },
    ]);
  });
});
