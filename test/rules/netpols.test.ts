import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, lintInputs, lintText } from '../../src/index.js';
import { applyFindingFixes } from '../support/apply-patches.js';
import { fixtureDir } from '../support/cli.js';

const rules = RULES.filter((rule) => rule.meta.id === 'netpols');

function namespace(name: string, labels: string[] = []): string {
  return [
    'apiVersion: v1',
    'kind: Namespace',
    'metadata:',
    `  name: ${name}`,
    ...(labels.length ? ['  labels:', ...labels.map((label) => `    ${label}`)] : []),
    '',
  ].join('\n');
}

function policy(name: string, ns: string, spec: string[]): string {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    ...spec.map((line) => `  ${line}`),
    '',
  ].join('\n');
}

const DENY_ALL = ['podSelector: {}', 'policyTypes: [Ingress, Egress]'];

/** Lints files (name → text) in one run; findings and patch targets carry base file names. */
async function lint(files: Record<string, string>) {
  const dir = fixtureDir(files);
  const texts = Object.fromEntries(Object.entries(files).map(([name, text]) => [path.join(dir, name), text]));
  const results = await lintInputs(Object.keys(texts), { rules });
  for (const result of results) expect(result.errors).toEqual([]);
  const raw = results.flatMap((result) => result.findings);
  const findings = results.flatMap((result) =>
    result.findings.map((finding) => ({
      ...finding,
      file: path.basename(result.file),
      patches: finding.patches.map(({ target, patch }) => ({
        target: { ...target, file: path.basename(target.file) },
        patch,
      })),
    })),
  );
  return { texts, raw, findings };
}

async function lintAfterFix(files: Record<string, string>) {
  const { texts, raw } = await lint(files);
  const fixed = applyFindingFixes(texts, raw);
  return lint(Object.fromEntries(Object.entries(fixed).map(([file, text]) => [path.basename(file), text])));
}

const codes = (findings: { code: string }[]) => findings.map((finding) => finding.code).sort();

describe('netpols: Namespaces and NetworkPolicies across files', () => {
  it('finds the default-deny policy of a Namespace in another file', async () => {
    const { findings } = await lint({
      'namespace.yaml': namespace('shop'),
      'policies.yaml': policy('deny', 'shop', DENY_ALL),
    });
    expect(findings).toEqual([]);
  });

  it("does not count a policy of another namespace, and appends a default-deny policy to the Namespace's file", async () => {
    const files = { 'namespace.yaml': namespace('shop'), 'policies.yaml': policy('deny', 'billing', DENY_ALL) };
    const { findings } = await lint(files);
    expect(findings.map(({ code, severity, file, metadata }) => ({ code, severity, file, metadata }))).toEqual([
      {
        code: 'MissingDefaultDenyIngressAndEgressNetworkPolicy',
        severity: 'error',
        file: 'namespace.yaml',
        metadata: { Namespace: 'shop' },
      },
    ]);
    expect(findings[0]!.patches).toEqual([
      {
        target: { file: 'namespace.yaml', documentIndex: 0 },
        patch: {
          op: 'appendDocument',
          value: {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'NetworkPolicy',
            metadata: { name: 'default-deny', namespace: 'shop' },
            spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
          },
        },
      },
    ]);
    expect((await lintAfterFix(files)).findings).toEqual([]);
  });

  it('says nothing about policies of namespaces that no Namespace in the run declares, as kubeaudit', async () => {
    const { findings } = await lint({ 'policies.yaml': policy('open', 'shop', ['podSelector: {}', 'ingress: [{}]']) });
    expect(findings).toEqual([]);
  });

  it("points a missing default-deny at the Namespace's name", () => {
    const text = `# namespaces\n${namespace('shop')}`;
    const [finding] = lintText('n.yaml', text, { rules }).findings;
    expect(finding).toMatchObject({
      line: 5,
      column: 9,
      endLine: 5,
      endColumn: 13,
      resource: { kind: 'Namespace', name: 'shop' },
    });
  });
});

describe('netpols: what denies all traffic', () => {
  it('reads an empty policyTypes as the API server does: Ingress, plus Egress only with egress rules', async () => {
    const files = { 'namespace.yaml': namespace('shop'), 'policies.yaml': policy('deny', 'shop', ['podSelector: {}']) };
    const { findings } = await lint(files);
    expect(codes(findings)).toEqual(['MissingDefaultDenyEgressNetworkPolicy']);
    // Listing Egress alone would drop the implied Ingress, so the fix writes both.
    expect(findings[0]!.patches).toEqual([
      {
        target: { file: 'policies.yaml', documentIndex: 0 },
        patch: { op: 'set', path: ['spec', 'policyTypes'], value: ['Ingress', 'Egress'] },
      },
    ]);
    expect((await lintAfterFix(files)).findings).toEqual([]);
  });

  it('adds a missing type to a catch-all policy without rules for it, and creates a policy where the catch-all has rules', async () => {
    const monitoring = policy('allow-monitoring', 'shop', [
      'podSelector: {}',
      'ingress:',
      '  - from:',
      '      - namespaceSelector: {matchLabels: {team: ops}}',
      'policyTypes: [Ingress]',
    ]);
    const files = { 'namespace.yaml': namespace('shop'), 'policies.yaml': monitoring };
    const { findings } = await lint(files);
    expect(codes(findings)).toEqual([
      'MissingDefaultDenyEgressNetworkPolicy',
      'MissingDefaultDenyIngressNetworkPolicy',
    ]);
    const patchOf = (code: string) => findings.find((finding) => finding.code === code)!.patches;
    expect(patchOf('MissingDefaultDenyEgressNetworkPolicy')).toEqual([
      {
        target: { file: 'policies.yaml', documentIndex: 0 },
        patch: { op: 'addToList', path: ['spec', 'policyTypes'], value: 'Egress' },
      },
    ]);
    // kubeaudit added Ingress to this policy, which then still allowed the monitoring traffic: no default deny.
    expect(patchOf('MissingDefaultDenyIngressNetworkPolicy')).toEqual([
      {
        target: { file: 'namespace.yaml', documentIndex: 0 },
        patch: {
          op: 'appendDocument',
          value: {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'NetworkPolicy',
            metadata: { name: 'default-deny', namespace: 'shop' },
            spec: { podSelector: {}, policyTypes: ['Ingress'] },
          },
        },
      },
    ]);
    expect((await lintAfterFix(files)).findings).toEqual([]);
  });

  it('does not count a policy that selects some pods only', async () => {
    const files = {
      'namespace.yaml': namespace('shop'),
      'policies.yaml': policy('web', 'shop', [
        'podSelector:',
        '  matchExpressions: [{key: app, operator: Exists}]',
        'policyTypes: [Ingress, Egress]',
      ]),
    };
    expect(codes((await lint(files)).findings)).toEqual(['MissingDefaultDenyIngressAndEgressNetworkPolicy']);
  });
});

describe('netpols: allow-all policies', () => {
  const allowAll = policy('default-deny', 'shop', [
    'podSelector: {}',
    'ingress:',
    '  - {}',
    'egress:',
    '  - ports: [{port: 53, protocol: UDP}]',
    'policyTypes: [Ingress, Egress]',
  ]);

  it("reports each rule without peers at the rule, in the policy's file", async () => {
    const { findings } = await lint({ 'namespace.yaml': namespace('shop'), 'policies.yaml': allowAll });
    const allowFindings = findings.filter((finding) => finding.code.startsWith('AllowAll'));
    expect(
      allowFindings.map(({ code, severity, file, line, column, resource, metadata }) => ({
        code,
        severity,
        file,
        line,
        column,
        resource: resource.name,
        metadata,
      })),
    ).toEqual([
      {
        code: 'AllowAllIngressNetworkPolicyExists',
        severity: 'warning',
        file: 'policies.yaml',
        line: 9,
        column: 7,
        resource: 'default-deny',
        metadata: { Namespace: 'shop', PolicyName: 'default-deny' },
      },
      {
        code: 'AllowAllEgressNetworkPolicyExists',
        severity: 'warning',
        file: 'policies.yaml',
        line: 11,
        column: 7,
        resource: 'default-deny',
        metadata: { Namespace: 'shop', PolicyName: 'default-deny' },
      },
    ]);
  });

  it('creates default-deny policies whose names do not replace the existing ones', async () => {
    const files = { 'namespace.yaml': namespace('shop'), 'policies.yaml': allowAll };
    const { findings } = await lint(files);
    const created = findings.flatMap((finding) =>
      finding.patches.map(({ patch }) =>
        patch.op === 'appendDocument' ? (patch.value as { metadata: { name: string } }).metadata.name : patch.op,
      ),
    );
    expect(created.sort()).toEqual(['default-deny-egress', 'default-deny-ingress']);
    expect(codes((await lintAfterFix(files)).findings)).toEqual([
      'AllowAllEgressNetworkPolicyExists',
      'AllowAllIngressNetworkPolicyExists',
    ]);
  });

  it('ignores rules of a direction the policy does not enforce', () => {
    const text = `${namespace('shop')}---\n${policy('deny', 'shop', ['podSelector: {}', 'ingress: [{}]', 'policyTypes: [Egress]'])}---\n${policy('deny-in', 'shop', ['podSelector: {}', 'policyTypes: [Ingress]'])}`;
    expect(lintText('a.yaml', text, { rules }).findings).toEqual([]);
  });
});

describe('netpols: override labels on the Namespace', () => {
  const INGRESS_LABEL = 'allow-non-default-deny-ingress-network-policy';
  const EGRESS_LABEL = 'allow-non-default-deny-egress-network-policy';

  it('allows the missing pair with both labels, at warning as kubeaudit', () => {
    const text = namespace('shop', [
      `kubeaudit.io/${INGRESS_LABEL}: "legacy"`,
      `kubeaudit.io/${EGRESS_LABEL}: "legacy"`,
    ]);
    const findings = lintText('n.yaml', text, { rules }).findings;
    expect(findings.map(({ code, severity, fixable, patches }) => ({ code, severity, fixable, patches }))).toEqual([
      {
        code: 'MissingDefaultDenyIngressAndEgressNetworkPolicyAllowed',
        severity: 'warning',
        fixable: false,
        patches: [],
      },
    ]);
  });

  it.each(['kubeaudit.io/', 'audit.kubernetes.io/namespace.', 'audit.kubernetes.io/pod.'])(
    'with one label (%s…) allows that direction and fixes the other',
    (prefix) => {
      const text = namespace('shop', [`${prefix}${EGRESS_LABEL}: ""`]);
      const findings = lintText('n.yaml', text, { rules }).findings;
      expect(findings.map(({ code, severity, override }) => ({ code, severity, override }))).toEqual([
        {
          code: 'MissingDefaultDenyEgressNetworkPolicyAllowed',
          severity: 'info',
          override: { label: `${prefix}${EGRESS_LABEL}`, reason: null },
        },
        { code: 'MissingDefaultDenyIngressNetworkPolicy', severity: 'error', override: undefined },
      ]);
      const ingress = findings.find((finding) => finding.code === 'MissingDefaultDenyIngressNetworkPolicy')!;
      expect(ingress.patches.map(({ patch }) => patch)).toEqual([
        {
          op: 'appendDocument',
          value: {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'NetworkPolicy',
            metadata: { name: 'default-deny', namespace: 'shop' },
            spec: { podSelector: {}, policyTypes: ['Ingress'] },
          },
        },
      ]);
    },
  );

  it('applies a label to one direction of a catch-all policy', () => {
    const text = `${namespace('shop', [`kubeaudit.io/${INGRESS_LABEL}: "true"`])}---\n${policy('deny-out', 'shop', ['podSelector: {}', 'policyTypes: [Egress]'])}`;
    expect(codes(lintText('a.yaml', text, { rules }).findings)).toEqual([
      'MissingDefaultDenyIngressNetworkPolicyAllowed',
    ]);
  });

  it('never reports a label as redundant, as kubeaudit', () => {
    const text = `${namespace('shop', [`kubeaudit.io/${INGRESS_LABEL}: "x"`])}---\n${policy('deny', 'shop', DENY_ALL)}`;
    expect(lintText('a.yaml', text, { rules }).findings).toEqual([]);
  });
});
