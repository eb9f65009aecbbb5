import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { RULES, fixTexts, type Rule } from '../../src/index.js';
import { fixtureDir, runCli, runJson, type JsonReport } from '../support/cli.js';

/*
 * --fix fixes a file document by document (src/fix/document-fix.ts), and leaves to passes over the whole run only
 * what reaches across documents. Whatever way a document is fixed, the file must come out as if each document were
 * fixed alone, the report must be a lint of the fixed file, and fixes across documents must still be made once.
 */

const FIX = ['--fix', '--no-project-context'];
const read = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');

/** Workloads of many shapes, so every fixable workload rule finds something, at every depth and in every style. */
function workload(n: number): string {
  const name = `app-${n}`;
  switch (n % 7) {
    case 0:
      return (
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  hostPID: true\n` +
        `  hostNetwork: true\n  containers:\n  - name: web\n    image: nginx:1.27\n    securityContext:\n` +
        `      privileged: true\n      capabilities:\n        add: [NET_ADMIN, SYS_TIME]\n`
      );
    case 1:
      return (
        `# the API, owned by team ${n}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n` +
        `  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: api # the API\n` +
        `        image: "api:1.${n}"\n        securityContext: {allowPrivilegeEscalation: true}\n` +
        `      - name: sidecar\n        image: proxy:2\n`
      );
    case 2:
      return (
        `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\n  namespace: jobs\nspec:\n  template:\n` +
        `    spec:\n      securityContext:\n        runAsUser: 0\n      containers:\n      - name: run\n` +
        `        image: job:3\n        securityContext: &sc\n          capabilities:\n            add: [NET_ADMIN]\n` +
        `      initContainers:\n      - name: init\n        image: job:3\n        securityContext: *sc\n`
      );
    case 3:
      // Four-space indentation and sequences in the key column: its inserted lines must follow it, not the file.
      return (
        `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n    name: ${name}\n    namespace: ops\nspec:\n` +
        `    template:\n        spec:\n            hostIPC: true\n            containers:\n            - name: agent\n` +
        `              image: agent:7\n              securityContext:\n                  runAsNonRoot: false\n`
      );
    case 4:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: value\n`;
    case 5:
      return (
        `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}\n  namespace: jobs\nspec:\n` +
        `  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n` +
        `          containers:\n          - name: tick\n            image: tick:1\n`
      );
    default:
      return (
        `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "${name}", "namespace": "shop"}, ` +
        `"spec": {"containers": [{"name": "json", "image": "json:1", "securityContext": {"privileged": true}}]}}\n`
      );
  }
}

async function fixAlone(text: string): Promise<string> {
  const dir = fixtureDir({ 'one.yaml': text });
  await runCli(['one.yaml', ...FIX], { cwd: dir });
  return read(dir, 'one.yaml');
}

/** What a report says of the findings, in order: enough to tell any two apart, and where they are. */
function findingsOf(report: JsonReport): string[] {
  return report.results.flatMap((result) =>
    result.findings.map(
      (f) =>
        `${result.file} ${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.rule}/${f.code} ` +
        `${f.resource.kind}/${f.resource.name} ${f.container ?? ''} ${f.fixable}`,
    ),
  );
}

describe('--fix document by document', () => {
  it('fixes each document of a file as it is fixed alone, reports a lint of the fixed file, and then changes nothing', async () => {
    const documents = Array.from({ length: 42 }, (_, n) => workload(n));
    const dir = fixtureDir({ 'all.yaml': documents.join('---\n') });
    const fix = await runJson(['all.yaml', ...FIX], { cwd: dir });
    expect(fix.stderr).toMatch(/^kubemend: fixed \d+ problems in 1 file\n/);

    const fixedAlone: string[] = [];
    for (const document of documents) fixedAlone.push(await fixAlone(document));
    const fixed = read(dir, 'all.yaml');
    expect(fixed).toBe(fixedAlone.join('---\n'));
    for (const [n, text] of fixedAlone.entries()) if (n % 7 !== 4) expect(text, `document ${n}`).not.toBe(documents[n]);

    // What --fix reports as remaining is what a lint of the fixed file finds, at the same lines.
    const lint = await runJson(['all.yaml', '--no-project-context'], { cwd: dir });
    expect(findingsOf(fix.report)).toEqual(findingsOf(lint.report));
    expect(findingsOf(fix.report).length).toBeGreaterThan(0);

    const again = await runJson(['all.yaml', ...FIX], { cwd: dir });
    expect(read(dir, 'all.yaml')).toBe(fixed);
    expect(findingsOf(again.report)).toEqual(findingsOf(lint.report));
  });

  it('creates one NetworkPolicy per namespace, however many Namespaces and workloads a file holds', async () => {
    const namespaces = ['shop', 'jobs', 'ops', 'web'];
    const documents = namespaces.flatMap((namespace, n) => [
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n`,
      workload(n),
      workload(n + 7),
    ]);
    // The same Namespace twice must not get two policies.
    documents.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n`);
    const dir = fixtureDir({ 'cluster.yaml': documents.join('---\n') });
    const fix = await runJson(['cluster.yaml', ...FIX], { cwd: dir });
    const fixed = read(dir, 'cluster.yaml');
    const policies = parseAllDocuments(fixed)
      .map((doc) => doc.toJS() as { kind: string; metadata: { namespace: string } })
      .filter((object) => object.kind === 'NetworkPolicy');
    expect(policies.map((policy) => policy.metadata.namespace).sort()).toEqual([...namespaces].sort());
    // The workloads were fixed too, as they are alone.
    for (let n = 0; n < namespaces.length; n++) expect(fixed).toContain(await fixAlone(workload(n)));

    const lint = await runJson(['cluster.yaml', '--no-project-context'], { cwd: dir });
    expect(findingsOf(fix.report)).toEqual(findingsOf(lint.report));
    await runCli(['cluster.yaml', ...FIX], { cwd: dir });
    expect(read(dir, 'cluster.yaml')).toBe(fixed);
  });

  it("asat turns the token off on the namespace's default ServiceAccount, in the pods' file or another one", async () => {
    const account = (namespace: string) =>
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: ${namespace}\n`;
    const pod = (name: string, namespace: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n` +
      `  automountServiceAccountToken: true\n  containers:\n  - name: app\n    image: nginx:1.27\n`;
    const dir = fixtureDir({
      'pods.yaml': [pod('a', 'shop'), account('shop'), pod('b', 'shop'), pod('c', 'jobs')].join('---\n'),
      'accounts.yaml': account('jobs'),
    });
    await runCli(['pods.yaml', 'accounts.yaml', ...FIX, '--rule', 'asat'], { cwd: dir });
    expect(read(dir, 'accounts.yaml')).toBe(`${account('jobs')}automountServiceAccountToken: false\n`);
    const documents = read(dir, 'pods.yaml').split('---\n');
    expect(documents[1]).toBe(`${account('shop')}automountServiceAccountToken: false\n`);
    for (const n of [0, 2, 3]) expect(documents[n]).not.toContain('automountServiceAccountToken: true');
    const again = await runJson(['pods.yaml', 'accounts.yaml', '--no-project-context', '--rule', 'asat'], {
      cwd: dir,
    });
    expect(findingsOf(again.report)).toEqual([]);
  });

  it('leaves the whole file as it was when one document fails verification, and still fixes the other files', () => {
    const privileged = RULES.find((rule) => rule.meta.id === 'privileged')!;
    // A rule whose fix of one document cannot read back (NaN has no YAML spelling of the number).
    const broken: Rule = {
      kind: 'workload',
      meta: {
        id: 'broken',
        description: 'A rule whose fix does not work on app-9.',
        codes: { Broken: { severity: 'error', description: 'Found on app-9.', fixable: true } },
      },
      check({ workload: found, report }) {
        if (found.resource.name !== 'app-9') return;
        report({
          code: 'Broken',
          message: 'always there',
          path: ['metadata'],
          patches: [{ op: 'set', path: ['metadata', 'labels', 'n'], value: Number.NaN }],
        });
      },
    };
    const text = Array.from({ length: 14 }, (_, n) => workload(n)).join('---\n');
    const other = workload(0);
    const report = fixTexts(
      [
        { file: 'many.yaml', text },
        { file: 'other.yaml', text: other },
      ],
      [],
      { rules: [privileged, broken] },
    );
    const [many, second] = report.files;
    expect(many!.after).toBe(text);
    expect(many!.fixed).toEqual([]);
    expect(many!.problems.join('\n')).toContain('fixing document 10 would change more than the fixes ask for');
    expect(second!.after).not.toBe(other);
    expect(second!.fixed.map((finding) => finding.code)).toEqual(['PrivilegedTrue']);
    // The report of the file left alone is a lint of it as it is: every `privileged: true` still found, in place.
    const privilegedFound = report.results
      .find((result) => result.file === 'many.yaml')!
      .findings.filter((finding) => finding.code === 'PrivilegedTrue');
    expect(privilegedFound.map((finding) => finding.documentIndex)).toEqual([0, 6, 7, 13]);
    const lines = text.split('\n');
    for (const finding of privilegedFound)
      expect(lines[finding.line - 1]).toMatch(/privileged": true|privileged: true/);
  });
});
