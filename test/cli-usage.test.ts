import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, ROOT, runCli } from './support/cli.js';
import { PRIVILEGED_POD, pod } from './support/manifests.js';

const WARNING_ONLY_POD = pod('  containers:\n    - name: app\n      image: nginx\n');
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('commands and mistyped arguments', () => {
  it('kubemend version prints the version, like --version', async () => {
    expect(await runCli(['version'])).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '' });
    expect((await runCli(['--version'])).stdout).toBe(`${version}\n`);
  });

  it('an argument that is neither a path nor a command is a usage error that says so, with a did-you-mean', async () => {
    const dir = fixtureDir({ 'deploy.yaml': PRIVILEGED_POD });
    const typo = await runCli(['verison'], { cwd: dir });
    expect(typo).toMatchObject({ status: 2, stdout: '' });
    expect(typo.stderr).toBe(
      'kubemend: "verison" is neither a file or directory nor a command; did you mean version? (kubemend --help lists the commands)\n',
    );
    expect((await runCli(['rlues'], { cwd: dir })).stderr).toMatch(
      /"rlues" is neither a file or directory nor a command; did you mean rules\?/,
    );
    expect((await runCli(['explian', 'PrivilegedTrue'], { cwd: dir })).stderr).toMatch(
      /"explian" is .*; did you mean explain\?/,
    );
    expect((await runCli(['nothing-like-it'], { cwd: dir })).stderr).not.toMatch(/did you mean/);
  });

  it('a file or folder named like a command is still linted', async () => {
    const dir = fixtureDir({ 'manifests/deploy.yaml': PRIVILEGED_POD });
    const run = await runCli(['--rule', 'privileged', 'manifests'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('manifests/deploy.yaml');
  });

  it('a missing path that looks like a path stays a file error of the report', async () => {
    const run = await runCli(['--format', 'json', 'k8s/missing.yaml']);
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).results[0].errors[0].message).toMatch(
      /no such file or directory: k8s\/missing\.yaml/,
    );
  });

  it.each([
    [['--rule', 'privilegd', 'x.yaml'], /unknown rule "privilegd"; did you mean privileged\? \(known rules: /],
    [['--rule', 'pss/privilegd', 'x.yaml'], /unknown rule "pss\/privilegd"; did you mean pss\/privileged\?/],
    [
      ['--fix', '--fix-only', 'PrivilegedTru', 'x.yaml'],
      /--fix-only PrivilegedTru: no rule or finding code has this name; did you mean PrivilegedTrue\?/,
    ],
    [
      ['--profile', 'pss-restrcted', 'x.yaml'],
      /--profile must be one of kubeaudit, pss-baseline, pss-restricted, auto; not "pss-restrcted"; did you mean pss-restricted\?/,
    ],
    [['--format', 'jsno', 'x.yaml'], /--format must be one of .*; not "jsno"; did you mean json\?/],
    [
      ['--min-severity', 'warn', 'x.yaml'],
      /--min-severity must be one of error, warning, info; not "warn"; did you mean warning\?/,
    ],
  ])('%j: a usage error with a did-you-mean', async (args, message) => {
    const run = await runCli(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('--fix-only knows the Pod Security Standards rules and codes too', async () => {
    const dir = fixtureDir({ 'p.yaml': PRIVILEGED_POD });
    const run = await runCli(['--profile', 'pss-baseline', '--fix', '--fix-only', 'pss/privileged', 'p.yaml'], {
      cwd: dir,
    });
    expect(run.stderr).not.toMatch(/no rule or finding code/);
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(dir, 'p.yaml'), 'utf8')).toContain('privileged: false');
  });
});

describe('--max-warnings', () => {
  const dir = fixtureDir({ 'warn.yaml': WARNING_ONLY_POD });
  const args = ['--rule', 'privileged', 'warn.yaml'];

  it('says why the run failed when there are too many warnings', async () => {
    const run = await runCli(['--max-warnings', '0', ...args], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('kubemend: found too many warnings: 1, more than --max-warnings 0 allows\n');
    expect(await runCli(['--max-warnings', '1', ...args], { cwd: dir })).toMatchObject({ status: 0, stderr: '' });
  });

  it('takes -1 as no limit, as ESLint does, and refuses other negative numbers', async () => {
    expect(await runCli(['--max-warnings', '-1', ...args], { cwd: dir })).toMatchObject({ status: 0, stderr: '' });
    expect(await runCli(['--max-warnings=-1', ...args], { cwd: dir })).toMatchObject({ status: 0, stderr: '' });
    const wrong = await runCli(['--max-warnings', '-2', ...args], { cwd: dir });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/--max-warnings needs a whole number >= 0, or -1 for no limit; got "-2"/);
  });
});
