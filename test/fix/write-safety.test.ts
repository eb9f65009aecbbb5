import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli } from '../support/cli.js';
import { PRIVILEGED_POD } from '../support/manifests.js';

/*
 * What `--fix` and `autofix` write, and what they refuse to (issue 11, defect 4): nothing for a broken input.
 */

const BROKEN = `${PRIVILEGED_POD}---\nmetadata: [\n`;
const read = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');

describe('kubemend autofix on input it cannot read', () => {
  it('prints the error as `all -f` does, exits 1 as kubeaudit does, and writes nothing anywhere', async () => {
    const dir = fixtureDir({ 'broken.yaml': BROKEN, 'binary.yaml': Buffer.from([0x61, 0x00, 0x62]) });
    const expected = (await runCli(['all', '-f', 'broken.yaml', '--no-color'], { cwd: dir })).stdout.split('\n')[0]!;
    expect(expected).toMatch(/^Error: broken\.yaml:13:1: invalid YAML: /);

    const inPlace = await runCli(['autofix', '-f', 'broken.yaml', '--no-color'], { cwd: dir });
    expect(inPlace.stderr).toContain(`${expected}\n`);
    expect(inPlace.stdout).toBe('');
    expect(inPlace.status).toBe(1);
    expect(read(dir, 'broken.yaml')).toBe(BROKEN);

    const toFile = await runCli(['autofix', '-f', 'broken.yaml', '-o', 'out.yaml', '--no-color'], { cwd: dir });
    expect(toFile.stderr).toContain(`${expected}\n`);
    expect(toFile.status).toBe(1);
    const toStdout = await runCli(['autofix', '-f', 'broken.yaml', '-o', '-'], { cwd: dir });
    expect(toStdout.stdout).toBe('');
    expect(toStdout.status).toBe(1);

    const binary = await runCli(['autofix', '-f', 'binary.yaml', '-o', 'out.yaml', '--no-color'], { cwd: dir });
    expect(binary.stderr).toMatch(/^Error: binary\.yaml:1:2: this is a binary file/m);
    expect(binary.status).toBe(1);
    expect(existsSync(path.join(dir, 'out.yaml'))).toBe(false);
  });

  it('--fix on broken stdin prints no manifest; the report goes to stderr', async () => {
    const run = await runCli(['--fix', '--rule', 'privileged', '-'], { input: BROKEN });
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/<stdin>\n\s+13:1\s+error\s+invalid YAML/);
    expect(run.status).toBe(2);
  });
});
