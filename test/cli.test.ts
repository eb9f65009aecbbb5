import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli, runJson } from './support/cli.js';

/** The foundation's two rules: these tests are about the CLI, not about what later rules find. */
const BASIC = ['--rule', 'privileged', '--rule', 'hostns'];
import { CLEAN_POD, PRIVILEGED_POD, pod } from './support/manifests.js';

const WARNING_ONLY_POD = pod('  containers:\n    - name: app\n      image: nginx\n');

describe('JSON output', () => {
  it('follows the documented shape, lists every file, keeps relative paths relative', async () => {
    const dir = fixtureDir({ 'bad.yaml': PRIVILEGED_POD, 'good.yaml': CLEAN_POD });
    const { status, report } = await runJson([...BASIC, 'bad.yaml', 'good.yaml'], { cwd: dir });
    expect(status).toBe(1);
    expect(report).toEqual({
      version: 1,
      results: [
        {
          file: 'bad.yaml',
          findings: [
            {
              rule: 'privileged',
              code: 'PrivilegedTrue',
              severity: 'error',
              message: 'container "app" runs privileged',
              details: expect.stringMatching(
                /^container "app" runs privileged: .*Set securityContext.privileged to false$/,
              ),
              line: 10,
              column: 21,
              endLine: 10,
              endColumn: 25,
              resource: { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: null },
              container: 'app',
              fixable: true,
            },
          ],
          errors: [],
          suppressed: [],
        },
        { file: 'good.yaml', findings: [], errors: [], suppressed: [] },
      ],
    });
  });
});

describe('exit codes', () => {
  it('0 when clean, 1 with error findings, 0 with warnings only', async () => {
    const dir = fixtureDir({ 'bad.yaml': PRIVILEGED_POD, 'good.yaml': CLEAN_POD, 'warn.yaml': WARNING_ONLY_POD });
    expect((await runCli([...BASIC, 'good.yaml'], { cwd: dir })).status).toBe(0);
    expect((await runCli([...BASIC, 'bad.yaml'], { cwd: dir })).status).toBe(1);
    expect((await runCli([...BASIC, 'warn.yaml'], { cwd: dir })).status).toBe(0);
  });

  it('1 when warnings exceed --max-warnings', async () => {
    const dir = fixtureDir({ 'warn.yaml': WARNING_ONLY_POD });
    expect((await runCli([...BASIC, '--max-warnings', '0', 'warn.yaml'], { cwd: dir })).status).toBe(1);
    expect((await runCli([...BASIC, '--max-warnings', '1', 'warn.yaml'], { cwd: dir })).status).toBe(0);
  });

  it('2 for usage errors, with a message', async () => {
    const unknownRule = await runCli(['--rule', 'nope', 'x.yaml']);
    expect(unknownRule.status).toBe(2);
    expect(unknownRule.stderr).toMatch(/unknown rule "nope" \(known rules: .*privileged/);
    expect((await runCli(['--format', 'xml', 'x.yaml'])).status).toBe(2);
    expect((await runCli(['--bogus'])).status).toBe(2);
    const noInput = await runCli([]);
    expect(noInput.status).toBe(2);
    expect(noInput.stderr).toMatch(/no input/);
    expect((await runCli(['--max-warnings', 'many', 'x.yaml'])).status).toBe(2);
  });

  it('2 wins over 1 when one file has findings and another cannot be parsed', async () => {
    const dir = fixtureDir({ 'bad.yaml': PRIVILEGED_POD, 'broken.yaml': 'a: [\n' });
    expect((await runCli([...BASIC, 'bad.yaml', 'broken.yaml'], { cwd: dir })).status).toBe(2);
  });
});

describe('bad input: a located file error, the other files still linted, exit 2', () => {
  const cases: [string, string | Buffer, RegExp, number, number][] = [
    ['invalid YAML', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\nspec: {}\n', /invalid YAML/, 5, 1],
    [
      'a Helm template',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  containers: []\n',
      /Helm template.*helm template .*\| kubemend -/,
      4,
      9,
    ],
    [
      'a Helm control line',
      'apiVersion: v1\nkind: Pod\n{{- if .Values.enabled }}\nmetadata:\n  name: x\n{{- end }}\n',
      /Helm template/,
      3,
      1,
    ],
    ['binary data', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), /binary file/, 3, 1],
    [
      'non-UTF-8 text',
      Buffer.concat([
        Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n'),
      ]),
      /invalid UTF-8.*0xe9/,
      4,
      12,
    ],
    ['UTF-16 text', Buffer.from('\ufeffapiVersion: v1\n', 'utf16le'), /UTF-16/, 1, 1],
    ['duplicate keys', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n', /duplicate key "name"/, 5, 3],
  ];

  it.each(cases)('%s', async (_, content, message, line, column) => {
    const dir = fixtureDir({ 'a-bad.yaml': content, 'b-good.yaml': PRIVILEGED_POD });
    const { status, report, stderr } = await runJson([...BASIC, 'a-bad.yaml', 'b-good.yaml'], { cwd: dir });
    expect(status).toBe(2);
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
    expect(report.results[0]).toEqual({
      file: 'a-bad.yaml',
      findings: [],
      errors: [{ message: expect.stringMatching(message), line, column }],
      suppressed: [],
    });
    expect(report.results[1]!.findings.map((f) => f.code)).toEqual(['PrivilegedTrue']);
  });

  it('an alias bomb is refused quickly and named', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 15; i++) {
      const name = `l${i}`;
      const previous = i === 1 ? 'a' : `l${i - 1}`;
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const dir = fixtureDir({
      'bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`,
    });
    const { status, report } = await runJson([...BASIC, 'bomb.yaml'], { cwd: dir });
    expect(status).toBe(2);
    expect(report.results[0]!.errors[0]).toMatchObject({ message: expect.stringMatching(/alias/), line: 7 });
  });

  it('a path that does not exist', async () => {
    const { status, report } = await runJson([...BASIC, 'missing.yaml', 'examples/secure-pod.yaml']);
    expect(status).toBe(2);
    expect(report.results[0]).toEqual({
      file: 'missing.yaml',
      findings: [],
      errors: [{ message: expect.stringMatching(/no such file/), line: 1, column: 1 }],
      suppressed: [],
    });
    expect(report.results[1]).toEqual({ file: 'examples/secure-pod.yaml', findings: [], errors: [], suppressed: [] });
  });

  it('prints file errors in stylish output with file, line and column', async () => {
    const dir = fixtureDir({ 'broken.yaml': 'a: [\n' });
    const run = await runCli([...BASIC, 'broken.yaml'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^broken\.yaml\n {2}2:1 +error +invalid YAML/);
  });
});

describe('inputs', () => {
  it('walks directories for *.yaml and *.yml, skipping node_modules and .git', async () => {
    const dir = fixtureDir({
      'k8s/a.yaml': PRIVILEGED_POD,
      'k8s/nested/b.yml': PRIVILEGED_POD,
      'k8s/notes.txt': 'not yaml',
      'k8s/node_modules/pkg/c.yaml': PRIVILEGED_POD,
      'k8s/.git/d.yaml': PRIVILEGED_POD,
    });
    const { report } = await runJson([...BASIC, 'k8s'], { cwd: dir });
    expect(report.results.map((r) => r.file)).toEqual(['k8s/a.yaml', 'k8s/nested/b.yml']);
  });

  it('expands globs, accepts several inputs and -f/--manifest (repeatable), without repeating a file', async () => {
    const dir = fixtureDir({ 'x/a.yaml': PRIVILEGED_POD, 'x/b.yaml': CLEAN_POD, 'y.yaml': CLEAN_POD });
    const { report } = await runJson([...BASIC, 'x/*.yaml', '-f', 'y.yaml', '--manifest', 'x/a.yaml'], { cwd: dir });
    expect(report.results.map((r) => r.file)).toEqual(['x/a.yaml', 'x/b.yaml', 'y.yaml']);
  });

  it('reads a manifest from stdin with -', async () => {
    const { status, report } = await runJson([...BASIC, '-'], { input: PRIVILEGED_POD });
    expect(status).toBe(1);
    expect(report.results).toEqual([
      {
        file: '<stdin>',
        findings: [expect.objectContaining({ code: 'PrivilegedTrue', line: 10 })],
        errors: [],
        suppressed: [],
      },
    ]);
  });

  it('a glob that matches nothing is an error', async () => {
    const dir = fixtureDir({ 'a.yaml': CLEAN_POD });
    const { status, report } = await runJson([...BASIC, 'nothing/*.yaml'], { cwd: dir });
    expect(status).toBe(2);
    expect(report.results[0]!.errors[0]!.message).toMatch(/matches no files/);
  });
});

describe('options', () => {
  const mixed = `${PRIVILEGED_POD}---\n${pod('  hostNetwork: true\n  containers:\n    - name: w\n', 'q')}`;

  it('--rule runs only the named rules', async () => {
    const dir = fixtureDir({ 'm.yaml': mixed });
    const { report } = await runJson(['--rule', 'hostns', 'm.yaml'], { cwd: dir });
    expect(report.results[0]!.findings.map((f) => f.code)).toEqual(['NamespaceHostNetworkTrue']);
  });

  it('--min-severity and --quiet hide findings below the threshold', async () => {
    const dir = fixtureDir({ 'm.yaml': mixed });
    const all = (await runJson([...BASIC, 'm.yaml'], { cwd: dir })).report.results[0]!.findings.map((f) => f.severity);
    expect(all).toContain('warning');
    const errorsOnly = (
      await runJson([...BASIC, '--min-severity', 'error', 'm.yaml'], { cwd: dir })
    ).report.results[0]!.findings.map((f) => f.severity);
    expect(errorsOnly).toEqual(['error', 'error']);
    const quiet = (await runJson([...BASIC, '--quiet', 'm.yaml'], { cwd: dir })).report.results[0]!.findings.map(
      (f) => f.severity,
    );
    expect(quiet).toEqual(['error', 'error']);
  });

  it('-o writes the report to a file', async () => {
    const dir = fixtureDir({ 'm.yaml': mixed });
    const run = await runCli([...BASIC, '--format', 'json', '-o', 'out.json', 'm.yaml'], { cwd: dir });
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8')).results[0].findings).toHaveLength(3);
  });

  it('--version prints the package version; --help shows examples', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await runCli(['--version'])).stdout.trim()).toBe(pkg.version);
    const help = await runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    expect(help.stdout).toMatch(/--max-warnings/);
  });
});

describe('stylish output', () => {
  it('groups by file with line:col, severity, resource, message and code, then a summary', async () => {
    const dir = fixtureDir({ 'm.yaml': PRIVILEGED_POD });
    const run = await runCli([...BASIC, 'm.yaml'], { cwd: dir });
    expect(run.stdout).toBe(
      'm.yaml\n' +
        '  Pod/p\n' +
        '    10:21  error    container "app" runs privileged  PrivilegedTrue\n' +
        '\n' +
        '✖ 1 problem (1 error, 0 warnings)\n' +
        '  1 fixable: run again with `--fix` (preview with `--fix-dry-run`)\n' +
        '\n' +
        'Why and how to fix: kubemend explain <code>, e.g. kubemend explain PrivilegedTrue\n',
    );
  });

  it('prints nothing when there is nothing to say', async () => {
    const dir = fixtureDir({ 'ok.yaml': CLEAN_POD });
    const run = await runCli([...BASIC, 'ok.yaml'], { cwd: dir });
    expect(run).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  it('colours only when asked: FORCE_COLOR on, NO_COLOR and --no-color off', async () => {
    const dir = fixtureDir({ 'm.yaml': PRIVILEGED_POD });
    const ESC = '\u001b[';
    expect((await runCli([...BASIC, 'm.yaml'], { cwd: dir })).stdout).not.toContain(ESC);
    expect((await runCli([...BASIC, 'm.yaml'], { cwd: dir, env: { FORCE_COLOR: '1' } })).stdout).toContain(ESC);
    expect(
      (await runCli([...BASIC, 'm.yaml'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout,
    ).not.toContain(ESC);
    expect(
      (await runCli([...BASIC, '--no-color', 'm.yaml'], { cwd: dir, env: { FORCE_COLOR: '1' } })).stdout,
    ).not.toContain(ESC);
  });
});

describe('examples/', () => {
  it('lints the bundled examples: insecure ones fail, the secure reference and non-manifests pass', async () => {
    const { status, report } = await runJson(['examples/']);
    expect(status).toBe(1);
    const byFile = Object.fromEntries(report.results.map((r) => [path.basename(r.file), r]));
    expect(byFile['secure-pod.yaml']).toMatchObject({ findings: [], errors: [] });
    expect(byFile['github-workflow.yml']).toMatchObject({ findings: [], errors: [] });
    const codes = (file: string) => byFile[file]!.findings.map((f) => f.code);
    expect(codes('insecure-deployment.yaml')).toEqual(
      expect.arrayContaining(['NamespaceHostNetworkTrue', 'NamespaceHostPIDTrue', 'PrivilegedTrue', 'PrivilegedNil']),
    );
    expect(new Set(byFile['list.yaml']!.findings.map((f) => f.resource.name))).toEqual(new Set(['debug-shell']));
    expect(codes('cronjob.yaml')).toEqual(expect.arrayContaining(['NamespaceHostIPCTrue', 'PrivilegedTrue']));
  });
});

describe('kubemend rules', () => {
  it('lists every code of every rule with severity and fixability, as a table and as JSON', async () => {
    const { loadConformance } = await import('./support/conformance.js');
    const json = await runCli(['rules', '--format', 'json']);
    expect(json.status).toBe(0);
    const { codes } = JSON.parse(json.stdout) as {
      codes: { rule: string; code: string; severity: string; fixable: boolean }[];
    };
    const listed = new Set(codes.map((row) => row.code));
    for (const [code, meta] of Object.entries(loadConformance().codes))
      if (meta.auditor !== '*') expect(listed.has(code), code).toBe(true);
    expect(codes.find((row) => row.code === 'PrivilegedNil')).toEqual({
      rule: 'privileged',
      code: 'PrivilegedNil',
      severity: 'warning',
      fixable: true,
      description: expect.any(String),
    });
    const table = await runCli(['rules']);
    expect(table.stdout.split('\n')[0]).toMatch(/^RULE +CODE +SEVERITY +FIXABLE +DESCRIPTION$/);
    expect(table.stdout).toMatch(/\nimage +ImageTagMissing +warning +no +/);
  });
});
