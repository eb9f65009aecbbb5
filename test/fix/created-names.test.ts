import { readFileSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fixtureDir, runCli } from '../support/cli.js';

/*
 * Objects that fixes create (netpols' default-deny NetworkPolicy) are named per namespace, not per run (issue 11,
 * defect 7): ingress-nginx's nine provider files, each declaring the same Namespace, got default-deny to
 * default-deny-9, and a folder reached twice got default-deny-2.
 */

const read = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');

describe('objects that fixes create are named per namespace, not per run', () => {
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingress-nginx\n';
  const policiesOf = (text: string) =>
    parseAllDocuments(text)
      .map((doc) => doc.toJS() as { kind: string; metadata: { name: string; namespace: string } })
      .filter((object) => object.kind === 'NetworkPolicy')
      .map((object) => `${object.metadata.namespace}/${object.metadata.name}`);

  it('one namespace in several install variants gets the same default-deny policy in each', async () => {
    const variants = ['aws', 'azure', 'baremetal'];
    const dir = fixtureDir(Object.fromEntries(variants.map((variant) => [`${variant}/deploy.yaml`, namespace])));
    expect((await runCli(['--fix', '--rule', 'netpols', '.'], { cwd: dir })).status).toBe(0);
    for (const variant of variants)
      expect(policiesOf(read(dir, `${variant}/deploy.yaml`)), variant).toEqual(['ingress-nginx/default-deny']);
  });

  it('a folder reached twice (an alias) is fixed once', async () => {
    const dir = fixtureDir({ 'k8s/namespace.yaml': namespace });
    symlinkSync('k8s', path.join(dir, 'alias'));
    expect((await runCli(['--fix', '--rule', 'netpols', 'k8s', 'alias'], { cwd: dir })).status).toBe(0);
    expect(policiesOf(read(dir, 'k8s/namespace.yaml'))).toEqual(['ingress-nginx/default-deny']);
    expect(readdirSync(path.join(dir, 'k8s'))).toEqual(['namespace.yaml']);
  });

  it('policies for different types in one namespace still get different names', async () => {
    const openPolicy =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  ' +
      'namespace: ingress-nginx\nspec:\n  podSelector: {}\n  ingress: [{from: [{podSelector: ' +
      '{}}]}]\n  egress: [{to: [{podSelector: {}}]}]\n  policyTypes: [Ingress, Egress]\n';
    const dir = fixtureDir({ 'a.yaml': namespace, 'b.yaml': namespace, 'policy.yaml': openPolicy });
    expect((await runCli(['--fix', '--rule', 'netpols', '.'], { cwd: dir })).status).toBe(0);
    const created = ['ingress-nginx/default-deny-egress', 'ingress-nginx/default-deny-ingress'];
    expect(policiesOf(read(dir, 'a.yaml')).sort()).toEqual(created);
    expect(policiesOf(read(dir, 'b.yaml')).sort()).toEqual(created);
  });
});
