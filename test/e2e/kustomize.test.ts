import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli, runJson, type JsonReport } from '../support/cli.js';
import { toolPath, toolsBinDir } from '../support/tools.js';
import { LAYOUT, snapshot } from '../support/kustomize-layout.js';

type Placed = { file: string; line: number; column: number; code: string; mapped: boolean | undefined };

function placed(report: JsonReport): Placed[] {
  return report.results.flatMap((result) =>
    result.findings.map((finding) => {
      const { line, column, code } = finding;
      return { file: result.file, line, column, code, mapped: (finding as { mapped?: boolean }).mapped };
    }),
  );
}

describe('--kustomize: rendered by the real kustomize, findings in the source files', () => {
  const kustomize = toolPath('kustomize');

  it('reports each finding at the file and line its value comes from', async () => {
    const dir = fixtureDir(LAYOUT);
    const { report, status } = await runJson(['--kustomize', 'overlay', '--kustomize-command', kustomize], {
      cwd: dir,
    });
    expect(status).toBe(1);
    const findings = placed(report);
    // Values set by patches: at the patch's line (strategic merge, JSON 6902, the component's patch).
    expect(findings).toContainEqual({
      file: 'overlay/privileged.yaml',
      line: 11,
      column: 25,
      code: 'PrivilegedTrue',
      mapped: true,
    });
    expect(findings).toContainEqual({
      file: 'overlay/escalation.json6902.yaml',
      line: 3,
      column: 10,
      code: 'AllowPrivilegeEscalationTrue',
      mapped: true,
    });
    expect(findings).toContainEqual({
      file: 'components/probe/hostpid.yaml',
      line: 8,
      column: 16,
      code: 'NamespaceHostPIDTrue',
      mapped: true,
    });
    // Missing fields: at the container or the pod in the resource's own file, never in a patch.
    expect(findings).toContainEqual({
      file: 'base/deployment.yaml',
      line: 15,
      column: 11,
      code: 'ReadOnlyRootFilesystemNil',
      mapped: true,
    });
    expect(findings).toContainEqual({
      file: 'base/deployment.yaml',
      line: 13,
      column: 11,
      code: 'LimitsNotSet',
      mapped: true,
    });
    expect(findings).toContainEqual({
      file: 'base/deployment.yaml',
      line: 11,
      column: 5,
      code: 'SeccompProfileMissing',
      mapped: true,
    });
    expect(new Set(findings.map((finding) => finding.file))).toEqual(
      new Set([
        'base/deployment.yaml',
        'overlay/privileged.yaml',
        'overlay/escalation.json6902.yaml',
        'components/probe/hostpid.yaml',
      ]),
    );
    // The resource is named as rendered: prefix and namespace applied.
    for (const result of report.results)
      for (const finding of result.findings)
        expect(finding.resource).toMatchObject({ name: 'prod-api', namespace: 'shop' });
  });

  it("writes nothing into the user's folders", async () => {
    const dir = fixtureDir(LAYOUT);
    const before = snapshot(dir);
    await runJson(['--kustomize', 'overlay', '--kustomize-command', kustomize], { cwd: dir });
    expect(snapshot(dir)).toEqual(before);
  });

  it('a value from an inline patch is reported at the kustomization file, mapped: false', async () => {
    const dir = fixtureDir(LAYOUT);
    const { report } = await runJson(['--kustomize', 'inline', '--kustomize-command', kustomize], { cwd: dir });
    expect(placed(report)).toContainEqual({
      file: 'inline/kustomization.yaml',
      line: 1,
      column: 1,
      code: 'NamespaceHostNetworkTrue',
      mapped: false,
    });
  });

  it('finds kustomize on PATH', async () => {
    const dir = fixtureDir(LAYOUT);
    const env = { PATH: `${toolsBinDir()}${path.delimiter}${process.env.PATH ?? ''}` };
    const { report } = await runJson(['--kustomize', 'overlay'], { cwd: dir, env });
    expect(placed(report)).toContainEqual({
      file: 'overlay/privileged.yaml',
      line: 11,
      column: 25,
      code: 'PrivilegedTrue',
      mapped: true,
    });
  });

  it('renders the kustomizations .kubemend.yaml lists, beside the named files', async () => {
    const dir = fixtureDir({ ...LAYOUT, '.kubemend.yaml': 'kustomize: [overlay]\n' });
    const { report } = await runJson(['--kustomize-command', kustomize], { cwd: dir });
    expect(placed(report)).toContainEqual({
      file: 'overlay/privileged.yaml',
      line: 11,
      column: 25,
      code: 'PrivilegedTrue',
      mapped: true,
    });
  });

  it('without an engine: exit 2 and one line saying what to install', async () => {
    const dir = fixtureDir(LAYOUT);
    const run = await runCli(['--kustomize', 'overlay', '--kustomize-command', path.join(dir, 'no-such-kustomize')], {
      cwd: dir,
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/install kustomize >= 4\.3/);
  });

  it('an engine too old for origin annotations: exit 2 and what to install', async () => {
    const dir = fixtureDir({
      ...LAYOUT,
      'old-kustomize': '#!/bin/sh\necho "{Version:kustomize/v2.0.3 GitCommit:a6f6555}"\n',
    });
    const { chmodSync } = await import('node:fs');
    chmodSync(path.join(dir, 'old-kustomize'), 0o755);
    const run = await runCli(['--kustomize', 'overlay', '--kustomize-command', path.join(dir, 'old-kustomize')], {
      cwd: dir,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/kustomize 2\.0, too old for origin annotations: install kustomize >= 4\.3/);
  });
});
