import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintInputs } from '../src/index.js';
import type { ResourceSetRule } from '../src/rule-api/index.js';
import { fixtureDir, runCli, runJson, spawnProcess } from './support/cli.js';
import { SHOP_DEFAULT_ACCOUNT as DEFAULT_ACCOUNT, SHOP_DEFAULT_DENY as DEFAULT_DENY } from './support/manifests.js';

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    team: payments
`;

const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: strict
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: shop/api:1.0
`;

/** A temporary git repository holding `files`, as a pre-commit hook finds it. */
async function gitRepo(files: Record<string, string>): Promise<string> {
  const dir = fixtureDir(files);
  const init = await spawnProcess('git', ['init', '-q'], { cwd: dir });
  expect(init.status, init.stderr).toBe(0);
  return dir;
}

function codesOf(report: Awaited<ReturnType<typeof runJson>>['report'], rule: string): string[] {
  return report.results.flatMap((file) =>
    file.findings.filter((finding) => finding.rule === rule).map((finding) => finding.code),
  );
}

describe('project context for files linted alone', () => {
  it('sees the default-deny NetworkPolicy of a Namespace in another file of the repository', async () => {
    const repo = await gitRepo({ 'ns.yaml': NAMESPACE, 'policies/deny.yaml': DEFAULT_DENY });
    const { report } = await runJson(['--rule', 'netpols', 'ns.yaml'], { cwd: repo });
    expect(report.results.map((file) => file.file)).toEqual(['ns.yaml']);
    expect(codesOf(report, 'netpols')).toEqual([]);
  });

  it('--no-project-context lints the named file alone, as before', async () => {
    const repo = await gitRepo({ 'ns.yaml': NAMESPACE, 'policies/deny.yaml': DEFAULT_DENY });
    const { report } = await runJson(['--rule', 'netpols', '--no-project-context', 'ns.yaml'], { cwd: repo });
    expect(codesOf(report, 'netpols')).toEqual(['MissingDefaultDenyIngressAndEgressNetworkPolicy']);
  });

  it('--fix on the Namespace alone adds no second NetworkPolicy', async () => {
    const repo = await gitRepo({ 'ns.yaml': NAMESPACE, 'policies/deny.yaml': DEFAULT_DENY });
    const run = await runCli(['--fix', '--rule', 'netpols', 'ns.yaml'], { cwd: repo });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(path.join(repo, 'ns.yaml'), 'utf8')).toBe(NAMESPACE);
    expect(readFileSync(path.join(repo, 'policies/deny.yaml'), 'utf8')).toBe(DEFAULT_DENY);
  });

  it('--fix: a policy of another namespace in the project does not count for the named Namespace', async () => {
    const elsewhere = DEFAULT_DENY.replace('namespace: shop', 'namespace: other');
    const repo = await gitRepo({ 'ns.yaml': NAMESPACE, 'policies/other.yaml': elsewhere });
    const run = await runCli(['--fix', '--rule', 'netpols', 'ns.yaml'], { cwd: repo });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const fixed = readFileSync(path.join(repo, 'ns.yaml'), 'utf8');
    expect(fixed.startsWith(`${NAMESPACE}---\n`)).toBe(true);
    expect(fixed).toContain('name: default-deny\n  namespace: shop\n');
    expect(readFileSync(path.join(repo, 'policies/other.yaml'), 'utf8')).toBe(elsewhere);
  });

  it('a policy in the context that lacks a direction is left alone: the fix adds a policy of a new name beside the Namespace', async () => {
    const ingressOnly = DEFAULT_DENY.replace('[Ingress, Egress]', '[Ingress]');
    const repo = await gitRepo({ 'ns.yaml': NAMESPACE, 'deny.yaml': ingressOnly });
    const run = await runCli(['--fix', '--rule', 'netpols', 'ns.yaml'], { cwd: repo });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(path.join(repo, 'deny.yaml'), 'utf8')).toBe(ingressOnly);
    const fixed = readFileSync(path.join(repo, 'ns.yaml'), 'utf8');
    expect(fixed).toContain('policyTypes:\n    - Egress');
    expect(fixed).not.toMatch(/name: default-deny\n/);
  });

  it('a Deployment linted alone sees the default ServiceAccount kept in another file', async () => {
    const repo = await gitRepo({ 'deploy.yaml': DEPLOYMENT, 'accounts.yaml': DEFAULT_ACCOUNT });
    const { report } = await runJson(['--rule', 'asat', 'deploy.yaml'], { cwd: repo });
    expect(report.results.map((file) => file.file)).toEqual(['deploy.yaml']);
    expect(codesOf(report, 'asat')).toEqual([]);
  });

  it('a default ServiceAccount in the context that mounts the token is not changed: the pod turns it off', async () => {
    // Documents before the account are cut from the context: the message must still cite the account's own line.
    const mounting = `${CONFIG_MAP}---\n${DEFAULT_ACCOUNT.replace('automountServiceAccountToken: false\n', '')}`;
    const repo = await gitRepo({ 'deploy.yaml': DEPLOYMENT, 'accounts.yaml': mounting });
    const { report } = await runJson(['--rule', 'asat', 'deploy.yaml'], { cwd: repo });
    const both = await runJson(['--rule', 'asat', 'deploy.yaml', 'accounts.yaml'], { cwd: repo });
    const [finding] = report.results[0]!.findings;
    expect(finding?.details).toContain('accounts.yaml:');
    expect(finding?.details).toBe(both.report.results[0]!.findings[0]?.details);
    const run = await runCli(['--fix', '--rule', 'asat', 'deploy.yaml'], { cwd: repo });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(path.join(repo, 'accounts.yaml'), 'utf8')).toBe(mounting);
    expect(readFileSync(path.join(repo, 'deploy.yaml'), 'utf8')).toContain('automountServiceAccountToken: false');
  });

  it.each([
    ['after a comment header, an empty document and a ConfigMap', `# accounts\n---\n---\n${CONFIG_MAP}---\n`],
    ['after a ConfigMap in JSON', `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}\n---\n`],
    ['with its kind quoted, after a document without one', `a: 1\n---\n`],
  ])('a default ServiceAccount in the context %s is found, and cited at its own line', async (_, before) => {
    // Only the account's document is parsed: its index and lines must still be those of the whole file.
    const account = DEFAULT_ACCOUNT.replace('automountServiceAccountToken: false\n', '').replace(
      'kind: ServiceAccount',
      'kind: "ServiceAccount"',
    );
    const repo = await gitRepo({ 'deploy.yaml': DEPLOYMENT, 'accounts.yaml': `${before}${account}` });
    const { report } = await runJson(['--rule', 'asat', 'deploy.yaml'], { cwd: repo });
    const both = await runJson(['--rule', 'asat', 'deploy.yaml', 'accounts.yaml'], { cwd: repo });
    const details = report.results[0]!.findings.map((finding) => finding.details);
    expect(details).toHaveLength(1);
    expect(details[0]).toContain(`accounts.yaml:${before.split('\n').length}`);
    expect(details).toEqual(both.report.results[0]!.findings.map((finding) => finding.details));
  });

  it('a kind only mentioned (a CRD of namespaced scope, a description) does not make a file context', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  scope: Namespaced\n`;
    const mention = `${CONFIG_MAP}  note: "kind: ServiceAccount"\n`;
    const repo = await gitRepo({ 'deploy.yaml': DEPLOYMENT, 'crd.yaml': crd, 'mention.yaml': mention });
    const { report } = await runJson(['--rule', 'asat', 'deploy.yaml'], { cwd: repo });
    expect(codesOf(report, 'asat')).toEqual(['AutomountServiceAccountTokenTrueAndDefaultSA']);
  });

  it('only named files appear in results, though the context has findings of its own', async () => {
    const repo = await gitRepo({
      'ns.yaml': NAMESPACE,
      'other/ns.yaml': NAMESPACE.replaceAll('shop', 'other'),
      'deploy.yaml': DEPLOYMENT,
    });
    const { report } = await runJson(['ns.yaml'], { cwd: repo });
    expect(report.results.map((file) => file.file)).toEqual(['ns.yaml']);
    expect(codesOf(report, 'netpols')).toEqual(['MissingDefaultDenyIngressAndEgressNetworkPolicy']);
  });

  it("respects the config's ignore patterns and takes the project from the folder of .kubemend.yaml", async () => {
    const repo = await gitRepo({
      'app/.kubemend.yaml': 'ignore: [vendor]\n',
      'app/ns.yaml': NAMESPACE,
      'app/vendor/deny.yaml': DEFAULT_DENY,
      'elsewhere/deny.yaml': DEFAULT_DENY,
    });
    const { report } = await runJson(['--rule', 'netpols', 'ns.yaml'], { cwd: path.join(repo, 'app') });
    expect(codesOf(report, 'netpols')).toEqual(['MissingDefaultDenyIngressAndEgressNetworkPolicy']);
    writeFileSync(path.join(repo, 'app/deny.yaml'), DEFAULT_DENY);
    const again = await runJson(['--rule', 'netpols', 'ns.yaml'], { cwd: path.join(repo, 'app') });
    expect(codesOf(again.report, 'netpols')).toEqual([]);
  });
});

describe('project context is found as a directory lint finds manifests', () => {
  const MISSING = ['MissingDefaultDenyIngressAndEgressNetworkPolicy'];
  const netpolsOf = async (repo: string) =>
    codesOf((await runJson(['--rule', 'netpols', 'ns.yaml'], { cwd: repo })).report, 'netpols');

  it('in dot folders, .yml files and linked folders; not in node_modules or other extensions', async () => {
    for (const [where, codes] of [
      ['.deploy/deny.yaml', []],
      ['a/b/deny.yml', []],
      ['node_modules/pkg/deny.yaml', MISSING],
      ['deny.yaml.txt', MISSING],
    ] as const) {
      const repo = await gitRepo({ 'ns.yaml': NAMESPACE, [where]: DEFAULT_DENY });
      expect([where, await netpolsOf(repo)]).toEqual([where, codes]);
    }
    const outside = fixtureDir({ 'deny.yaml': DEFAULT_DENY });
    const linked = await gitRepo({ 'ns.yaml': NAMESPACE });
    symlinkSync(outside, path.join(linked, 'shared'));
    expect(await netpolsOf(linked)).toEqual([]);
  });

  it('reads a context file of several megabytes whole, and passes by one above --max-file-size', async () => {
    const padding = `${CONFIG_MAP}  padding: "${'x'.repeat(1 << 20)}"\n---\n`.repeat(3);
    const repo = await gitRepo({ 'ns.yaml': NAMESPACE, 'big.yaml': `${padding}${DEFAULT_DENY}` });
    expect(await netpolsOf(repo)).toEqual([]);
    const limited = await runJson(['--rule', 'netpols', '--max-file-size', '1M', 'ns.yaml'], { cwd: repo });
    expect(codesOf(limited.report, 'netpols')).toEqual(MISSING);
  });

  it('passes by links that lead back up, or that loop', async () => {
    const repo = await gitRepo({ 'ns.yaml': NAMESPACE, '.kubemend.yaml': 'ignore: [vendor]\n' });
    mkdirSync(path.join(repo, 'sub'));
    symlinkSync('..', path.join(repo, 'sub/up'));
    symlinkSync(repo, path.join(repo, 'sub/root'));
    symlinkSync('loop.yaml', path.join(repo, 'sub/loop.yaml'));
    expect(await netpolsOf(repo)).toEqual(MISSING);
    writeFileSync(path.join(repo, 'sub/deny.yaml'), DEFAULT_DENY);
    expect(await netpolsOf(repo)).toEqual([]);
  });
});

describe('project context is read only for what the named files need', () => {
  const MISSING = 'MissingDefaultDenyIngressAndEgressNetworkPolicy';

  it.each([
    ['in another namespace', DEFAULT_DENY.replace('namespace: shop', 'namespace: other')],
    [
      'that names the namespace only in a label',
      DEFAULT_DENY.replace('namespace: shop', 'namespace: other\n  labels: { team: shop }'),
    ],
    ['of another kind', DEFAULT_DENY.replace('kind: NetworkPolicy', 'kind: NetworkPolicyTemplate')],
  ])('a NetworkPolicy %s does not protect the linted Namespace', async (_, policy) => {
    const repo = await gitRepo({ 'ns.yaml': NAMESPACE, 'policies/deny.yaml': policy });
    const { report } = await runJson(['--rule', 'netpols', 'ns.yaml'], { cwd: repo });
    expect(codesOf(report, 'netpols')).toEqual([MISSING]);
  });

  it.each([
    [
      'as a flow mapping',
      '{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: default-deny, namespace: shop},\n' +
        ' spec: {podSelector: {}, policyTypes: [Ingress, Egress]}}\n',
    ],
    ['with its kind quoted', DEFAULT_DENY.replace('kind: NetworkPolicy', 'kind: "NetworkPolicy"')],
    [
      'with its metadata last, the namespace before the name',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n' +
        'spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n' +
        'metadata:\n  namespace: shop\n  name: default-deny\n',
    ],
    [
      'in JSON',
      JSON.stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: 'shop' },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }),
    ],
    ['with the namespace spelled with an escape', DEFAULT_DENY.replace('namespace: shop', 'namespace: "sh\\x6Fp"')],
    [
      'as an item of a List',
      `apiVersion: v1\nkind: List\nitems:\n${DEFAULT_DENY.replace(/^/gm, '  ').replace(/^ {2}a/, '- a')}`,
    ],
    [
      'after other documents',
      `${CONFIG_MAP}---\n${DEFAULT_DENY.replace('namespace: shop', 'namespace: other')}---\n${DEFAULT_DENY}`,
    ],
  ])('a default-deny NetworkPolicy of the namespace written %s protects the linted Namespace', async (_, policy) => {
    const repo = await gitRepo({ 'ns.yaml': NAMESPACE, 'policies/deny.yaml': policy });
    const both = await runJson(['--rule', 'netpols', 'ns.yaml', 'policies/deny.yaml'], { cwd: repo });
    expect(codesOf(both.report, 'netpols')).toEqual([]);
    const { report } = await runJson(['--rule', 'netpols', 'ns.yaml'], { cwd: repo });
    expect(codesOf(report, 'netpols')).toEqual([]);
  });

  it('many Namespaces linted together each see only the policies of their own namespace', async () => {
    const names = Array.from({ length: 20 }, (_, index) => `team-${index}`);
    const repo = await gitRepo({
      'namespaces.yaml': names.map((name) => NAMESPACE.replace('shop', name)).join('---\n'),
      'deny.yaml': DEFAULT_DENY.replace('namespace: shop', 'namespace: team-7'),
    });
    const { report } = await runJson(['--rule', 'netpols', 'namespaces.yaml'], { cwd: repo });
    const reported = report.results[0]!.findings.map((finding) => finding.resource.name);
    expect(reported).toEqual(names.filter((name) => name !== 'team-7'));
  });

  it('a NetworkPolicy linted alone that allows all traffic is reported if its Namespace is elsewhere', async () => {
    const open = DEFAULT_DENY.replace('policyTypes: [Ingress, Egress]', 'policyTypes: [Ingress]\n  ingress:\n    - {}');
    const repo = await gitRepo({ 'ns.yaml': NAMESPACE, 'policy.yaml': open });
    const { report } = await runJson(['--rule', 'netpols', 'policy.yaml'], { cwd: repo });
    expect(codesOf(report, 'netpols')).toEqual(['AllowAllIngressNetworkPolicyExists']);
    const elsewhere = await gitRepo({ 'ns.yaml': NAMESPACE.replace('shop', 'other'), 'policy.yaml': open });
    expect(
      codesOf((await runJson(['--rule', 'netpols', 'policy.yaml'], { cwd: elsewhere })).report, 'netpols'),
    ).toEqual([]);
  });

  it.each([
    [
      'of another namespace',
      DEFAULT_ACCOUNT.replace('namespace: shop', 'namespace: other'),
      ['AutomountServiceAccountTokenTrueAndDefaultSA'],
    ],
    [
      'of another name',
      DEFAULT_ACCOUNT.replace('name: default', 'name: builder'),
      ['AutomountServiceAccountTokenTrueAndDefaultSA'],
    ],
    [
      'of the namespace, after a Namespace and a ConfigMap',
      `${NAMESPACE}---\n${CONFIG_MAP}---\n${DEFAULT_ACCOUNT}`,
      [],
    ],
  ])(
    'a Deployment linted alone is decided by a ServiceAccount %s as by the two linted together',
    async (_, accounts, codes) => {
      const repo = await gitRepo({ 'deploy.yaml': DEPLOYMENT, 'accounts/all.yaml': accounts });
      const { report } = await runJson(['--rule', 'asat', 'deploy.yaml'], { cwd: repo });
      expect(codesOf(report, 'asat')).toEqual(codes);
      const both = await runJson(['--rule', 'asat', 'deploy.yaml', 'accounts/all.yaml'], { cwd: repo });
      expect(codesOf(both.report, 'asat')).toEqual(codes);
    },
  );

  it('a pod without a namespace sees the default ServiceAccount without one', async () => {
    const withoutNamespace = (text: string) => text.replace('  namespace: shop\n', '');
    const repo = await gitRepo({
      'deploy.yaml': withoutNamespace(DEPLOYMENT),
      'sa.yaml': withoutNamespace(DEFAULT_ACCOUNT),
      'other.yaml': DEFAULT_ACCOUNT.replace(
        'automountServiceAccountToken: false',
        'automountServiceAccountToken: true',
      ),
    });
    const { report } = await runJson(['--rule', 'asat', 'deploy.yaml'], { cwd: repo });
    expect(codesOf(report, 'asat')).toEqual([]);
  });

  it('asks for no context when the named files give the cross-file rules nothing to look up', async () => {
    const repo = await gitRepo({
      'config.yaml': CONFIG_MAP,
      'own-token.yaml': DEPLOYMENT.replace('    spec:\n', '    spec:\n      automountServiceAccountToken: false\n'),
      'ns.yaml': NAMESPACE,
    });
    const asked: string[] = [];
    const lint = (file: string) =>
      lintInputs([path.join(repo, file)], {
        contextSource: async () => {
          asked.push(file);
          return [];
        },
      });
    await lint('config.yaml');
    await lint('own-token.yaml');
    expect(asked).toEqual([]);
    await lint('ns.yaml');
    expect(asked).toEqual(['ns.yaml']);
  });

  it('asks only for the objects the named files need: most files are passed by on their bytes', async () => {
    const repo = await gitRepo({ 'ns.yaml': NAMESPACE, 'deploy.yaml': DEPLOYMENT });
    const filters: Parameters<NonNullable<Parameters<typeof lintInputs>[1]>['contextSource'] & {}>[0][] = [];
    await lintInputs([path.join(repo, 'ns.yaml'), path.join(repo, 'deploy.yaml')], {
      contextSource: async (filter) => {
        filters.push(filter);
        return [];
      },
    });
    const [filter] = filters;
    const bytes = (text: string) => Buffer.from(text);
    expect(filter?.mayMatter(bytes(DEFAULT_DENY))).toBe(true);
    expect(filter?.mayMatter(bytes(DEFAULT_ACCOUNT))).toBe(true);
    expect(filter?.mayMatter(bytes(DEFAULT_DENY.replaceAll('shop', 'other')))).toBe(false);
    expect(filter?.mayMatter(bytes(DEFAULT_ACCOUNT.replace('name: default', 'name: builder')))).toBe(false);
    expect(filter?.mayMatter(bytes(CONFIG_MAP))).toBe(false);
  });

  it('a rule without contextQueries (a plugin written before them) sees every object of its contextKinds', async () => {
    const seen: string[] = [];
    const configMaps: ResourceSetRule<string> = {
      kind: 'resource-set',
      meta: { id: 'count-config-maps', description: 'counts ConfigMaps', codes: {} },
      contextKinds: ['ConfigMap'],
      collect: (resource) => (resource.kind === 'ConfigMap' ? `${resource.namespace}/${resource.name}` : undefined),
      check: (facts) => void seen.push(...facts),
    };
    const repo = await gitRepo({ 'config.yaml': CONFIG_MAP });
    const other = CONFIG_MAP.replace('namespace: shop', 'namespace: other');
    await lintInputs([path.join(repo, 'config.yaml')], {
      rules: [configMaps],
      context: [{ file: 'more.yaml', text: `${other}---\n${other.replace('name: settings', 'name: more')}` }],
    });
    expect(seen.sort()).toEqual(['other/more', 'other/settings', 'shop/settings']);
  });
});
