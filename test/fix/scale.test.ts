import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli } from '../support/cli.js';

/*
 * --fix on one file of many documents with findings of every fixable rule of the default profile, checked for
 * correctness only (its cost is measured by `npm run bench:fix`): one run over the whole file equals each document
 * fixed alone, byte for byte; what it reports remaining is what a lint of the fixed file finds; a second run changes
 * nothing. Fixes that read other documents (netpols, asat) have their own case, as a document alone has no others.
 */

const NO_CONTEXT = '--no-project-context';

/**
 * A workload of one of several shapes: patches at every depth, block and flow style, anchors, Windows, comments. All
 * in one indentation style, which --fix reads from the whole file: a document alone would otherwise read another.
 */
function workload(n: number): string {
  const name = `app-${n}`;
  switch (n % 8) {
    case 0:
      return (
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\n  annotations:\n` +
        `    container.apparmor.security.beta.kubernetes.io/web: unconfined\nspec:\n  hostPID: true\n` +
        `  hostNetwork: true\n  hostIPC: true\n  containers:\n  - name: web\n    image: nginx:1.${n}\n` +
        `    securityContext:\n      privileged: true\n      runAsUser: 0\n      capabilities:\n` +
        `        add: [NET_ADMIN, SYS_TIME]\n`
      );
    case 1:
      return (
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  template:\n` +
        `    spec:\n      serviceAccount: api\n      containers:\n      - name: api # the API\n` +
        `        image: "api:1.${n}"\n        securityContext: {allowPrivilegeEscalation: true, ` +
        `readOnlyRootFilesystem: false}\n      - name: sidecar\n        image: proxy:2\n`
      );
    case 2:
      return (
        `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\n  namespace: jobs\nspec:\n  template:\n` +
        `    spec:\n      securityContext:\n        runAsUser: 0\n        runAsNonRoot: false\n      containers:\n` +
        `      - name: run\n        image: job:3\n        securityContext: &sc\n          capabilities:\n` +
        `            add: [NET_ADMIN]\n      initContainers:\n      - name: init\n        image: job:3\n` +
        `        securityContext: *sc\n`
      );
    case 3:
      return (
        `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ${name}\n  namespace: kube-system\nspec:\n` +
        `  template:\n    spec:\n      os:\n        name: windows\n      hostNetwork: true\n` +
        `      securityContext:\n        windowsOptions:\n          hostProcess: true\n` +
        `          runAsUserName: "NT AUTHORITY\\\\SYSTEM"\n      containers:\n      - name: agent\n` +
        `        image: example.com/agent:1.${n}\n`
      );
    case 4:
      return (
        `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}\nspec:\n  schedule: "@daily"\n` +
        `  jobTemplate:\n    spec:\n      template:\n        spec:\n          automountServiceAccountToken: true\n` +
        `          containers:\n          - name: tick\n            image: tick:1\n` +
        `            securityContext:\n              runAsNonRoot: false\n` +
        `              privileged: true # kubemend-disable-line privileged -- needs the device\n`
      );
    case 5:
      return (
        `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${name}\n  namespace: data\nspec:\n` +
        `  template:\n    metadata:\n      annotations:\n        note: keep\n    spec:\n` +
        `      securityContext:\n        seccompProfile:\n          type: Unconfined\n      containers:\n` +
        `      - name: db\n        image: db:5\n        securityContext:\n` +
        `          capabilities:\n            drop: [NET_RAW]\n          appArmorProfile:\n` +
        `            type: Unconfined\n`
      );
    case 6:
      return `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "${name}"}, "spec": {"containers": [{"name": "j", "image": "j:1"}]}}\n`;
    default:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: value\n`;
  }
}

async function fixFile(dir: string, file: string, extra: string[] = []) {
  return runCli([file, '--fix', NO_CONTEXT, '--format', 'json', ...extra], { cwd: dir });
}

interface JsonFinding {
  rule: string;
  code: string;
  line: number;
  column: number;
  message: string;
}

function findingsOf(stdout: string): Omit<JsonFinding, never>[] {
  const report = JSON.parse(stdout) as { results: { findings: JsonFinding[] }[] };
  return report.results.flatMap((result) =>
    result.findings.map(({ rule, code, line, column, message }) => ({ rule, code, line, column, message })),
  );
}

describe('--fix on a file of many documents, every fixable rule', () => {
  it('equals each document fixed alone, reports what a lint of the fixed file finds, and settles in one run', async () => {
    const documents = Array.from({ length: 48 }, (_, n) => workload(n));
    const dir = fixtureDir({ 'all.yaml': documents.join('---\n') });
    const run = await fixFile(dir, 'all.yaml');
    expect(run.status).not.toBe(2);
    const fixed = readFileSync(path.join(dir, 'all.yaml'), 'utf8');

    const alone: string[] = [];
    for (const [n, document] of documents.entries()) {
      const one = fixtureDir({ 'one.yaml': document });
      await fixFile(one, 'one.yaml');
      alone.push(readFileSync(path.join(one, 'one.yaml'), 'utf8'));
      if (n % 8 !== 7) expect(alone[n], `document ${n + 1} is fixed`).not.toBe(document);
    }
    expect(fixed).toBe(alone.join('---\n'));

    const lint = await runCli(['all.yaml', NO_CONTEXT, '--format', 'json'], { cwd: dir });
    expect(findingsOf(run.stdout)).toEqual(findingsOf(lint.stdout));
    expect(findingsOf(lint.stdout).length).toBeGreaterThan(0);

    const again = await fixFile(dir, 'all.yaml');
    expect(readFileSync(path.join(dir, 'all.yaml'), 'utf8')).toBe(fixed);
    expect(findingsOf(again.stdout)).toEqual(findingsOf(lint.stdout));
  });

  it('keeps cross-document fixes (a NetworkPolicy per Namespace, a ServiceAccount edited) in a large file', async () => {
    const namespaces = ['shop', 'jobs', 'data'];
    const documents = [
      ...namespaces.map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`),
      ...namespaces.map(
        (ns) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: ${ns}\n`,
      ),
      ...Array.from({ length: 40 }, (_, n) => workload(n)),
    ];
    const dir = fixtureDir({ 'all.yaml': documents.join('---\n') });
    const run = await fixFile(dir, 'all.yaml');
    expect(run.status).not.toBe(2);
    const fixed = readFileSync(path.join(dir, 'all.yaml'), 'utf8');
    // Every original document keeps its place; one default-deny policy per Namespace comes after them.
    expect(fixed.startsWith(documents[0]!)).toBe(true);
    for (const ns of namespaces) expect(fixed).toMatch(new RegExp(`kind: NetworkPolicy\\n[^]*?namespace: ${ns}\\n`));
    expect(fixed.match(/^kind: NetworkPolicy$/gm)).toHaveLength(namespaces.length);
    expect(fixed).toMatch(
      /kind: ServiceAccount\nmetadata:\n {2}name: default\n {2}namespace: shop\n[^]*?automountServiceAccountToken: false/,
    );

    const lint = await runCli(['all.yaml', NO_CONTEXT, '--format', 'json'], { cwd: dir });
    expect(findingsOf(run.stdout)).toEqual(findingsOf(lint.stdout));
    const again = await fixFile(dir, 'all.yaml');
    expect(readFileSync(path.join(dir, 'all.yaml'), 'utf8')).toBe(fixed);
    expect(findingsOf(again.stdout)).toEqual(findingsOf(lint.stdout));
  });
});
