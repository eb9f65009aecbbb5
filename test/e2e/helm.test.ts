import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, fixtureDir, runCli, runJson, type JsonReport } from '../support/cli.js';
import { toolPath, toolsBinDir } from '../support/tools.js';

/** A chart laid out as `helm create` lays one out: helpers, `with`/`toYaml` blocks, a `range` of sidecars. */
const CHART = path.join(ROOT, 'test', 'fixtures', 'helm', 'shop');

/** Every file below `dir`, by its path relative to `dir`. */
function filesBelow(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, filesBelow(file, `${prefix}${entry.name}/`));
    else out[`${prefix}${entry.name}`] = readFileSync(file, 'utf8');
  }
  return out;
}

const projects: string[] = [];
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

/** A working folder holding the chart as `shop/`, and any other files; removed after the tests. */
function project(extra: Record<string, string> = {}): string {
  const chart = Object.fromEntries(Object.entries(filesBelow(CHART)).map(([file, text]) => [`shop/${file}`, text]));
  const dir = fixtureDir({ ...chart, ...extra });
  projects.push(dir);
  return dir;
}

/** Every file below `dir` with its modification time: what must not change. */
function snapshot(dir: string): Record<string, string> {
  const files = filesBelow(dir);
  return Object.fromEntries(
    Object.entries(files).map(([file, text]) => [file, `${statSync(path.join(dir, file)).mtimeMs} ${text}`]),
  );
}

interface Placed {
  file: string;
  line: number;
  column: number;
  code: string;
  container: string | null;
  mapped: unknown;
  values: unknown;
  fixable: boolean;
}

function placed(report: JsonReport): Placed[] {
  return report.results.flatMap((result) =>
    result.findings.map((finding) => {
      const { line, column, code, container, fixable } = finding;
      const { mapped, values } = finding as unknown as { mapped: unknown; values: unknown };
      return { file: result.file, line, column, code, container, mapped, values, fixable };
    }),
  );
}

function codesOf(report: JsonReport, container?: string): string[] {
  return placed(report)
    .filter((finding) => container === undefined || finding.container === container)
    .map((finding) => finding.code)
    .sort();
}

describe('--helm: rendered by the real helm, findings at their template lines and values keys', () => {
  const helm = toolPath('helm');
  const withHelm = (...args: string[]) => ['--helm', 'shop', '--helm-command', helm, ...args];

  it('reports a finding at its template line, and a value from the values at its values key', async () => {
    const dir = project();
    const { report, status } = await runJson(withHelm(), { cwd: dir });
    expect(status).toBe(1);
    const findings = placed(report);
    const deployment = 'shop/templates/deployment.yaml';
    // Written in the template: its line, certain; not fixable with --fix --helm.
    expect(findings).toContainEqual({
      file: deployment,
      line: 24,
      column: 7,
      code: 'NamespaceHostPIDTrue',
      container: null,
      mapped: 'line',
      values: undefined,
      fixable: false,
    });
    // `hostNetwork: {{ .Values.hostNetwork }}`: the template's line, and the values key it takes.
    expect(findings).toContainEqual({
      file: deployment,
      line: 22,
      column: 7,
      code: 'NamespaceHostNetworkTrue',
      container: null,
      mapped: 'line',
      values: { file: 'shop/values.yaml', key: 'hostNetwork', line: 25 },
      fixable: true,
    });
    // Inside a `toYaml` block: its line is a best guess; the values key is certain.
    expect(findings).toContainEqual({
      file: deployment,
      line: 33,
      column: 13,
      code: 'PrivilegedTrue',
      container: 'shop',
      mapped: 'file',
      values: { file: 'shop/values.yaml', key: 'securityContext.privileged', line: 21 },
      fixable: true,
    });
    // A missing field: at the container in the template, and in the values mapping that renders its parent.
    expect(findings).toContainEqual({
      file: deployment,
      line: 32,
      column: 11,
      code: 'ReadOnlyRootFilesystemNil',
      container: 'shop',
      mapped: 'line',
      values: { file: 'shop/values.yaml', key: 'securityContext.readOnlyRootFilesystem', line: 19 },
      fixable: true,
    });
    // The container a `range` writes: at its item in the template; nothing of it comes from a values mapping.
    expect(findings).toContainEqual({
      file: deployment,
      line: 46,
      column: 11,
      code: 'LimitsNotSet',
      container: 'log-shipper',
      mapped: 'line',
      values: undefined,
      fixable: false,
    });
    expect(new Set(findings.map((finding) => finding.file))).toEqual(new Set([deployment]));
    const hostPID = report.results[0]!.findings.find((finding) => finding.code === 'NamespaceHostPIDTrue')!;
    expect(hostPID.details).toMatch(/Not fixable with --fix --helm: its value is written in the template/);
    expect(hostPID.resource).toMatchObject({ kind: 'Deployment', name: 'release-name-shop' });
  });

  it('says in stylish which values key to set', async () => {
    const dir = project();
    const run = await runCli(withHelm('--no-color'), { cwd: dir });
    expect(run.stdout).toContain(
      'container "shop" runs privileged: set `securityContext.privileged` in shop/values.yaml:21',
    );
  });

  it('takes --values and --set as helm does: the last file that sets a key is named, --set is no file', async () => {
    const dir = project({ 'prod.yaml': '# production\nsecurityContext:\n  privileged: true\n' });
    const { report } = await runJson(withHelm('--values', 'prod.yaml', '--set', 'hostNetwork=false'), { cwd: dir });
    const findings = placed(report);
    expect(findings.find((finding) => finding.code === 'PrivilegedTrue')?.values).toEqual({
      file: 'prod.yaml',
      key: 'securityContext.privileged',
      line: 3,
    });
    expect(codesOf(report)).not.toContain('NamespaceHostNetworkTrue');
    const set = await runJson(withHelm('--set', 'securityContext.privileged=true'), { cwd: dir });
    const privileged = placed(set.report).find((finding) => finding.code === 'PrivilegedTrue');
    expect(privileged).toMatchObject({ values: undefined, fixable: false });
  });

  it("names a subchart's own values key, which --fix leaves to the chart's values", async () => {
    const dir = project({
      'shop/charts/db/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 0.1.0\n',
      'shop/charts/db/values.yaml': '# The database\nsecurityContext:\n  privileged: true\n',
      'shop/charts/db/templates/pod.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
    - name: db
      image: db:1.0
      {{- with .Values.securityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
`,
    });
    const { report } = await runJson(withHelm(), { cwd: dir });
    const privileged = report.results
      .find((result) => result.file === 'shop/charts/db/templates/pod.yaml')
      ?.findings.find((finding) => finding.code === 'PrivilegedTrue');
    expect(privileged).toMatchObject({
      line: 11,
      values: { file: 'shop/charts/db/values.yaml', key: 'db.securityContext.privileged', line: 3 },
      fixable: false,
      details: expect.stringContaining("its value is the subchart's default: set `db.securityContext.privileged`"),
    });
  });

  it('writes nothing into the chart', async () => {
    const dir = project();
    const before = snapshot(dir);
    await runJson(withHelm(), { cwd: dir });
    expect(snapshot(dir)).toEqual(before);
  });

  it('--fix edits values.yaml only, comments kept, and the chart then renders without the fixed findings', async () => {
    const dir = project();
    const before = await runJson(withHelm(), { cwd: dir });
    const templates = filesBelow(path.join(dir, 'shop', 'templates'));
    const run = await runCli(withHelm('--fix'), { cwd: dir });
    expect(run.stderr).toContain('fixed 7 problems in 1 values file');
    const values = readFileSync(path.join(dir, 'shop', 'values.yaml'), 'utf8');
    expect(values).toContain('  # The debugger attaches to other processes: it needs this.\n  privileged: false\n');
    expect(values).toContain('  tag: "1.4.2" # pinned\n');
    expect(values).toContain("# Share the node's network (the metrics agent listens there).\nhostNetwork: false\n");
    expect(values).toContain('  readOnlyRootFilesystem: true\n');
    expect(filesBelow(path.join(dir, 'shop', 'templates'))).toEqual(templates);
    const fixedCodes = placed(before.report).filter((finding) => finding.fixable);
    expect(fixedCodes.length).toBe(7);
    const after = await runJson(withHelm(), { cwd: dir });
    const remaining = placed(after.report).map((finding) => `${finding.code} ${finding.container}`);
    for (const finding of fixedCodes) expect(remaining).not.toContain(`${finding.code} ${finding.container}`);
    // What was not taken from the values is still there.
    expect(remaining).toContain('NamespaceHostPIDTrue null');
    expect(remaining).toContain('LimitsNotSet log-shipper');
    // The report of the fix run is what the chart now renders.
    expect(run.stdout).not.toContain('PrivilegedTrue');
  });

  it('--diff shows the values edits and changes nothing', async () => {
    const dir = project();
    const before = snapshot(dir);
    const run = await runCli(withHelm('--diff'), { cwd: dir });
    expect(run.stdout).toContain('--- shop/values.yaml\n+++ shop/values.yaml\n');
    expect(run.stdout).toContain('-  privileged: true\n+  privileged: false\n');
    expect(snapshot(dir)).toEqual(before);
  });

  it('--fix keeps the values as they were when the edited values still render the finding', async () => {
    // `default` takes false for empty: no value in values.yaml turns the container unprivileged.
    const dir = project({
      'shop/templates/debugger.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: debugger
spec:
  containers:
    - name: debugger
      image: shop/debugger:1.0
      securityContext:
        privileged: {{ .Values.securityContext.privileged | default true }}
`,
    });
    const before = readFileSync(path.join(dir, 'shop', 'values.yaml'), 'utf8');
    const run = await runCli(withHelm('--fix', '--fix-only', 'PrivilegedTrue'), { cwd: dir });
    expect(run.stderr).toMatch(
      /shop: values not changed: with the edited values the chart still renders PrivilegedTrue/,
    );
    expect(readFileSync(path.join(dir, 'shop', 'values.yaml'), 'utf8')).toBe(before);
  });

  it('--fix keeps the values as they were when the chart does not render with the edited values', async () => {
    const dir = project({
      'shop/templates/guard.yaml':
        '{{- if not .Values.securityContext.privileged }}{{ fail "the debugger needs it" }}{{ end }}\n',
    });
    const before = readFileSync(path.join(dir, 'shop', 'values.yaml'), 'utf8');
    const run = await runCli(withHelm('--fix', '--fix-only', 'PrivilegedTrue'), { cwd: dir });
    expect(run.stderr).toMatch(
      /shop: values not changed: the chart does not render with the edited values \(shop\/templates\/guard\.yaml:1:51: helm template shop failed: .*the debugger needs it\)/,
    );
    expect(readFileSync(path.join(dir, 'shop', 'values.yaml'), 'utf8')).toBe(before);
    expect(run.stdout).toContain('PrivilegedTrue');
  });

  it("a template helm cannot render: exit 2 and one line, helm's message located at the template", async () => {
    const dir = project({ 'shop/templates/broken.yaml': 'metadata:\n  name: {{ .Values.name | nope }}\n' });
    const run = await runCli(withHelm(), { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^kubemend: shop\/templates\/broken\.yaml:2: helm template shop failed: parse error at \(shop\/templates\/broken\.yaml:2\): function "nope" not defined/,
    );
  });

  it('--values or --set without --helm is a usage error', async () => {
    const dir = project({ 'prod.yaml': 'hostNetwork: false\n' });
    const run = await runCli(['--values', 'prod.yaml', 'shop/values.yaml'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--values and --set are for the charts --helm names: add --helm <chart>/);
  });

  it('a failing template or a rendered document that is no YAML: located at the template (by line where helm gives one)', async () => {
    const failing = project({ 'shop/templates/database.yaml': 'kind: Secret\n{{ fail "no database configured" }}\n' });
    const run = await runCli(withHelm(), { cwd: failing });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^kubemend: shop\/templates\/database\.yaml:2:3: helm template shop failed: execution error at \(shop\/templates\/database\.yaml:2:3\): no database configured\n$/,
    );
    const notYaml = project({ 'shop/templates/bad.yaml': 'a: b\n  c: d\n' });
    const bad = await runCli(withHelm(), { cwd: notYaml });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(
      /^kubemend: shop\/templates\/bad\.yaml: helm template shop failed: YAML parse error on shop\/templates\/bad\.yaml: /,
    );
  });

  it('without helm: exit 2 and one line saying what to install', async () => {
    const dir = project();
    const run = await runCli(['--helm', 'shop', '--helm-command', path.join(dir, 'no-such-helm')], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/cannot run it; install helm 3/);
  });

  it('helm 2: exit 2 and what to install', async () => {
    const dir = project({ 'old-helm': '#!/bin/sh\necho "Client: v2.17.0+ga690bad"\n' });
    const { chmodSync } = await import('node:fs');
    chmodSync(path.join(dir, 'old-helm'), 0o755);
    const run = await runCli(['--helm', 'shop', '--helm-command', path.join(dir, 'old-helm')], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/old-helm is helm Client: v2\.17\.0\+ga690bad, too old for --helm: install helm 3/);
  });

  it('finds helm on PATH, and renders the charts .kubemend.yaml lists', async () => {
    const dir = project({ '.kubemend.yaml': 'helm: [shop]\n' });
    const env = { PATH: `${toolsBinDir()}${path.delimiter}${process.env.PATH ?? ''}` };
    const { report } = await runJson([], { cwd: dir, env });
    expect(codesOf(report, 'shop')).toContain('PrivilegedTrue');
  });

  it('`helm template … | kubemend -` names the template of each finding, at the line of standard input', async () => {
    const rendered = execFileSync(helm, ['template', CHART], { encoding: 'utf8' });
    const { report } = await runJson(['-'], { input: rendered });
    const finding = report.results[0]!.findings.find((f) => f.code === 'NamespaceHostPIDTrue')!;
    expect(report.results[0]!.file).toBe('<stdin>');
    expect((finding as unknown as { template: string }).template).toBe('shop/templates/deployment.yaml');
    expect(rendered.split('\n')[finding.line - 1]).toBe('      hostPID: true');
    const run = await runCli(['--no-color', '-'], { input: rendered });
    expect(run.stdout).toContain('Deployment/release-name-shop (template shop/templates/deployment.yaml)');
  });
});
