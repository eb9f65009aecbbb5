import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS, lintInputs, lintInputsStream, RULES, type FileResult } from '../src/index.js';
import { fixtureDir, runCli, runJson } from './support/cli.js';
import { SHOP_DEFAULT_DENY, SHOP_POD } from './support/manifests.js';

/*
 * Large inputs are settled file by file (cross-file facts gathered first) and their report written as results come;
 * small ones are decided all at once, as before. `--jobs-threshold 1` makes any input large: each run here is
 * compared with the run that holds every result.
 */

const HELD = ['--jobs', '1'];
const SETTLED = ['--jobs', '1', '--jobs-threshold', '1'];
const THREADS = ['--jobs', '2', '--jobs-threshold', '1'];

/**
 * Cross-file findings both ways (a Namespace with its policy in a later file, one without; a pod whose default
 * account is in another file), a file that does not parse in the middle, and a suppression comment.
 */
const PROJECT = {
  'a-namespaces.yaml':
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: bare\n',
  'b-pod.yaml': SHOP_POD,
  'c-broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n',
  'd-suppressed.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent
  namespace: bare
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
        - name: agent
          image: agent:2.1
          securityContext:
            privileged: true  # kubemend-disable-line privileged -- the agent needs the host's devices
`,
  'z-account.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\n',
  'z-policy.yaml': SHOP_DEFAULT_DENY,
};

/** kubeaudit's line formats stamp each line with the time of the run. */
function withoutTimes(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
}

async function lint(args: string[], cwd: string) {
  const run = await runCli([...args, '--no-project-context', '.'], { cwd });
  return { ...run, stdout: withoutTimes(run.stdout) };
}

describe('a report written file by file', () => {
  it.each(Object.keys(FORMATS))(
    '%s: one thread and two print byte for byte what a run holding every result prints',
    async (format) => {
      const cwd = fixtureDir(PROJECT);
      const args = ['--format', format, '--no-color'];
      const held = await lint([...args, ...HELD], cwd);
      expect(held.status).toBe(2);
      expect(held.stdout).toContain('c-broken.yaml');
      expect(await lint([...args, ...SETTLED], cwd)).toEqual(held);
      expect(await lint([...args, ...THREADS], cwd)).toEqual(held);
    },
  );

  it('keeps input order and every finding across files, a file error in the middle included', async () => {
    const cwd = fixtureDir(PROJECT);
    for (const jobs of [SETTLED, THREADS]) {
      const { status, report } = await runJson([...jobs, '--no-project-context', '.'], { cwd });
      expect(status).toBe(2);
      expect(report.results.map((result) => result.file)).toEqual(Object.keys(PROJECT));
      const codes = report.results.map((result) => [
        ...result.errors.map(() => 'file error'),
        ...result.findings.filter((finding) => ['asat', 'netpols'].includes(finding.rule)).map((f) => f.code),
        ...result.suppressed.map((finding) => `suppressed ${finding.code}`),
      ]);
      expect(codes).toEqual([
        ['MissingDefaultDenyIngressAndEgressNetworkPolicy'],
        ['AutomountServiceAccountTokenTrueAndDefaultSA'],
        ['file error'],
        ['suppressed PrivilegedTrue'],
        [],
        [],
      ]);
    }
  });

  it('exits as a held run does: errors, file errors and --max-warnings counted while the report is written', async () => {
    const cwd = fixtureDir({
      'a.yaml': PROJECT['b-pod.yaml'],
      'b.yaml': PROJECT['b-pod.yaml'].replace('name: api', 'name: web'),
    });
    const warnings = (await runJson([...HELD, '--rule', 'limits', '.'], { cwd })).report.results
      .flatMap((result) => result.findings)
      .filter((finding) => finding.severity === 'warning').length;
    expect(warnings).toBe(2);
    for (const jobs of [HELD, SETTLED, THREADS]) {
      const within = await runCli([...jobs, '--rule', 'limits', '--max-warnings', '2', '.'], { cwd });
      const over = await runCli([...jobs, '--format', 'json', '--rule', 'limits', '--max-warnings', '1', '.'], { cwd });
      const errors = await runCli([...jobs, '--format', 'compact', '.'], { cwd });
      expect([within.status, over.status, errors.status]).toEqual([0, 1, 1]);
      expect(over.stderr).toContain('found too many warnings: 2, more than --max-warnings 1 allows');
    }
    const broken = fixtureDir({ 'a.yaml': PROJECT['c-broken.yaml'] });
    expect((await runCli([...SETTLED, '--rule', 'limits', '.'], { cwd: broken })).status).toBe(2);
  });

  it('-o writes the same report to the file, and nothing else beside it', async () => {
    const cwd = fixtureDir(PROJECT);
    const out = fixtureDir({});
    const shown = await lint(['--format', 'json', ...SETTLED], cwd);
    const written = await runCli(
      ['--format', 'json', ...SETTLED, '--no-project-context', '-o', path.join(out, 'report.json'), '.'],
      { cwd },
    );
    expect(written.stdout).toBe('');
    expect(written.status).toBe(shown.status);
    expect(readFileSync(path.join(out, 'report.json'), 'utf8')).toBe(shown.stdout);
    expect(readdirSync(out)).toEqual(['report.json']);
  });
});

describe('lintInputsStream (library)', () => {
  it('yields each file as lintInputs returns it, in input order, before the next file is linted', async () => {
    const dir = fixtureDir(PROJECT);
    const options = { rules: RULES, parallelThreshold: 1, jobs: 1 };
    const events: string[] = [];
    const streamed: FileResult[] = [];
    const onProgress = ({ done }: { done: number }) => void events.push(`linted ${done}`);
    for await (const result of lintInputsStream([dir], options, { onProgress })) {
      events.push(`yielded ${path.basename(result.file)}`);
      streamed.push(result);
    }
    expect(events.slice(0, 4)).toEqual(['linted 1', 'yielded a-namespaces.yaml', 'linted 2', 'yielded b-pod.yaml']);
    expect(streamed).toEqual(await lintInputs([dir], options));
    // The same as a run that holds every file until the end (inputs below the threshold).
    expect(streamed).toEqual(await lintInputs([dir], { rules: RULES, jobs: 1 }));
  });
});
