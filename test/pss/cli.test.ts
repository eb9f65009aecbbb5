import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PSS_RULES, PSS_VERSIONS } from '../../src/index.js';
import { fixtureDir, runCli, runJson } from '../support/cli.js';

/** Passes restricted, except that container "b" sets runAsNonRoot: false (line 19). */
const ONE_VIOLATION = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: a
      image: registry.example/a:1.0
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
    - name: b
      image: registry.example/b:1.0
      securityContext:
        runAsNonRoot: false
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
`;

/** Breaks every control of the standard, several of them more than once. */
const EVERYTHING_WRONG = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy
  namespace: shop
spec:
  selector: {matchLabels: {app: legacy}}
  template:
    metadata:
      labels: {app: legacy}
      annotations:
        container.apparmor.security.beta.kubernetes.io/app: unconfined
    spec:
      hostPID: true
      hostIPC: true
      securityContext:
        runAsUser: 0
        seLinuxOptions: {type: spc_t, user: system_u, role: system_r}
        sysctls:
          - name: kernel.msgmax
            value: "65536"
        windowsOptions: {hostProcess: true}
      volumes:
        - name: logs
          hostPath: {path: /var/log}
        - name: share
          nfs: {server: nfs.example, path: /exports}
      containers:
        - name: app
          image: registry.example/legacy:3
          ports:
            - containerPort: 8080
              hostPort: 8080
          readinessProbe:
            tcpSocket: {host: 10.0.0.5, port: 8080}
          securityContext:
            privileged: true
            allowPrivilegeEscalation: true
            runAsNonRoot: false
            procMount: Unmasked
            appArmorProfile: {type: Unconfined}
            seccompProfile: {type: Unconfined, localhostProfile: x.json}
            capabilities:
              add: [SYS_ADMIN, NET_BIND_SERVICE]
      initContainers:
        - name: setup
          image: registry.example/setup:1
          securityContext:
            runAsUser: 0
            seLinuxOptions: {type: container_t, level: "s0:c1,c2"}
`;

const UNFIXABLE = [
  'PssCapabilityAdded',
  'PssHostPort',
  'PssHostProcess',
  'PssProbeOrLifecycleHost',
  'PssRestrictedVolume',
  'PssSysctl',
];

describe('acceptance 2: one violation under --profile pss-restricted --pss-version v1.30', () => {
  it('gives exactly one error finding, pss/runAsNonRoot, at the offending line, naming level, field and allowed values', async () => {
    const dir = fixtureDir({ 'pod.yaml': ONE_VIOLATION });
    const { status, report } = await runJson(['--profile', 'pss-restricted', '--pss-version', 'v1.30', 'pod.yaml'], {
      cwd: dir,
    });
    expect(status).toBe(1);
    const findings = report.results.flatMap((result) => result.findings);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'pss/runAsNonRoot',
      code: 'PssRunAsNonRoot',
      severity: 'error',
      container: 'b',
      line: 19,
      column: 23,
      fixable: true,
    });
    expect(findings[0]!.details).toContain('restricted:v1.30');
    expect(findings[0]!.details).toContain('securityContext.runAsNonRoot');
    expect(findings[0]!.details).toContain('true, or unset in a container when the pod sets it to true');
  });

  it('passes baseline, which has no runAsNonRoot control', async () => {
    const dir = fixtureDir({ 'pod.yaml': ONE_VIOLATION });
    const run = await runCli(['--profile', 'pss-baseline', '--pss-version', 'v1.30', 'pod.yaml'], { cwd: dir });
    expect(run).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });
});

describe('acceptance 3: --profile pss-restricted --fix', () => {
  it('fixes every fixable control; what remains is unfixable and says how to fix it by hand', async () => {
    const dir = fixtureDir({ 'deploy.yaml': EVERYTHING_WRONG });
    const before = (await runJson(['--profile', 'pss-restricted', 'deploy.yaml'], { cwd: dir })).report.results[0]!
      .findings;
    expect(new Set(before.map((finding) => finding.rule))).toEqual(
      new Set(PSS_RULES.map((rule) => rule.meta.id).filter((id) => id !== 'pss/hostPathVolumes')),
    );

    const fix = await runCli(['--profile', 'pss-restricted', '--fix', 'deploy.yaml'], { cwd: dir });
    expect(fix.stderr).toMatch(/^kubemend: fixed \d+ problems in 1 file\n$/);
    expect(fix.status).toBe(1);

    const { status, report } = await runJson(['--profile', 'pss-restricted', 'deploy.yaml'], { cwd: dir });
    expect(status).toBe(1);
    const after = report.results[0]!.findings;
    expect(new Set(after.map((finding) => finding.code))).toEqual(new Set(UNFIXABLE));
    for (const finding of after) {
      expect(finding.fixable).toBe(false);
      expect(finding.details).toContain('Fix by hand: ');
    }
    expect(after.filter((finding) => finding.code === 'PssCapabilityAdded').map((finding) => finding.details)).toEqual([
      expect.stringContaining('adds the capability SYS_ADMIN'),
    ]);

    const fixed = readFileSync(path.join(dir, 'deploy.yaml'), 'utf8');
    // The hand-written parts outside the fixes are as they were.
    expect(fixed).toContain('      annotations: {}\n');
    expect(fixed).toContain('            seLinuxOptions: {type: container_t, level: "s0:c1,c2"}\n');
  });

  it('leaves a manifest that passes restricted untouched', async () => {
    const secure = ONE_VIOLATION.replace('        runAsNonRoot: false\n', '');
    const dir = fixtureDir({ 'pod.yaml': secure });
    expect(await runCli(['--profile', 'pss-restricted', '--fix', 'pod.yaml'], { cwd: dir })).toMatchObject({
      status: 0,
      stderr: '',
    });
    expect(readFileSync(path.join(dir, 'pod.yaml'), 'utf8')).toBe(secure);
  });
});

describe('choosing the profile', () => {
  it("runs kubeaudit's rules by default and the pss rules only with a pss profile", async () => {
    const dir = fixtureDir({ 'pod.yaml': ONE_VIOLATION });
    const rules = async (args: string[]) =>
      new Set(
        (await runJson([...args, 'pod.yaml'], { cwd: dir })).report.results[0]!.findings.map((finding) =>
          finding.rule.startsWith('pss/'),
        ),
      );
    expect(await rules([])).toEqual(new Set([false]));
    expect(await rules(['--profile', 'kubeaudit'])).toEqual(new Set([false]));
    expect(await rules(['--profile', 'pss-restricted'])).toEqual(new Set([true]));
  });

  it('reads profile and pssVersion from .kubemend.yaml; the command line wins', async () => {
    const sysctl = ONE_VIOLATION.replace('        runAsNonRoot: false\n', '').replace(
      '    runAsNonRoot: true\n',
      '    runAsNonRoot: true\n    sysctls:\n      - {name: net.ipv4.tcp_rmem, value: "4096 87380 6291456"}\n',
    );
    const dir = fixtureDir({ 'pod.yaml': sysctl, '.kubemend.yaml': 'profile: pss-baseline\npssVersion: v1.31\n' });
    const codes = async (args: string[]) =>
      (await runJson([...args, 'pod.yaml'], { cwd: dir })).report.results[0]!.findings.map(
        (finding) => `${finding.code} ${finding.details.match(/(baseline|restricted):v1\.\d+/)![0]}`,
      );
    expect(await codes([])).toEqual(['PssSysctl baseline:v1.31']);
    expect(await codes(['--pss-version', 'v1.32'])).toEqual([]);
    expect(await codes(['--profile', 'pss-restricted'])).toEqual(['PssSysctl restricted:v1.31']);
    expect(
      (await runJson(['--profile', 'kubeaudit', 'pod.yaml'], { cwd: dir })).report.results[0]!.findings.every(
        (finding) => !finding.rule.startsWith('pss/'),
      ),
    ).toBe(true);
  });

  it('turns controls off, or changes their severity, under rules in .kubemend.yaml', async () => {
    const dir = fixtureDir({
      'pod.yaml': EVERYTHING_WRONG,
      '.kubemend.yaml': 'profile: pss-restricted\nrules:\n  pss/sysctls: off\n  pss/hostPorts: warning\n',
    });
    const findings = (await runJson(['pod.yaml'], { cwd: dir })).report.results[0]!.findings;
    expect(findings.some((finding) => finding.rule === 'pss/sysctls')).toBe(false);
    expect(findings.filter((finding) => finding.rule === 'pss/hostPorts').map((finding) => finding.severity)).toEqual([
      'warning',
    ]);
    const named = await runJson(['--rule', 'pss/sysctls', 'pod.yaml'], { cwd: dir });
    expect(named.stderr).toBe(
      'kubemend: warning: --rule pss/sysctls: the config turns this rule off, so it does not run\n',
    );
  });

  it('rejects an unknown profile or version, in the config file and on the command line', async () => {
    const dir = fixtureDir({ 'pod.yaml': ONE_VIOLATION, 'bad.yaml': 'pssVersion: v1.99\n' });
    const profile = await runCli(['--profile', 'strict', 'pod.yaml'], { cwd: dir });
    expect(profile.status).toBe(2);
    expect(profile.stderr).toContain(
      '--profile must be one of kubeaudit, pss-baseline, pss-restricted, auto; not "strict"',
    );
    const version = await runCli(['--pss-version', '1.30', 'pod.yaml'], { cwd: dir });
    expect(version.status).toBe(2);
    expect(version.stderr).toBe(
      'kubemend: --pss-version needs latest or v1.0 to v1.37 (latest is v1.37), got "1.30"\n',
    );
    const config = await runCli(['-c', 'bad.yaml', 'pod.yaml'], { cwd: dir });
    expect(config.status).toBe(2);
    expect(config.stderr).toBe(
      `kubemend: bad.yaml:1:13: pssVersion: must be ${PSS_VERSIONS.slice(0, -1).join(', ')} or v1.37, not the string "v1.99"\n`,
    );
  });

  it("--rule narrows the profile's rules, and says why a rule outside the profile does not run", async () => {
    const dir = fixtureDir({ 'pod.yaml': EVERYTHING_WRONG });
    const { report } = await runJson(
      ['--profile', 'pss-restricted', '--rule', 'pss/privileged', '--rule', 'pss/sysctls', 'pod.yaml'],
      { cwd: dir },
    );
    expect(new Set(report.results[0]!.findings.map((finding) => finding.rule))).toEqual(
      new Set(['pss/privileged', 'pss/sysctls']),
    );
    const outside = await runJson(['--profile', 'pss-baseline', '--rule', 'pss/runAsUser', 'pod.yaml'], { cwd: dir });
    expect(outside.report.results[0]!.findings).toEqual([]);
    expect(outside.stderr).toBe(
      'kubemend: warning: --rule pss/runAsUser: the pss-baseline profile does not include it (choose the profile with --profile), so it does not run\n',
    );
  });

  it('pss-baseline runs the baseline controls only', async () => {
    const dir = fixtureDir({ 'pod.yaml': EVERYTHING_WRONG });
    const rules = new Set(
      (await runJson(['--profile', 'pss-baseline', 'pod.yaml'], { cwd: dir })).report.results[0]!.findings.map(
        (finding) => finding.rule,
      ),
    );
    expect(rules).toEqual(
      new Set([
        'pss/windowsHostProcess',
        'pss/hostNamespaces',
        'pss/privileged',
        'pss/capabilities',
        'pss/hostPathVolumes',
        'pss/hostPorts',
        'pss/appArmorProfile',
        'pss/seLinuxOptions',
        'pss/procMount',
        'pss/seccompProfile',
        'pss/sysctls',
        'pss/hostProbesAndHostLifecycle',
      ]),
    );
  });

  it("writes SARIF with each control's README as its help", async () => {
    const dir = fixtureDir({ 'pod.yaml': ONE_VIOLATION });
    const run = await runCli(['--profile', 'pss-restricted', '--format', 'sarif', 'pod.yaml'], { cwd: dir });
    expect(run.stderr).toBe('');
    const rules = (
      JSON.parse(run.stdout) as {
        runs: { tool: { driver: { rules: { id: string; helpUri: string; help: { text: string } }[] } } }[];
      }
    ).runs[0]!.tool.driver.rules;
    const runAsNonRoot = rules.find((rule) => rule.id === 'PssRunAsNonRoot')!;
    expect(runAsNonRoot.helpUri).toMatch(/\/rules\/pss\/runAsNonRoot\/README\.md$/);
    expect(runAsNonRoot.help.text).toContain('https://kubernetes.io/docs/concepts/security/pod-security-standards/');
  });
});

describe('--fix-only with the Pod Security Standards rules', () => {
  const PRIVILEGED = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostNetwork: true
  containers:
    - name: a
      image: registry.example/a:1.0
      securityContext:
        privileged: true
`;

  it.each(['pss/privileged', 'PssPrivileged'])(
    'fixes only what %s names under --profile pss-baseline',
    async (only) => {
      const dir = fixtureDir({ 'p.yaml': PRIVILEGED });
      const { status, stdout, stderr } = await runCli(
        ['--profile', 'pss-baseline', '--diff', '--fix-only', only, 'p.yaml'],
        { cwd: dir },
      );
      expect(stderr).not.toContain('--fix-only');
      expect(status).toBe(1); // hostNetwork remains, and has no fix
      expect(stdout).toContain('-        privileged: true\n+        privileged: false\n');
      expect(stdout).not.toContain('hostNetwork');
    },
  );
});
