import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, symlinkSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli, runJson } from './support/cli.js';
import { CLEAN_POD, PRIVILEGED_POD } from './support/manifests.js';

/*
 * What kubemend does with paths that are not plain manifests (issue 11, defects 3, 7 and 8): symbolic link loops,
 * special files, files too large, documents nested too deep, a report that cannot be written, and the same file
 * reached twice. Each is a file error or a one-line usage error; nothing crashes or blocks, and every other file
 * is still linted. Permission cases need a non-root user: test/e2e/permissions.test.ts.
 */

const PRIVILEGED = ['--rule', 'privileged'];

/** file → [finding codes, error messages] of a JSON report. */
function summary(report: Awaited<ReturnType<typeof runJson>>['report']): Record<string, [string[], string[]]> {
  return Object.fromEntries(
    report.results.map((result) => [
      result.file,
      [result.findings.map((f) => f.code), result.errors.map((e) => e.message)],
    ]),
  );
}

describe('file-system errors are file errors, and the other files are still linted', () => {
  it('a symbolic link loop named on the command line', async () => {
    const dir = fixtureDir({ 'bad.yaml': PRIVILEGED_POD });
    symlinkSync('b.yaml', path.join(dir, 'a.yaml'));
    symlinkSync('a.yaml', path.join(dir, 'b.yaml'));
    const { status, report, stderr } = await runJson([...PRIVILEGED, 'a.yaml', 'bad.yaml'], { cwd: dir });
    expect(summary(report)).toEqual({
      'a.yaml': [[], ['cannot read the file: a symbolic link loop (the link leads back to itself)']],
      'bad.yaml': [['PrivilegedTrue'], []],
    });
    expect(stderr).toBe('');
    expect(status).toBe(2);

    const kubeaudit = await runCli(['all', '-f', 'a.yaml', '--no-color'], { cwd: dir });
    expect(kubeaudit.stdout).toContain('Error: a.yaml:1:1: cannot read the file: a symbolic link loop');
    expect(kubeaudit.stderr).toBe('');
    expect(kubeaudit.status).toBe(1);
  });

  it('a symbolic link to nothing says where it points', async () => {
    const dir = fixtureDir({});
    symlinkSync('gone.yaml', path.join(dir, 'link.yaml'));
    const { status, report } = await runJson(['link.yaml'], { cwd: dir });
    expect(summary(report)).toEqual({ 'link.yaml': [[], ['a symbolic link to gone.yaml, which does not exist']] });
    expect(status).toBe(2);
  });

  it('-o into a folder that does not exist is a one-line usage error', async () => {
    const dir = fixtureDir({ 'bad.yaml': PRIVILEGED_POD });
    const run = await runCli(['--format', 'json', '-o', '/nonexistent/dir/r.json', 'bad.yaml'], { cwd: dir });
    expect(run.stderr).toBe(
      'kubemend: cannot write the report to /nonexistent/dir/r.json: the folder /nonexistent/dir does not exist\n',
    );
    expect(run.status).toBe(2);
  });
});

describe('each file is linted once, however it is reached', () => {
  it('a link to a file in the same folder is the file itself, reported under its own name', async () => {
    const dir = fixtureDir({ 'k8s/v2.yaml': PRIVILEGED_POD });
    symlinkSync('v2.yaml', path.join(dir, 'k8s', 'latest.yaml'));
    const { report } = await runJson([...PRIVILEGED, 'k8s'], { cwd: dir });
    expect(summary(report)).toEqual({ 'k8s/v2.yaml': [['PrivilegedTrue'], []] });
    // Named twice, once through the link: still once.
    expect(
      summary((await runJson([...PRIVILEGED, 'k8s/latest.yaml', 'k8s/v2.yaml', 'k8s'], { cwd: dir })).report),
    ).toEqual({
      'k8s/v2.yaml': [['PrivilegedTrue'], []],
    });
  });

  it('folder links back up (sub/up -> .., or above the searched folder) are not followed; others are', async () => {
    const dir = fixtureDir({ 'k8s/app/pod.yaml': PRIVILEGED_POD, 'common/base.yaml': CLEAN_POD });
    symlinkSync('..', path.join(dir, 'k8s', 'app', 'up'));
    symlinkSync('../..', path.join(dir, 'k8s', 'app', 'top'));
    symlinkSync('../common', path.join(dir, 'k8s', 'common'));
    // From outside back in: a loop through a folder that is not below the searched one.
    symlinkSync('../k8s', path.join(dir, 'common', 'back'));
    const { status, report } = await runJson([...PRIVILEGED, 'k8s'], { cwd: dir });
    expect(summary(report)).toEqual({ 'k8s/app/pod.yaml': [['PrivilegedTrue'], []], 'k8s/common/base.yaml': [[], []] });
    expect(status).toBe(1);
    // A glob walks the same way.
    expect(Object.keys(summary((await runJson([...PRIVILEGED, 'k8s/**/*.yaml'], { cwd: dir })).report)).sort()).toEqual(
      ['k8s/app/pod.yaml', 'k8s/common/base.yaml'],
    );
  });
});

describe('special files and size', () => {
  it('a FIFO or a device named on the command line is refused without reading it', async () => {
    const dir = fixtureDir({ 'good.yaml': CLEAN_POD });
    execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
    const { status, report } = await runJson([...PRIVILEGED, 'fifo.yaml', '/dev/zero', 'good.yaml'], { cwd: dir });
    const notRegular = (kind: string) =>
      `this is ${kind}, not a regular file; kubemend reads only regular files (and stdin, as -)`;
    expect(summary(report)).toEqual({
      'fifo.yaml': [[], [notRegular('a named pipe (FIFO)')]],
      '/dev/zero': [[], [notRegular('a character device')]],
      'good.yaml': [[], []],
    });
    expect(status).toBe(2);
  });

  it('files above --max-file-size (default 64 MiB) are refused before they are read; so is stdin', async () => {
    const dir = fixtureDir({ 'good.yaml': CLEAN_POD });
    // Sparse: 65 MiB on paper, nothing on disk. Reading it would find only NUL bytes.
    closeSync(openSync(path.join(dir, 'huge.yaml'), 'w'));
    truncateSync(path.join(dir, 'huge.yaml'), 65 * 1024 * 1024);
    const tooLarge = (what: string, limit: string) =>
      `${what} more than ${limit}, the most kubemend reads; if it really is a manifest, raise the limit with --max-file-size`;
    expect(summary((await runJson([...PRIVILEGED, 'huge.yaml', 'good.yaml'], { cwd: dir })).report)).toEqual({
      'huge.yaml': [[], [tooLarge('the file is 65 MiB,', '64 MiB')]],
      'good.yaml': [[], []],
    });
    expect(summary((await runJson(['--max-file-size', '100', 'good.yaml'], { cwd: dir })).report)).toEqual({
      'good.yaml': [[], [tooLarge(`the file is ${CLEAN_POD.length} bytes,`, '100 bytes')]],
    });
    expect((await runJson([...PRIVILEGED, '--max-file-size', '1k', 'good.yaml'], { cwd: dir })).status).toBe(0);
    const stdin = await runJson(['--max-file-size', '1KiB', '-'], { input: `# padding\n`.repeat(200) });
    expect(summary(stdin.report)).toEqual({ '<stdin>': [[], [tooLarge('stdin holds', '1 KiB')]] });
    expect(stdin.status).toBe(2);
  });

  it('--max-file-size takes bytes or K, M, G; anything else is a usage error; kubeaudit commands honour it', async () => {
    const dir = fixtureDir({ 'bad.yaml': PRIVILEGED_POD });
    const wrong = await runCli(['--max-file-size', 'lots', 'bad.yaml'], { cwd: dir });
    expect(wrong.stderr).toBe('kubemend: --max-file-size needs a size such as 1048576, 512K or 64M, got "lots"\n');
    expect(wrong.status).toBe(2);
    const kubeaudit = await runCli(['privileged', '-f', 'bad.yaml', '--max-file-size', '50', '--no-color'], {
      cwd: dir,
    });
    expect(kubeaudit.stdout).toContain(
      `Error: bad.yaml:1:1: the file is ${PRIVILEGED_POD.length} bytes, more than 50 bytes`,
    );
    expect(kubeaudit.status).toBe(1);
    expect((await runCli(['privileged', '-f', 'bad.yaml', '--max-file-size', '64M'], { cwd: dir })).status).toBe(2);
    const zero = await runCli(['all', '-f', 'bad.yaml', '--max-file-size', '0'], { cwd: dir });
    expect(zero.stderr).toBe('kubemend: --max-file-size needs a size such as 1048576, 512K or 64M, got "0"\n');
    expect(zero.status).toBe(1);
  });

  it('a document nested deeper than 500 levels is refused with the limit and the place; 400 levels are fine', async () => {
    const nested = (depth: number) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ` +
      `deep\ndata:\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(2 * i + 2)}k${i}:\n`).join('')}`;
    const flow = (depth: number) => `apiVersion: v1\nkind: List\nitems: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    const dir = fixtureDir({
      'block.yaml': nested(5000),
      'flow.yaml': flow(5000),
      'ok.yaml': nested(400),
      'ok-flow.yaml': flow(400),
      'bad.yaml': PRIVILEGED_POD,
    });
    const { status, report } = await runJson([...PRIVILEGED, '.'], { cwd: dir });
    const limit =
      "mappings and sequences are nested more than 500 levels deep here, beyond kubemend's limit " +
      '(Kubernetes objects need a few dozen at most); flatten the data';
    expect(summary(report)).toEqual({
      'bad.yaml': [['PrivilegedTrue'], []],
      'block.yaml': [[], [limit]],
      'flow.yaml': [[], [limit]],
      'ok-flow.yaml': [[], []],
      'ok.yaml': [[], []],
    });
    // Where the 501st level starts: the root mapping is the first, the mapping under `data` the second.
    expect(report.results.find((result) => result.file === 'block.yaml')!.errors[0]).toMatchObject({
      line: 6 + 499,
      column: 2 * 499 + 3,
    });
    expect(status).toBe(2);
  });
});

it('nothing found under a folder, and nothing matched by a glob, are still file errors', async () => {
  const dir = fixtureDir({ 'empty/readme.txt': 'no manifests' });
  mkdirSync(path.join(dir, 'none'));
  const { status, report } = await runJson(['empty', 'none/*.yaml'], { cwd: dir });
  expect(summary(report)).toEqual({
    empty: [[], ['no *.yaml or *.yml files under directory empty (node_modules and .git are not searched)']],
    'none/*.yaml': [[], ['the pattern none/*.yaml matches no files']],
  });
  expect(status).toBe(2);
});
