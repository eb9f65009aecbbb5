import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli, runJson, spawnProcess } from './support/cli.js';

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    team: payments
`;

const DEFAULT_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

const DEFAULT_ACCOUNT = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: shop
automountServiceAccountToken: false
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
