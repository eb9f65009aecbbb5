import { describe, expect, it } from 'vitest';
import { CONFORMANCE_DIR } from './support/conformance.js';
import { fixtureDir, runCli, runJson } from './support/cli.js';
import { CLEAN_POD, PRIVILEGED_POD } from './support/manifests.js';

/** Parses stylish's summary: the total of the `✖` line and the rows of the per-rule table. */
function summaryOf(stdout: string): {
  total: number;
  errors: number;
  warnings: number;
  rows: { count: number; name: string }[];
} {
  const total = /^✖ (\d+) problems? \((\d+) errors?, (\d+) warnings?/m.exec(stdout);
  if (!total) throw new Error(`no summary line in:\n${stdout}`);
  const table = stdout.slice(stdout.indexOf('Problems by rule:'));
  const rows = [...table.matchAll(/^ +(\d+) {2}(?:error|warning|info) +(\S+)/gm)].map((match) => ({
    count: Number(match[1]),
    name: match[2]!,
  }));
  return { total: Number(total[1]), errors: Number(total[2]), warnings: Number(total[3]), rows };
}

describe('stylish output', () => {
  it('on examples/: findings under their resource, a summary per rule, and a hint to explain', async () => {
    // examples/ on its own: here the project context would be this repository's test fixtures.
    const run = await runCli(['--no-color', '--no-project-context', 'examples']);
    expect(run.status).toBe(1);
    await expect(run.stdout).toMatchFileSnapshot('__snapshots__/examples.stylish.txt');
  });

  it('--format compact on examples/: one grep-able line per problem', async () => {
    const run = await runCli(['--format', 'compact', '--no-project-context', 'examples']);
    expect(run.status).toBe(1);
    for (const line of run.stdout.trimEnd().split('\n'))
      expect(line).toMatch(/^examples\/[\w./-]+\.yaml:\d+:\d+: (error|warning|info) \w+ \w+\/[\w-]+: \S/);
    await expect(run.stdout).toMatchFileSnapshot('__snapshots__/examples.compact.txt');
  });

  it('compact reports file errors too, and nothing for clean files', async () => {
    const dir = fixtureDir({ 'broken.yaml': 'a: [\n', 'ok.yaml': CLEAN_POD });
    const run = await runCli(['--format', 'compact', '--rule', 'privileged', 'broken.yaml', 'ok.yaml'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^broken\.yaml:2:1: error file-error invalid YAML/);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('leaves the per-rule table out when one code would only repeat the summary line', async () => {
    const dir = fixtureDir({ 'p.yaml': PRIVILEGED_POD });
    const run = await runCli(['--no-color', '--rule', 'privileged', 'p.yaml'], { cwd: dir });
    expect(run.stdout).not.toContain('Problems by rule:');
    expect(run.stdout).toContain('kubemend explain PrivilegedTrue');
  });

  it("on kubeaudit's fixtures: no line longer than 160 characters but file paths, and the table adds up to the total", async () => {
    const fixtures = `${CONFORMANCE_DIR}/fixtures`;
    const run = await runCli(['--no-color', fixtures]);
    const { report } = await runJson([fixtures]);
    const files = new Set(report.results.map((result) => result.file));
    const long = run.stdout.split('\n').filter((line) => line.length > 160 && !files.has(line));
    expect(long).toEqual([]);
    const summary = summaryOf(run.stdout);
    const findings = report.results.flatMap((result) => result.findings);
    const fileErrors = report.results.reduce((sum, result) => sum + result.errors.length, 0);
    expect(summary.total).toBe(findings.length + fileErrors);
    expect(summary.rows.reduce((sum, row) => sum + row.count, 0)).toBe(summary.total);
    const privilegedTrue = findings.filter((finding) => finding.code === 'PrivilegedTrue').length;
    expect(summary.rows.find((row) => row.name === 'privileged/PrivilegedTrue')?.count).toBe(privilegedTrue);
    const counts = summary.rows.map((row) => row.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });
});
