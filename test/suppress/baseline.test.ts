import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, fixtureDir, runCli, runJson } from '../support/cli.js';
import { cliOptions } from './support.js';

/*
 * The baseline on real manifests: kubeaudit's fixtures (vendored in test/conformance), one workload of every kind
 * kubeaudit knows, each with its Namespace, plus a Deployment with two containers.
 */
const FIXTURES = path.join(ROOT, 'test', 'conformance', 'kubeaudit', 'fixtures');
const ALL_RESOURCES = path.join(FIXTURES, 'common', 'all_resources');
const TWO_CONTAINERS = path.join(
  FIXTURES,
  'capabilities',
  'capabilities-some-allowed-multi-containers-some-labels.yml',
);
const BASELINE = '.kubemend-baseline.json';

/** A repository holding the fixtures under k8s/. */
function repository(): string {
  const dir = fixtureDir({ '.git/HEAD': 'ref: refs/heads/main\n' });
  cpSync(ALL_RESOURCES, path.join(dir, 'k8s'), { recursive: true });
  cpSync(TWO_CONTAINERS, path.join(dir, 'k8s', 'two-containers.yml'));
  return dir;
}

async function lint(dir: string, args: string[]) {
  const { status, report, stderr } = await runJson(args, cliOptions(dir));
  const findings = report.results.flatMap((result) =>
    result.findings.map((finding) => ({ file: result.file, ...finding })),
  );
  const suppressed = report.results.flatMap((result) => result.suppressed);
  return { status, report, stderr, findings, suppressed };
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  const full = path.join(dir, file);
  writeFileSync(full, change(readFileSync(full, 'utf8')));
}

/** Swaps the two containers of the Deployment in two-containers.yml. */
function swapContainers(text: string): string {
  const first = text.indexOf('        - name: container1');
  const second = text.indexOf('        - name: container2');
  expect(first).toBeGreaterThan(0);
  expect(second).toBeGreaterThan(first);
  return text.slice(0, first) + text.slice(second) + text.slice(first, second);
}

describe('baseline: adopt kubemend on a repository that has findings, then fail only on new ones', () => {
  it('--write-baseline accepts every current finding; re-running with --baseline finds nothing new (exit 0)', async () => {
    const dir = repository();
    const before = await lint(dir, ['k8s']);
    expect(before.status).toBe(1);
    const count = before.findings.filter((finding) => !finding.code.endsWith('Allowed')).length;
    expect(count).toBeGreaterThan(50);

    const written = await lint(dir, ['--write-baseline', 'k8s']);
    expect(written.status).toBe(0);
    expect(written.stderr).toBe(`kubemend: wrote ${BASELINE}: ${count} findings accepted\n`);
    expect(written.report.baseline).toEqual({ file: BASELINE, matched: count, new: 0, stale: 0 });
    expect(written.suppressed.every((finding) => finding.suppression.kind === 'baseline')).toBe(true);
    expect(written.suppressed[0]!.suppression).toEqual({
      kind: 'baseline',
      reason: `listed in the baseline ${BASELINE}`,
      until: null,
    });

    const again = await lint(dir, ['--baseline', 'k8s']);
    expect(again.status).toBe(0);
    expect(again.findings.map((finding) => finding.code)).toEqual(['CapabilityAddedAllowed']);
    expect(again.report.baseline).toEqual({ file: BASELINE, matched: count, new: 0, stale: 0 });
    const stylish = await runCli(['--baseline', 'k8s'], cliOptions(dir));
    expect(stylish.status).toBe(0);
  });

  it('writes a sorted file, one entry per line, with the same bytes every time (and after lines move)', async () => {
    const dir = repository();
    await lint(dir, ['--write-baseline', 'k8s']);
    const first = readFileSync(path.join(dir, BASELINE), 'utf8');
    await lint(dir, ['--write-baseline', 'k8s']);
    expect(readFileSync(path.join(dir, BASELINE), 'utf8')).toBe(first);
    edit(
      dir,
      'k8s/pod.yml',
      (text) => `# the pod\n\n${text.replace('spec:\n', 'spec:\n  # host namespaces, see OPS-1\n\n')}`,
    );
    await lint(dir, ['--write-baseline', 'k8s']);
    expect(readFileSync(path.join(dir, BASELINE), 'utf8')).toBe(first);

    const lines = first.split('\n');
    expect(lines.slice(0, 3)).toEqual(['{', '  "version": 1,', '  "entries": [']);
    expect(lines.slice(-4)).toEqual([expect.stringMatching(/^ {4}\{"file":.*\}$/), '  ]', '}', '']);
    const entries = (
      JSON.parse(first) as {
        entries: { file: string; rule: string; kind: string; container: string | null; code: string; count: number }[];
      }
    ).entries;
    expect(entries.find((entry) => entry.rule === 'apparmor')).toEqual({
      file: 'k8s/cronjob.yml',
      rule: 'apparmor',
      code: 'AppArmorAnnotationMissing',
      kind: 'CronJob',
      namespace: 'cronjob',
      name: 'cronjob',
      container: 'container',
      field:
        'spec.jobTemplate.spec.template.metadata.annotations.container.apparmor.security.beta.kubernetes.io/container',
      count: 1,
    });
    const keys = entries.map((entry) => JSON.stringify(entry));
    expect(new Set(keys).size).toBe(keys.length);
    expect(entries.map((entry) => entry.file)).toEqual([...entries.map((entry) => entry.file)].sort());
    // Within a resource, pod-level findings come before those of each container.
    expect(entries.slice(0, 2).map(({ file, container }) => ({ file, container }))).toEqual([
      { file: 'k8s/cronjob.yml', container: null },
      { file: 'k8s/cronjob.yml', container: null },
    ]);
  });

  it('shifted lines, reordered containers and a moved file create no new findings', async () => {
    const dir = repository();
    await lint(dir, ['--write-baseline', 'k8s']);
    edit(dir, 'k8s/deployment-apps-v1.yml', (text) =>
      text.replace(
        'metadata:\n  name: deployment\n',
        'metadata:\n  name: deployment\n  labels:\n    team: payments\n    tier: web\n',
      ),
    );
    edit(dir, 'k8s/two-containers.yml', swapContainers);
    mkdirSync(path.join(dir, 'k8s', 'workloads'));
    renameSync(path.join(dir, 'k8s', 'job.yml'), path.join(dir, 'k8s', 'workloads', 'batch-job.yml'));

    const after = await lint(dir, ['--baseline', 'k8s']);
    expect(after.findings.filter((finding) => !finding.code.endsWith('Allowed'))).toEqual([]);
    expect(after.status).toBe(0);
    expect(after.report.baseline).toMatchObject({ new: 0, stale: 0 });
    expect(
      after.report.results.find((result) => result.file === path.join('k8s', 'workloads', 'batch-job.yml'))!.suppressed
        .length,
    ).toBeGreaterThan(0);
  });

  it('a new workload: only its findings are new, and they fail the run (exit 1)', async () => {
    const dir = repository();
    await lint(dir, ['--write-baseline', 'k8s']);
    cpSync(path.join(FIXTURES, 'privileged', 'privileged-true.yml'), path.join(dir, 'k8s', 'zz-new.yml'));
    const alone = await lint(dir, ['k8s/zz-new.yml']);

    const after = await lint(dir, ['--baseline', 'k8s']);
    expect(after.status).toBe(1);
    const fresh = after.findings.filter((finding) => !finding.code.endsWith('Allowed'));
    expect(new Set(fresh.map((finding) => finding.file))).toEqual(new Set([path.join('k8s', 'zz-new.yml')]));
    expect(fresh.map((finding) => finding.code)).toEqual(alone.findings.map((finding) => finding.code));
    expect(fresh.map((finding) => finding.code)).toContain('PrivilegedTrue');
    expect(after.report.baseline).toMatchObject({ new: fresh.length, stale: 0 });
  });

  it('a second identical problem is new: entries count', async () => {
    const dir = repository();
    await lint(dir, ['--write-baseline', 'k8s']);
    // The same Pod applied twice from one file: every finding has a twin with the same identity.
    edit(dir, 'k8s/pod.yml', (text) => `${text}---\n${text.slice(text.indexOf('apiVersion: v1\nkind: Pod'))}`);
    const once = (await lint(dir, ['--rule', 'hostns', 'k8s/pod.yml'])).report.results[0]!;
    const after = await lint(dir, ['--baseline', '--rule', 'hostns', 'k8s/pod.yml']);
    expect(after.status).toBe(1);
    expect(after.findings.map((finding) => finding.code)).toEqual([
      'NamespaceHostPIDTrue',
      'NamespaceHostIPCTrue',
      'NamespaceHostNetworkTrue',
    ]);
    expect(after.findings.every((finding) => finding.line > 18)).toBe(true);
    expect(once.findings).toHaveLength(6);
  });

  it('fixed findings are stale: counted, and dropped by --write-baseline', async () => {
    const dir = repository();
    await lint(dir, ['--write-baseline', 'k8s']);
    const fix = await runCli(['--fix', '--rule', 'hostns', 'k8s/pod.yml'], cliOptions(dir));
    expect(fix.status).toBe(0);

    const after = await lint(dir, ['--baseline', 'k8s']);
    expect(after.status).toBe(0);
    expect(after.report.baseline).toMatchObject({ new: 0, stale: 3 });
    const stylish = await runCli(['--baseline', 'k8s'], cliOptions(dir));
    expect(stylish.stdout).toMatch(
      /\.kubemend-baseline\.json: \d+ matched, 3 no longer found \(stale\); drop them with `kubemend --write-baseline`$/m,
    );

    const rewritten = await lint(dir, ['--write-baseline', 'k8s']);
    expect(rewritten.stderr).toMatch(/: \d+ findings accepted; 3 findings no longer found were dropped\n$/);
    expect(readFileSync(path.join(dir, BASELINE), 'utf8')).not.toMatch(/"file":"k8s\/pod.yml","rule":"hostns"/);
    expect((await lint(dir, ['--baseline', 'k8s'])).report.baseline).toMatchObject({ new: 0, stale: 0 });
  });

  it('linting some files keeps the entries of the others; entries of files that are gone are stale', async () => {
    const dir = repository();
    await lint(dir, ['--write-baseline', 'k8s']);
    const full = readFileSync(path.join(dir, BASELINE), 'utf8');
    const some = await lint(dir, ['--write-baseline', 'k8s/pod.yml']);
    expect(some.report.baseline).toMatchObject({ stale: 0 });
    expect(readFileSync(path.join(dir, BASELINE), 'utf8')).toBe(full);

    const podEntries = (JSON.parse(full) as { entries: { file: string; count: number }[] }).entries.filter(
      (entry) => entry.file === 'k8s/pod.yml',
    );
    renameSync(path.join(dir, 'k8s', 'pod.yml'), path.join(dir, 'pod.yml.bak'));
    const gone = await lint(dir, ['--baseline', 'k8s/job.yml']);
    expect(gone.report.baseline).toMatchObject({
      new: 0,
      stale: podEntries.reduce((sum, entry) => sum + entry.count, 0),
    });
  });

  it('a file that cannot be read completely keeps its entries', async () => {
    const dir = repository();
    await lint(dir, ['--write-baseline', 'k8s']);
    const full = readFileSync(path.join(dir, BASELINE), 'utf8');
    edit(dir, 'k8s/pod.yml', (text) => text.replace('kind: Pod\n', 'kind: Pod\nbroken: [\n'));
    const broken = await lint(dir, ['--write-baseline', 'k8s']);
    expect(broken.status).toBe(2);
    expect(broken.report.baseline).toMatchObject({ stale: 0 });
    expect(readFileSync(path.join(dir, BASELINE), 'utf8')).toBe(full);
  });

  it('--baseline-file and baseline: in .kubemend.yaml name another file; the config key turns the baseline on', async () => {
    const dir = repository();
    const other = await lint(dir, ['--write-baseline', '--baseline-file', 'ci/accepted.json', 'k8s']);
    expect(other.status).toBe(0);
    expect(existsSync(path.join(dir, BASELINE))).toBe(false);
    const entries = (
      JSON.parse(readFileSync(path.join(dir, 'ci', 'accepted.json'), 'utf8')) as { entries: { file: string }[] }
    ).entries;
    expect(entries[0]!.file).toBe('../k8s/cronjob.yml');

    writeFileSync(path.join(dir, '.kubemend.yaml'), 'baseline: ci/accepted.json\n');
    const configured = await lint(path.join(dir, 'k8s'), ['.']);
    expect(configured.status).toBe(0);
    expect(configured.report.baseline).toMatchObject({
      file: path.join('..', 'ci', 'accepted.json'),
      new: 0,
      stale: 0,
    });
  });

  it('--fix with --baseline fixes only what is new', async () => {
    const dir = repository();
    await lint(dir, ['--write-baseline', '--rule', 'privileged', 'k8s']);
    cpSync(path.join(FIXTURES, 'privileged', 'privileged-true.yml'), path.join(dir, 'k8s', 'zz-new.yml'));
    const before = readFileSync(path.join(dir, 'k8s', 'pod.yml'), 'utf8');
    const fixed = await runCli(['--fix', '--baseline', '--rule', 'privileged', 'k8s'], cliOptions(dir));
    expect(fixed.status).toBe(0);
    expect(readFileSync(path.join(dir, 'k8s', 'pod.yml'), 'utf8')).toBe(before);
    expect(readFileSync(path.join(dir, 'k8s', 'zz-new.yml'), 'utf8')).toMatch(/privileged: false/);
  });

  it('--fix with --baseline accepts a finding as often as the baseline counts it, across the documents of a file', async () => {
    // Fixed document by document, each document would have had the whole count: both copies accepted, none fixed.
    const dir = repository();
    const pod = readFileSync(path.join(FIXTURES, 'privileged', 'privileged-true.yml'), 'utf8');
    writeFileSync(path.join(dir, 'k8s', 'zz-twice.yml'), pod);
    await lint(dir, ['--write-baseline', '--rule', 'privileged', 'k8s']);
    writeFileSync(
      path.join(dir, 'k8s', 'zz-twice.yml'),
      `${pod}---
${pod}`,
    );
    expect((await runCli(['--fix', '--baseline', '--rule', 'privileged', 'k8s'], cliOptions(dir))).status).toBe(0);
    const documents = readFileSync(path.join(dir, 'k8s', 'zz-twice.yml'), 'utf8').split('---\n');
    expect(documents.filter((document) => /privileged: false/.test(document))).toHaveLength(1);
    expect(documents.filter((document) => /privileged: true/.test(document))).toHaveLength(1);
  });

  const problems: [string, string[], string, string | undefined][] = [
    [
      'no baseline file',
      ['--baseline', 'k8s'],
      `kubemend: no baseline file ${BASELINE}: create it with kubemend --write-baseline <paths>\n`,
      undefined,
    ],
    ['a file that is not JSON', ['--baseline', 'k8s'], `kubemend: ${BASELINE}: not valid JSON (`, '<<<<<<< HEAD\n'],
    [
      'a file that is not a baseline',
      ['--baseline', 'k8s'],
      `kubemend: ${BASELINE}: not a kubemend baseline: entries.0.count must be >= 1; fix it, or write it again with --write-baseline\n`,
      '{"version":1,"entries":[{"file":"a","rule":"r","code":"C","kind":"Pod","namespace":null,"name":null,"container":null,"field":null,"count":0}]}',
    ],
    [
      'a newer baseline',
      ['--baseline', 'k8s'],
      `kubemend: ${BASELINE}: written by a newer kubemend (baseline version 2): upgrade kubemend; fix it, or write it again with --write-baseline\n`,
      '{"version":2,"entries":[]}',
    ],
    [
      '--write-baseline with --fix',
      ['--write-baseline', '--fix', 'k8s'],
      'kubemend: --write-baseline records the findings as they are: run --fix first, then --write-baseline\n',
      undefined,
    ],
  ];

  it.each(problems)('%s: exit 2, saying what to do', async (_, args, message, content) => {
    const dir = repository();
    if (content !== undefined) writeFileSync(path.join(dir, BASELINE), content);
    const run = await runCli(args, cliOptions(dir));
    expect(run.status).toBe(2);
    expect(run.stderr.startsWith(message), run.stderr).toBe(true);
    expect(run.stdout).toBe('');
    expect(readdirSync(path.join(dir, 'k8s'))).toHaveLength(9);
  });
});
