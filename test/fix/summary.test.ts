import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli } from '../support/cli.js';
import { pod } from '../support/manifests.js';

const INSECURE = pod(
  '  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n',
);

describe('kubemend --fix says how much it fixed', () => {
  it('counts the problems fixed and the files written', async () => {
    const dir = fixtureDir({
      'a.yaml': INSECURE,
      'b.yaml': INSECURE,
      'c.yaml': pod('  containers:\n    - name: app\n      image: x\n'),
    });
    const run = await runCli(['--fix', '--rule', 'privileged', '--rule', 'rootfs', 'a.yaml', 'b.yaml'], { cwd: dir });
    expect(run.stderr).toBe('kubemend: fixed 4 problems in 2 files\n');
    expect(run.status).toBe(0);
  });

  it('says nothing when nothing needed fixing, and --diff (which writes nothing) has its diff to say it', async () => {
    const dir = fixtureDir({ 'a.yaml': INSECURE });
    expect((await runCli(['--fix', '--rule', 'limits', 'a.yaml'], { cwd: dir })).stderr).toBe('');
    expect((await runCli(['--diff', '--rule', 'privileged', 'a.yaml'], { cwd: dir })).stderr).toBe('');
  });

  it('with stdin, the summary goes to stderr with the report; stdout is the manifest', async () => {
    const run = await runCli(['--fix', '--rule', 'privileged', '-'], { input: INSECURE });
    expect(run.stdout).toContain('privileged: false');
    expect(run.stderr).toBe('kubemend: fixed 1 problem in 1 file\n');
  });
});
