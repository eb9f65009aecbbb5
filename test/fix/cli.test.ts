import { chmodSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { BIN, fixtureDir, runCli, runJson, spawnProcess } from '../support/cli.js';

/*
 * Autofix from the command line, in a child process as users run it: `--fix`, `--fix-dry-run`/`--diff`,
 * `--fix-only`, stdin, kubeaudit's `autofix -f … -o …`, and how files are written.
 */

const pod = (securityContext: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n${extra}spec:\n  ` +
  `containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n${securityContext}`;

const PRIVILEGED = pod('      privileged: true # was needed by the old image\n      readOnlyRootFilesystem: true\n');
const FIXED = pod('      privileged: false # was needed by the old image\n      readOnlyRootFilesystem: true\n');

const read = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');

describe('kubemend --fix', () => {
  it('fixes in place and then reports what remains', async () => {
    const dir = fixtureDir({ 'pod.yaml': PRIVILEGED });
    const run = await runCli(['--fix', '--rule', 'privileged', '--rule', 'limits', 'pod.yaml'], { cwd: dir });
    expect(read(dir, 'pod.yaml')).toBe(FIXED);
    expect(run.stdout).toContain('LimitsNotSet');
    expect(run.stdout).not.toContain('PrivilegedTrue');
    expect(run.stderr).toBe('kubemend: fixed 1 problem in 1 file\n');
    expect(run.status).toBe(0);
  });

  it('keeps the file mode, and replaces the target of a symbolic link, not the link', async () => {
    const dir = fixtureDir({ 'pod.yaml': PRIVILEGED });
    chmodSync(path.join(dir, 'pod.yaml'), 0o640);
    symlinkSync('pod.yaml', path.join(dir, 'link.yaml'));
    expect((await runCli(['--fix', '--rule', 'privileged', 'link.yaml'], { cwd: dir })).status).toBe(0);
    expect(read(dir, 'pod.yaml')).toBe(FIXED);
    expect(statSync(path.join(dir, 'pod.yaml')).mode & 0o777).toBe(0o640);
    expect(lstatSync(path.join(dir, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['link.yaml', 'pod.yaml']);
  });

  it('--fix-dry-run and --diff print a unified diff and write nothing; the report goes to stderr', async () => {
    for (const flag of ['--fix-dry-run', '--diff']) {
      const dir = fixtureDir({ 'pod.yaml': PRIVILEGED });
      const run = await runCli([flag, '--rule', 'privileged', 'pod.yaml'], { cwd: dir });
      expect(read(dir, 'pod.yaml'), flag).toBe(PRIVILEGED);
      expect(run.stdout, flag).toMatch(/^--- pod\.yaml\n\+\+\+ pod\.yaml\n@@ -7,6 \+7,6 @@\n/m);
      expect(run.stdout, flag).toContain(
        '\n-      privileged: true # was needed by the old image\n+      privileged: false # was needed by the old image\n',
      );
      expect(
        run.stdout.split('\n').filter((line) => /^[-+][^-+]/.test(line)),
        flag,
      ).toHaveLength(2);
      expect(run.stderr, flag).toBe('');
    }
  });

  it('--fix-only fixes only the named rules or codes', async () => {
    const text = pod('      privileged: true\n');
    const dir = fixtureDir({ 'a.yaml': text, 'b.yaml': text });
    const byCode = await runJson(
      ['--fix', '--fix-only', 'PrivilegedTrue', '--rule', 'privileged', '--rule', 'rootfs', 'a.yaml'],
      { cwd: dir },
    );
    expect(read(dir, 'a.yaml')).toBe(pod('      privileged: false\n'));
    expect(byCode.report.results[0]!.findings.map((f) => f.code)).toEqual(['ReadOnlyRootFilesystemNil']);
    await runCli(['--fix', '--fix-only', 'rootfs', '--rule', 'privileged', '--rule', 'rootfs', 'b.yaml'], { cwd: dir });
    expect(read(dir, 'b.yaml')).toBe(pod('      privileged: true\n      readOnlyRootFilesystem: true\n'));
    const unknown = await runCli(['--fix', '--fix-only', 'Privileged', 'b.yaml'], { cwd: dir });
    expect(unknown.stderr).toMatch(/^kubemend: --fix-only Privileged: no rule or finding code has this name/);
    expect(unknown.status).toBe(2);
  });

  it('reads stdin and writes the fixed manifest to stdout, the report to stderr', async () => {
    const run = await runCli(['--fix', '--rule', 'privileged', '--rule', 'limits', '-'], { input: PRIVILEGED });
    expect(run.stdout).toBe(FIXED);
    expect(run.stderr).toContain('LimitsNotSet');
    expect(run.stderr).not.toContain('PrivilegedTrue');
  });

  it('leaves a Helm template and a file with invalid YAML untouched, and says why', async () => {
    const helm = pod('      privileged: true\n').replace('name: web', 'name: {{ .Values.name }}');
    const broken = `${PRIVILEGED}---\nmetadata: [\n`;
    const dir = fixtureDir({ 'helm.yaml': helm, 'broken.yaml': broken });
    const run = await runCli(['--fix', 'helm.yaml', 'broken.yaml'], { cwd: dir });
    expect(read(dir, 'helm.yaml')).toBe(helm);
    expect(read(dir, 'broken.yaml')).toBe(broken);
    expect(run.stderr).toContain('kubemend: broken.yaml: not fixed: the file has errors (invalid YAML');
    expect(run.status).toBe(2);
  });

  it('a write that fails half-way leaves the original intact, names the file and exits 2', async () => {
    // A file size limit makes the temporary file's write fail part-way (EFBIG), as a full disk would.
    const big = pod('      privileged: true\n', `  annotations:\n    note: "${'x'.repeat(20_000)}"\n`);
    const dir = fixtureDir({ 'big.yaml': big });
    const args = [
      '-c',
      'ulimit -f 8 && exec "$0" "$@"',
      process.execPath,
      BIN,
      '--fix',
      '--rule',
      'privileged',
      'big.yaml',
    ];
    const run = await spawnProcess('sh', args, { cwd: dir, env: { NO_COLOR: '1' } });
    expect(run.stderr).toMatch(
      /^kubemend: big\.yaml: cannot write the fixed manifest to big\.yaml: the file would be larger than the system allows \(EFBIG\); the file is unchanged$/m,
    );
    expect(run.status).toBe(2);
    expect(read(dir, 'big.yaml')).toBe(big);
    expect(readdirSync(dir)).toEqual(['big.yaml']);
  });
});

describe('fixes across files', () => {
  it('netpols appends the default-deny NetworkPolicy to the file of its Namespace', async () => {
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
    const dir = fixtureDir({ 'namespace.yaml': namespace, 'pod.yaml': FIXED });
    expect((await runCli(['--fix', '--rule', 'netpols', 'namespace.yaml', 'pod.yaml'], { cwd: dir })).status).toBe(0);
    expect(read(dir, 'pod.yaml')).toBe(FIXED);
    const fixed = read(dir, 'namespace.yaml');
    expect(fixed.startsWith(`${namespace}---\n`)).toBe(true);
    const policy = parseAllDocuments(fixed)[1]!.toJS() as {
      kind: string;
      metadata: { namespace: string };
      spec: { podSelector: unknown; policyTypes: string[] };
    };
    expect(policy).toMatchObject({ kind: 'NetworkPolicy', metadata: { namespace: 'shop' }, spec: { podSelector: {} } });
    expect(policy.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    expect((await runCli(['--fix', '--rule', 'netpols', 'namespace.yaml', 'pod.yaml'], { cwd: dir })).stdout).toBe('');
    expect(read(dir, 'namespace.yaml')).toBe(fixed);
  });

  it("asat turns the token off on the namespace's default ServiceAccount in another file", async () => {
    const account = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\n';
    const withToken = FIXED.replace('spec:\n', 'spec:\n  automountServiceAccountToken: true\n');
    const dir = fixtureDir({ 'sa.yaml': account, 'pod.yaml': withToken });
    expect((await runCli(['--fix', '--rule', 'asat', 'pod.yaml', 'sa.yaml'], { cwd: dir })).status).toBe(0);
    expect(read(dir, 'sa.yaml')).toBe(`${account}automountServiceAccountToken: false\n`);
    expect(read(dir, 'pod.yaml')).toBe(FIXED);
  });
});

describe('kubemend autofix (kubeaudit compatible)', () => {
  it('-o FILE writes the fixed manifest there and leaves the input alone', async () => {
    const dir = fixtureDir({ 'in.yaml': PRIVILEGED });
    const run = await runCli(['autofix', '-f', 'in.yaml', '-o', 'out.yaml'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(read(dir, 'in.yaml')).toBe(PRIVILEGED);
    const fixed = parseAllDocuments(read(dir, 'out.yaml'))[0]!.toJS() as {
      spec: { containers: { securityContext: Record<string, unknown> }[] };
    };
    expect(fixed.spec.containers[0]!.securityContext).toMatchObject({
      privileged: false,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
    });
  });

  it('-o - writes the fixed manifest to stdout, and without -o fixes in place', async () => {
    const dir = fixtureDir({ 'in.yaml': PRIVILEGED });
    const toStdout = await runCli(['autofix', '-f', 'in.yaml', '-o', '-'], { cwd: dir });
    expect(read(dir, 'in.yaml')).toBe(PRIVILEGED);
    expect(toStdout.stdout).toContain('privileged: false # was needed by the old image\n');
    expect((await runCli(['autofix', '-f', 'in.yaml'], { cwd: dir })).status).toBe(0);
    expect(read(dir, 'in.yaml')).toBe(toStdout.stdout);
  });

  it('reads stdin and writes to stdout', async () => {
    const run = await runCli(['autofix', '-f', '-'], { input: PRIVILEGED });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('privileged: false # was needed by the old image\n');
  });
});
