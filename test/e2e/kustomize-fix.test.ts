import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, fixtureDir, runCli, runJson, type JsonReport } from '../support/cli.js';
import { toolPath } from '../support/tools.js';
import { LAYOUT, snapshot } from '../support/kustomize-layout.js';

const kustomize = toolPath('kustomize');

function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8');
}

function codes(report: JsonReport): string[] {
  return report.results.flatMap((result) => result.findings.map((finding) => finding.code)).sort();
}

function findingOf(report: JsonReport, code: string) {
  for (const result of report.results)
    for (const finding of result.findings) if (finding.code === code) return { file: result.file, ...finding };
  return undefined;
}

const FIXED_CODES = [
  'AllowPrivilegeEscalationTrue',
  'AppArmorAnnotationMissing',
  'AutomountServiceAccountTokenTrueAndDefaultSA',
  'CapabilityOrSecurityContextMissing',
  'NamespaceHostPIDTrue',
  'PrivilegedTrue',
  'ReadOnlyRootFilesystemNil',
  'SeccompProfileMissing',
];

describe('--fix --kustomize: fixes placed in the source files, verified by a render', () => {
  it('changes the patch for a value it sets and the base for a missing field, keeping comments', async () => {
    const dir = fixtureDir(LAYOUT);
    const before = await runJson(['--kustomize', 'overlay', '--kustomize-command', kustomize], { cwd: dir });
    expect(codes(before.report)).toEqual([...FIXED_CODES, 'LimitsNotSet'].sort());

    const run = await runCli(['--fix', '--kustomize', 'overlay', '--kustomize-command', kustomize], { cwd: dir });
    expect(run.stderr).toContain('fixed 8 problems in 4 files');
    expect(run.status).toBe(0);
    // Values set by patches are changed in the patches (strategic merge, JSON 6902, the component's).
    expect(read(dir, 'overlay/privileged.yaml')).toBe(
      LAYOUT['overlay/privileged.yaml'].replace(
        'privileged: true # the debugger needs it',
        'privileged: false # the debugger needs it',
      ),
    );
    expect(read(dir, 'overlay/escalation.json6902.yaml')).toBe(
      LAYOUT['overlay/escalation.json6902.yaml'].replace('value: true', 'value: false'),
    );
    expect(read(dir, 'components/probe/hostpid.yaml')).toBe(
      LAYOUT['components/probe/hostpid.yaml'].replace('hostPID: true', 'hostPID: false'),
    );
    // Missing fields are added where the resource is defined; its comment stays.
    const base = read(dir, 'base/deployment.yaml');
    expect(base).toContain('image: shop/api:1.0 # pinned');
    expect(base).toMatch(/readOnlyRootFilesystem: true/);
    expect(base).toMatch(/seccompProfile:\n\s+type: RuntimeDefault/);
    // The kustomizations and the patches that set nothing wrong are untouched.
    for (const file of ['overlay/kustomization.yaml', 'base/kustomization.yaml', 'components/probe/kustomization.yaml'])
      expect(read(dir, file)).toBe(LAYOUT[file as keyof typeof LAYOUT]);

    const after = await runJson(['--kustomize', 'overlay', '--kustomize-command', kustomize], { cwd: dir });
    expect(codes(after.report)).toEqual(['LimitsNotSet']);
  });

  it('--diff --kustomize shows the same edits and writes nothing', async () => {
    const dir = fixtureDir(LAYOUT);
    const untouched = snapshot(dir);
    const run = await runCli(['--diff', '--kustomize', 'overlay', '--kustomize-command', kustomize], { cwd: dir });
    expect(snapshot(dir)).toEqual(untouched);
    expect(run.stdout).toContain('--- overlay/privileged.yaml');
    expect(run.stdout).toContain('+            privileged: false # the debugger needs it');
    expect(run.stdout).toContain('+  value: false');
    expect(run.stdout).toContain('+      hostPID: false');
    expect(run.stdout).toContain('+            readOnlyRootFilesystem: true');

    // The same edits as --fix makes.
    const fixedDir = fixtureDir(LAYOUT);
    await runCli(['--fix', '--kustomize', 'overlay', '--kustomize-command', kustomize], { cwd: fixedDir });
    const { createTwoFilesPatch } = await import('diff');
    for (const file of ['base/deployment.yaml', 'overlay/privileged.yaml', 'components/probe/hostpid.yaml'])
      expect(run.stdout).toContain(
        createTwoFilesPatch(file, file, LAYOUT[file as keyof typeof LAYOUT], read(fixedDir, file)),
      );
  });

  it('a value an inline patch sets is not fixed: fixable false, and the reason', async () => {
    const dir = fixtureDir(LAYOUT);
    const untouchedKustomization = read(dir, 'inline/kustomization.yaml');
    const { report } = await runJson(['--kustomize', 'inline', '--kustomize-command', kustomize], { cwd: dir });
    const finding = findingOf(report, 'NamespaceHostNetworkTrue');
    expect(finding).toMatchObject({ file: 'inline/kustomization.yaml', fixable: false, mapped: false });
    expect(finding?.message).toMatch(/\(not fixable in the sources\)$/);
    expect(finding?.details).toMatch(/Not fixable automatically in the sources: .*inline patch/);

    const fixed = await runJson(['--fix', '--kustomize', 'inline', '--kustomize-command', kustomize], { cwd: dir });
    expect(findingOf(fixed.report, 'NamespaceHostNetworkTrue')).toMatchObject({ fixable: false });
    expect(read(dir, 'inline/kustomization.yaml')).toBe(untouchedKustomization);
  });

  it('a missing field a later patch replaces the parent of is not added to the base', async () => {
    const dir = fixtureDir({
      ...LAYOUT,
      'replace/kustomization.yaml': `resources:
  - ../base
patches:
  - path: context.json6902.yaml
    target:
      kind: Deployment
      name: api
`,
      'replace/context.json6902.yaml': `- op: replace
  path: /spec/template/spec/containers/0/securityContext
  value:
    runAsNonRoot: true
`,
    });
    const { report } = await runJson(['--kustomize', 'replace', '--kustomize-command', kustomize], { cwd: dir });
    const finding = findingOf(report, 'ReadOnlyRootFilesystemNil');
    expect(finding).toMatchObject({ file: 'base/deployment.yaml', fixable: false });
    expect(finding?.details).toMatch(/replace\/context\.json6902\.yaml replaces or removes a part of/);

    await runCli(['--fix', '--kustomize', 'replace', '--kustomize-command', kustomize], { cwd: dir });
    expect(read(dir, 'base/deployment.yaml')).not.toMatch(/readOnlyRootFilesystem/);
    expect(read(dir, 'base/deployment.yaml')).toMatch(/seccompProfile/);
  });

  it('a fix the re-render shows did not work is not written, and says why', async () => {
    // The patch repeats what the base sets: deleting it from the patch leaves the base's value in the render.
    const dir = fixtureDir({
      'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'base/deployment.yaml': LAYOUT['base/deployment.yaml'].replace(
        'runAsNonRoot: true',
        'runAsNonRoot: true\n            runAsUser: 0',
      ),
      'overlay/kustomization.yaml': 'resources:\n  - ../base\npatches:\n  - path: root.yaml\n',
      'overlay/root.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          securityContext:
            runAsUser: 0 # the old image needs root
`,
    });
    const untouched = snapshot(dir);
    const args = ['--kustomize', 'overlay', '--kustomize-command', kustomize];
    const rule = ['--profile', 'pss-restricted', '--rule', 'pss/runAsUser'];
    const run = await runJson(['--fix', ...rule, ...args], { cwd: dir });
    expect(snapshot(dir)).toEqual(untouched);
    expect(run.stderr).toContain(
      'overlay/root.yaml: not fixed: rendered with its fix in the sources, the finding was still there; ' +
        'fix it by hand: PssRunAsUser at overlay/root.yaml:11',
    );
    expect(findingOf(run.report, 'PssRunAsUser')).toMatchObject({ file: 'overlay/root.yaml', fixable: false });
    expect(findingOf(run.report, 'PssRunAsUser')?.details).toMatch(/Not fixed: rendered with its fix/);
  });

  it('writes all the changed files or none: one that cannot be written leaves every file as it was', async () => {
    const dir = fixtureDir(LAYOUT);
    chmodSync(path.join(dir, 'overlay/privileged.yaml'), 0o444);
    const untouched = snapshot(dir);
    const run = await runCli(['--fix', '--kustomize', 'overlay', '--kustomize-command', kustomize], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /cannot write the fixes to overlay\/privileged\.yaml: .*read-only.*; no file was changed/,
    );
    expect(snapshot(dir)).toEqual(untouched);
  });

  it('fixes the kustomizations .kubemend.yaml lists', async () => {
    const dir = fixtureDir({ ...LAYOUT, '.kubemend.yaml': 'kustomize: [overlay]\n' });
    await runCli(['--fix', '--kustomize-command', kustomize], { cwd: dir });
    expect(read(dir, 'overlay/privileged.yaml')).toContain('privileged: false # the debugger needs it');
  });
});

describe('--kustomize without --fix: what --fix --kustomize would do', () => {
  it('findings whose fix can be placed are fixable; SARIF offers no empty fix for them', async () => {
    const dir = fixtureDir(LAYOUT);
    const { report } = await runJson(['--kustomize', 'overlay', '--kustomize-command', kustomize], { cwd: dir });
    expect(findingOf(report, 'PrivilegedTrue')).toMatchObject({ fixable: true });
    expect(findingOf(report, 'LimitsNotSet')).toMatchObject({ fixable: false });
    const sarif = await runCli(['--format', 'sarif', '--kustomize', 'overlay', '--kustomize-command', kustomize], {
      cwd: dir,
    });
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; fixes?: unknown[] }[] }[] })
      .runs[0]!.results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((result) => result.fixes !== undefined)).toEqual([]);
  });
});

describe('--fix --kustomize: what it is given', () => {
  it('--fix-only fixes only the findings of that rule or code', async () => {
    const dir = fixtureDir(LAYOUT);
    await runCli(
      ['--fix', '--fix-only', 'PrivilegedTrue', '--kustomize', 'overlay', '--kustomize-command', kustomize],
      {
        cwd: dir,
      },
    );
    expect(read(dir, 'overlay/privileged.yaml')).toContain('privileged: false # the debugger needs it');
    for (const file of ['base/deployment.yaml', 'components/probe/hostpid.yaml', 'overlay/escalation.json6902.yaml'])
      expect(read(dir, file)).toBe(LAYOUT[file as keyof typeof LAYOUT]);
  });

  it('kustomizations sharing a base are fixed together, each render then clean of the fixed findings', async () => {
    const dir = fixtureDir(LAYOUT);
    const args = ['--kustomize', 'overlay', '--kustomize', 'inline', '--kustomize-command', kustomize];
    const run = await runCli(['--fix', ...args], { cwd: dir });
    expect(run.stderr).toContain('fixed 15 problems in 4 files');
    const after = await runJson(args, { cwd: dir });
    expect(codes(after.report)).toEqual(['LimitsNotSet', 'LimitsNotSet', 'NamespaceHostNetworkTrue']);
    // Both renders asked for the same fields in the base: each is there once.
    expect(read(dir, 'base/deployment.yaml').match(/readOnlyRootFilesystem/g)).toHaveLength(1);
  });

  it('a folder that is not there: exit 2 and one line naming it', async () => {
    const dir = fixtureDir(LAYOUT);
    const run = await runCli(['--fix', '--kustomize', 'nope', '--kustomize-command', kustomize], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('kubemend: --kustomize nope: no such folder');
  });
});

describe('an interrupted --fix --kustomize', () => {
  it('leaves no temporary folder behind and no file changed', async () => {
    const dir = fixtureDir({
      ...LAYOUT,
      // Renders after a pause, so the signal falls while the copy and the render's wrapper exist.
      'slow-kustomize': [
        '#!/bin/sh',
        `if [ "$1" = version ]; then exec ${kustomize} version; fi`,
        'touch "$MARK"',
        'sleep 1',
        `exec ${kustomize} "$@"`,
        '',
      ].join('\n'),
    });
    chmodSync(path.join(dir, 'slow-kustomize'), 0o755);
    const temporary = mkdtempSync(path.join(tmpdir(), 'kubemend-tmpdir-'));
    const marks = mkdtempSync(path.join(tmpdir(), 'kubemend-marks-'));
    try {
      const untouched = snapshot(dir);
      const child = spawn(
        process.execPath,
        [BIN, '--fix', '--kustomize', 'overlay', '--kustomize-command', path.join(dir, 'slow-kustomize')],
        { cwd: dir, stdio: 'ignore', env: { ...process.env, TMPDIR: temporary, MARK: path.join(marks, 'rendering') } },
      );
      const watcher = watch(marks, () => child.kill('SIGTERM'));
      const [, endedBy] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
      watcher.close();
      expect(endedBy).toBe('SIGTERM');
      expect(readdirSync(temporary)).toEqual([]);
      expect(snapshot(dir)).toEqual(untouched);
    } finally {
      rmSync(temporary, { recursive: true, force: true });
      rmSync(marks, { recursive: true, force: true });
    }
  });
});
