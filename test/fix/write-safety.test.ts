import { chmodSync, existsSync, linkSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli } from '../support/cli.js';
import { PRIVILEGED_POD } from '../support/manifests.js';

/*
 * What `--fix` and `autofix` write, and what they refuse to (issue 11, defects 4 and 5): nothing for a broken
 * input, nothing over a read-only file, and hard links as documented. Owner, group and non-root cases:
 * test/e2e/permissions.test.ts. Interrupts: interrupt.test.ts.
 */

const FIXED_POD = PRIVILEGED_POD.replace('privileged: true', 'privileged: false');
const BROKEN = `${PRIVILEGED_POD}---\nmetadata: [\n`;
const read = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');

describe('kubemend autofix on input it cannot read', () => {
  it('prints the error as `all -f` does, exits 2, and writes nothing anywhere', async () => {
    const dir = fixtureDir({ 'broken.yaml': BROKEN, 'binary.yaml': Buffer.from([0x61, 0x00, 0x62]) });
    const expected = (await runCli(['all', '-f', 'broken.yaml', '--no-color'], { cwd: dir })).stdout.split('\n')[0]!;
    expect(expected).toMatch(/^Error: broken\.yaml:13:1: invalid YAML: /);

    const inPlace = await runCli(['autofix', '-f', 'broken.yaml', '--no-color'], { cwd: dir });
    expect(inPlace.stderr).toContain(`${expected}\n`);
    expect(inPlace.stdout).toBe('');
    expect(inPlace.status).toBe(2);
    expect(read(dir, 'broken.yaml')).toBe(BROKEN);

    const toFile = await runCli(['autofix', '-f', 'broken.yaml', '-o', 'out.yaml', '--no-color'], { cwd: dir });
    expect(toFile.stderr).toContain(`${expected}\n`);
    expect(toFile.status).toBe(2);
    const toStdout = await runCli(['autofix', '-f', 'broken.yaml', '-o', '-'], { cwd: dir });
    expect(toStdout.stdout).toBe('');
    expect(toStdout.status).toBe(2);

    const binary = await runCli(['autofix', '-f', 'binary.yaml', '-o', 'out.yaml', '--no-color'], { cwd: dir });
    expect(binary.stderr).toMatch(/^Error: binary\.yaml:1:2: this is a binary file/m);
    expect(binary.status).toBe(2);
    expect(existsSync(path.join(dir, 'out.yaml'))).toBe(false);
  });

  it('--fix on broken stdin prints no manifest; the report goes to stderr', async () => {
    const run = await runCli(['--fix', '--rule', 'privileged', '-'], { input: BROKEN });
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/<stdin>\n\s+13:1\s+error\s+invalid YAML/);
    expect(run.status).toBe(2);
  });
});

describe('--fix and write protection', () => {
  it('refuses a read-only file, as an editor would, and still fixes the others', async () => {
    const dir = fixtureDir({ 'locked.yaml': PRIVILEGED_POD, 'open.yaml': PRIVILEGED_POD });
    chmodSync(path.join(dir, 'locked.yaml'), 0o444);
    const run = await runCli(['--fix', '--rule', 'privileged', 'locked.yaml', 'open.yaml'], { cwd: dir });
    expect(run.stderr).toBe(
      'kubemend: locked.yaml: cannot write the fixed manifest to locked.yaml: the file is ' +
        'read-only, mode 0444: make it writable, e.g. chmod u+w, to let kubemend fix it; the file ' +
        'is unchanged\n' +
        'kubemend: fixed 1 problem in 1 file\n',
    );
    expect(run.status).toBe(2);
    expect(read(dir, 'locked.yaml')).toBe(PRIVILEGED_POD);
    expect(statSync(path.join(dir, 'locked.yaml')).mode & 0o777).toBe(0o444);
    expect(read(dir, 'open.yaml')).toBe(FIXED_POD);
  });

  it('a file with another hard link: this name gets the fix, the other keeps the old content, and kubemend says so', async () => {
    const dir = fixtureDir({ 'pod.yaml': PRIVILEGED_POD });
    linkSync(path.join(dir, 'pod.yaml'), path.join(dir, 'copy.yaml'));
    const run = await runCli(['--fix', '--rule', 'privileged', 'pod.yaml'], { cwd: dir });
    expect(run.stderr).toBe(
      'kubemend: warning: pod.yaml has 1 other hard link(s); they keep the old content (the fixed file replaces this name only)\n' +
        'kubemend: fixed 1 problem in 1 file\n',
    );
    expect(run.status).toBe(0);
    expect(read(dir, 'pod.yaml')).toBe(FIXED_POD);
    expect(read(dir, 'copy.yaml')).toBe(PRIVILEGED_POD);
    expect(statSync(path.join(dir, 'pod.yaml')).nlink).toBe(1);
  });
});

describe('--fix on a large file', () => {
  it('writes every character, a pair of UTF-16 units across the points where it writes in pieces too', async () => {
    // The fixed text is written 2^20 UTF-16 units at a time (src/fix/write.ts): an emoji there is one pair of them.
    const piece = 1 << 20;
    const comment = (length: number) => `# ${'a'.repeat(length - 3)}\n`;
    // Runs of emojis from just before the first and the second piece's end, one an odd number of units before it.
    const head = comment(piece - 3);
    const middle = comment(piece - 3 - 8 - 1);
    const emojis = '# 😀😀😀😀\n';
    const text = `${head}${emojis}${middle}${emojis}${PRIVILEGED_POD}`;
    expect(text.indexOf('😀')).toBe(piece - 1);
    expect(text.indexOf('😀', piece + 20) % 2).not.toBe((piece - 1) % 2);
    const dir = fixtureDir({ 'pod.yaml': text });
    expect((await runCli(['--fix', '--rule', 'privileged', 'pod.yaml'], { cwd: dir })).status).toBe(0);
    expect(read(dir, 'pod.yaml')).toBe(`${head}${emojis}${middle}${emojis}${FIXED_POD}`);
  });
});
