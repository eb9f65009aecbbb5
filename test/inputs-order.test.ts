import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli, runJson } from './support/cli.js';
import { CLEAN_POD, PRIVILEGED_POD } from './support/manifests.js';

const RULE = ['--rule', 'privileged'];

describe('dot-files and dot-folders are linted like any other file', () => {
  it('a folder holding only .deploy/deploy.yaml and .hidden.yaml is linted, not "no files found"', async () => {
    const dir = fixtureDir({ '.deploy/deploy.yaml': PRIVILEGED_POD, '.hidden.yaml': CLEAN_POD });
    const { status, report } = await runJson([...RULE, '.'], { cwd: dir });
    expect(status).toBe(1);
    expect(report.results.map((result) => result.file)).toEqual(['.deploy/deploy.yaml', '.hidden.yaml']);
    expect(report.results[0]!.findings.map((finding) => finding.code)).toEqual(['PrivilegedTrue']);
  });

  it('the config file a directory walk finds is configuration, not a manifest: it is not linted', async () => {
    const dir = fixtureDir({ '.kubemend.yaml': 'rules:\n  limits: off\n', '.deploy/deploy.yaml': PRIVILEGED_POD });
    const { report } = await runJson([...RULE, '.'], { cwd: dir });
    expect(report.results.map((result) => result.file)).toEqual(['.deploy/deploy.yaml']);
  });

  it('globs match dot-files too; .git and node_modules are never searched, and the message says so', async () => {
    const dir = fixtureDir({
      'k8s/.a.yaml': PRIVILEGED_POD,
      'only-skipped/.git/x.yaml': PRIVILEGED_POD,
      'only-skipped/node_modules/y.yaml': PRIVILEGED_POD,
    });
    expect((await runJson([...RULE, 'k8s/*.yaml'], { cwd: dir })).report.results.map((result) => result.file)).toEqual([
      'k8s/.a.yaml',
    ]);
    const skipped = await runJson([...RULE, 'only-skipped'], { cwd: dir });
    expect(skipped.status).toBe(2);
    expect(skipped.report.results[0]!.errors[0]!.message).toBe(
      'no *.yaml or *.yml files under directory only-skipped (node_modules and .git are not searched)',
    );
  });
});

describe('results come in the order the inputs were named', () => {
  const dir = fixtureDir({
    'a.yaml': PRIVILEGED_POD,
    'c.yaml': CLEAN_POD,
    'dir/d.yaml': CLEAN_POD,
    'empty/notes.txt': 'x',
  });
  const inputs = ['c.yaml', 'missing-1.yaml', 'dir', 'no-match-*.yaml', 'a.yaml', 'empty'];
  const expected = ['c.yaml', 'missing-1.yaml', 'dir/d.yaml', 'no-match-*.yaml', 'a.yaml', 'empty'];

  it('with paths that name nothing among them', async () => {
    const { report } = await runJson([...RULE, ...inputs], { cwd: dir });
    expect(report.results.map((result) => result.file)).toEqual(expected);
  });

  it('with --diff, which reads the files itself', async () => {
    const run = await runCli(['--diff', '--format', 'json', ...RULE, ...inputs], { cwd: dir });
    expect(
      JSON.parse(run.stderr.slice(run.stderr.indexOf('{'))).results.map((result: { file: string }) => result.file),
    ).toEqual(expected);
  });

  it('with an ignore pattern in .kubemend.yaml', async () => {
    const ignoring = fixtureDir({
      '.kubemend.yaml': 'ignore: [skip.yaml]\n',
      'b.yaml': CLEAN_POD,
      'skip.yaml': CLEAN_POD,
      'a.yaml': CLEAN_POD,
    });
    const { report } = await runJson([...RULE, 'b.yaml', 'missing.yaml', '.', 'a.yaml'], { cwd: ignoring });
    expect(report.results.map((result) => result.file)).toEqual(['b.yaml', 'missing.yaml', 'a.yaml']);
  });
});
