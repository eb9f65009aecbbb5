import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli } from '../support/cli.js';

/*
 * --fix on one file of many documents, each with several fixable findings: every document must come out as it does
 * when fixed alone. (How the cost grows with the number of documents is measured by `npm run bench:fix`.)
 */

const RULES = ['privileged', 'privesc', 'rootfs', 'nonroot', 'capabilities', 'seccomp', 'hostns', 'image'];
const FIX_ARGS = ['--fix', '--no-project-context', ...RULES.flatMap((rule) => ['--rule', rule])];

/** A workload of one of several shapes, so patches land at different depths, in flow and block style, with anchors. */
function workload(n: number): string {
  const name = `app-${n}`;
  switch (n % 4) {
    case 0:
      return (
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  hostPID: true\n` +
        `  containers:\n  - name: web\n    image: nginx\n    securityContext:\n      privileged: true\n`
      );
    case 1:
      return (
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  template:\n` +
        `    spec:\n      containers:\n      - name: api # the API\n        image: "api:1.${n}"\n` +
        `        securityContext: {allowPrivilegeEscalation: true}\n      - name: sidecar\n        image: proxy:2\n`
      );
    case 2:
      return (
        `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\n  namespace: jobs\nspec:\n  template:\n` +
        `    spec:\n      securityContext:\n        runAsUser: 0\n      containers:\n      - name: run\n` +
        `        image: job:3\n        securityContext: &sc\n          capabilities:\n            add: [NET_ADMIN]\n` +
        `      initContainers:\n      - name: init\n        image: job:3\n        securityContext: *sc\n`
      );
    default:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: value\n`;
  }
}

async function fixAlone(text: string): Promise<string> {
  const dir = fixtureDir({ 'one.yaml': text });
  await runCli(['one.yaml', ...FIX_ARGS], { cwd: dir });
  return readFileSync(path.join(dir, 'one.yaml'), 'utf8');
}

describe('--fix on a file of many documents', () => {
  it('fixes every document as it would be fixed alone, and leaves nothing fixable', async () => {
    const documents = Array.from({ length: 40 }, (_, n) => workload(n));
    const dir = fixtureDir({ 'all.yaml': documents.join('---\n') });
    const run = await runCli(['all.yaml', '--format', 'json', ...FIX_ARGS], { cwd: dir });
    const fixedAlone: string[] = [];
    for (const document of documents) fixedAlone.push(await fixAlone(document));
    expect(readFileSync(path.join(dir, 'all.yaml'), 'utf8')).toBe(fixedAlone.join('---\n'));
    for (const [n, text] of fixedAlone.entries()) if (n % 4 !== 3) expect(text).not.toBe(documents[n]);
    const report = JSON.parse(run.stdout) as { results: { findings: { fixable: boolean }[] }[] };
    expect(report.results[0]!.findings.filter((finding) => finding.fixable)).toEqual([]);
    expect(run.stderr).toMatch(/^kubemend: fixed \d+ problems in 1 file\n$/);
  });
});
