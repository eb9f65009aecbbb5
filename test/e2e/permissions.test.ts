import { spawn } from 'node:child_process';
import { chmodSync, chownSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, fixtureDir, runCli, type CliRun } from '../support/cli.js';
import { CLEAN_POD, PRIVILEGED_POD } from '../support/manifests.js';

/*
 * Permissions, as a user who has none to spare (issue 11, defects 3 and 5). Root reads and writes whatever the mode
 * bits say, so these cases run the CLI as `nobody` through setpriv; the fixtures are made by root, which is why the
 * suite needs root (as here and in CI) and fails, rather than pass without meaning, when it has not.
 */

const NOBODY = 65534;
const FIXED_POD = PRIVILEGED_POD.replace('privileged: true', 'privileged: false');

/** The CLI run as nobody:nogroup with no supplementary groups. */
async function runAsNobody(args: string[], cwd: string): Promise<CliRun> {
  const child = spawn(
    'setpriv',
    [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, BIN, ...args],
    {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { status, stdout, stderr };
}

/** A fixture folder nobody may enter and read (0755), or also write into (0777). */
function sharedDir(files: Record<string, string>, mode = 0o755): string {
  const dir = fixtureDir(files);
  chmodSync(dir, mode);
  return dir;
}

const read = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');

beforeAll(() => {
  if (process.getuid?.() !== 0)
    throw new Error(
      'the permission tests run the CLI as nobody through setpriv, which needs root: run npm run test:e2e as root',
    );
});

describe('reading what nobody may not read', () => {
  it('an unreadable folder inside a scanned one is a file error; everything else is linted', async () => {
    const dir = sharedDir({
      'k8s/bad.yaml': PRIVILEGED_POD,
      'k8s/locked/pod.yaml': PRIVILEGED_POD,
      'k8s/z/pod.yaml': CLEAN_POD,
    });
    chmodSync(path.join(dir, 'k8s', 'locked'), 0o700);
    const run = await runAsNobody(['--format', 'json', '--rule', 'privileged', 'k8s'], dir);
    const results = (
      JSON.parse(run.stdout) as {
        results: { file: string; findings: { code: string }[]; errors: { message: string }[] }[];
      }
    ).results;
    expect(
      results
        .map(({ file, findings, errors }) => [file, findings.map((f) => f.code), errors.map((e) => e.message)])
        .sort(),
    ).toEqual([
      ['k8s/bad.yaml', ['PrivilegedTrue'], []],
      ['k8s/locked', [], ['cannot list this folder (permission denied), so the manifests in it are not linted']],
      ['k8s/z/pod.yaml', [], []],
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(2);
  });

  it('a file in a folder nobody may enter, named on the command line', async () => {
    const dir = sharedDir({ 'locked/pod.yaml': PRIVILEGED_POD, 'bad.yaml': PRIVILEGED_POD });
    chmodSync(path.join(dir, 'locked'), 0o700);
    const run = await runAsNobody(['--rule', 'privileged', 'locked/pod.yaml', 'bad.yaml'], dir);
    expect(run.stdout).toMatch(
      /^locked\/pod\.yaml\n\s+1:1\s+error\s+cannot read the file: permission denied\s+file-error$/m,
    );
    expect(run.stdout).toMatch(/^bad\.yaml\n\s+Pod\/p\n\s+\d+:\d+\s+error\s+.*\s+PrivilegedTrue$/m);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(2);
    // The same through a config file with ignore patterns, which expands the inputs first.
    const configured = sharedDir({ 'locked/pod.yaml': PRIVILEGED_POD, '.kubemend.yaml': 'ignore:\n  - vendor/\n' });
    chmodSync(path.join(configured, 'locked'), 0o700);
    const withConfig = await runAsNobody(['locked/pod.yaml'], configured);
    expect(withConfig.stdout).toMatch(/cannot read the file: permission denied/);
    expect(withConfig.status).toBe(2);
  });
});

describe('--fix and files nobody may not change', () => {
  it('refuses a read-only file of its own', async () => {
    const dir = sharedDir({ 'pod.yaml': PRIVILEGED_POD }, 0o777);
    chownSync(path.join(dir, 'pod.yaml'), NOBODY, NOBODY);
    chmodSync(path.join(dir, 'pod.yaml'), 0o444);
    const run = await runAsNobody(['--fix', '--rule', 'privileged', 'pod.yaml'], dir);
    expect(run.stderr).toMatch(
      /^kubemend: pod\.yaml: cannot write the fixed manifest to pod\.yaml: the file is read-only, mode 0444: .*; the file is unchanged$/m,
    );
    expect(run.status).toBe(2);
    expect(read(dir, 'pod.yaml')).toBe(PRIVILEGED_POD);
  });

  it("refuses someone else's file it may not write, although the folder would let it replace the file", async () => {
    const dir = sharedDir({ 'pod.yaml': PRIVILEGED_POD }, 0o777);
    const run = await runAsNobody(['--fix', '--rule', 'privileged', 'pod.yaml'], dir);
    expect(run.stderr).toBe(
      'kubemend: pod.yaml: cannot write the fixed manifest to pod.yaml: you may not write this ' +
        'file, owner 0, mode 0644: run kubemend as a user who may; the file is unchanged\n',
    );
    expect(run.status).toBe(2);
    expect(read(dir, 'pod.yaml')).toBe(PRIVILEGED_POD);
    expect(statSync(path.join(dir, 'pod.yaml')).uid).toBe(0);
  });

  it('leaves alone a file it may write but whose owner it cannot keep, and leaves no temporary file', async () => {
    const dir = sharedDir({ 'pod.yaml': PRIVILEGED_POD }, 0o777);
    chmodSync(path.join(dir, 'pod.yaml'), 0o666);
    const run = await runAsNobody(['--fix', '--rule', 'privileged', 'pod.yaml'], dir);
    expect(run.stderr).toBe(
      'kubemend: pod.yaml: cannot write the fixed manifest to pod.yaml: the fixed file could not ' +
        "keep the owner and group 0:0, and would have become yours: run kubemend as the file's " +
        'owner or as root; the file is unchanged\n',
    );
    expect(run.status).toBe(2);
    expect(read(dir, 'pod.yaml')).toBe(PRIVILEGED_POD);
    expect(statSync(path.join(dir, 'pod.yaml'))).toMatchObject({ uid: 0, gid: 0 });
    expect(readdirSync(dir)).toEqual(['pod.yaml']);
  });

  it("fixes its own writable file, and root's fix keeps a user's file that user's", async () => {
    const dir = sharedDir({ 'mine.yaml': PRIVILEGED_POD, 'theirs.yaml': PRIVILEGED_POD }, 0o777);
    for (const name of ['mine.yaml', 'theirs.yaml']) {
      chownSync(path.join(dir, name), NOBODY, NOBODY);
      chmodSync(path.join(dir, name), 0o640);
    }
    expect((await runAsNobody(['--fix', '--rule', 'privileged', 'mine.yaml'], dir)).status).toBe(0);
    expect(read(dir, 'mine.yaml')).toBe(FIXED_POD);
    expect((await runCli(['--fix', '--rule', 'privileged', 'theirs.yaml'], { cwd: dir })).status).toBe(0);
    expect(read(dir, 'theirs.yaml')).toBe(FIXED_POD);
    for (const name of ['mine.yaml', 'theirs.yaml']) {
      const stats = statSync(path.join(dir, name));
      expect({ uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o7777 }, name).toEqual({
        uid: NOBODY,
        gid: NOBODY,
        mode: 0o640,
      });
    }
  });
});
