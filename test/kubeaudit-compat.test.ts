import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli } from './support/cli.js';
import { PRIVILEGED_POD } from './support/manifests.js';

describe("kubeaudit's command line: what a pipeline written for kubeaudit passes and parses", () => {
  const dir = fixtureDir({ 'deploy.yaml': PRIVILEGED_POD });

  it('ignores --context and --kubeconfig when -f names the manifests, as kubeaudit does', async () => {
    for (const flags of [
      ['--context', 'prod'],
      ['-c', 'prod'],
      ['--kubeconfig', '/nowhere'],
    ]) {
      const run = await runCli(['all', '-f', 'deploy.yaml', ...flags, '-p', 'json'], { cwd: dir });
      expect(run.status, flags.join(' ')).toBe(2);
      expect(run.stderr, flags.join(' ')).toBe('');
      expect(run.stdout).toContain('"AuditResultName":"PrivilegedTrue"');
    }
    const cluster = await runCli(['all', '--context', 'prod'], { cwd: dir });
    expect(cluster.status).toBe(1);
    expect(cluster.stderr).toMatch(/not clusters: pass the manifests with -f/);
  });

  it('-p logrus quotes what logrus quotes: the time, and every value beyond letters, digits and -._/@^+', async () => {
    const run = await runCli(['privileged', '-f', 'deploy.yaml', '-p', 'logrus'], { cwd: dir });
    const line = run.stdout.split('\n')[0]!;
    expect(line).toMatch(
      /^time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z" level=error msg="container \\"app\\" runs privileged: /,
    );
    expect(line).toContain(' AuditResultName=PrivilegedTrue ');
    expect(line).toContain(' File=deploy.yaml ');
    expect(line).toContain(' ResourceApiVersion=v1 ');
  });
});
