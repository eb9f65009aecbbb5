import { describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { fixtureDir, runCli } from '../support/cli.js';
import { PRIVILEGED, cliOptions, lintFiles, lintStylish, podWith, privilegedContainer } from './support.js';

/** Four privileged containers: one suppressed by a comment, one by an annotation, one by the config, one not. */
const FILES = {
  '.kubemend.yaml': 'suppressions:\n  - rules: [privileged]\n    containers: [c]\n    reason: from the config\n',
  'pod.yaml': podWith(
    [
      privilegedContainer('a', '# kubemend-disable-line privileged until=2026-12-31 -- from a comment'),
      privilegedContainer('b'),
      privilegedContainer('c'),
      privilegedContainer('d'),
    ].join(''),
    '  annotations:\n    ignore.kubemend.io/privileged.b: "from an annotation"\n',
  ),
};

async function sarif(args: string[]) {
  const run = await runCli([...PRIVILEGED, '--format', 'sarif', ...args, 'pod.yaml'], cliOptions(fixtureDir(FILES)));
  return { status: run.status, results: (JSON.parse(run.stdout) as Log).runs[0]!.results! };
}

describe('how suppressed findings are reported', () => {
  it('stylish: not shown; the summary counts them by what suppressed them; the exit code ignores them', async () => {
    const { status, stdout } = await lintStylish(FILES, PRIVILEGED);
    expect(status).toBe(1);
    expect(stdout).toContain('container "d" runs privileged');
    expect(stdout).not.toMatch(/container "[abc]"/);
    expect(stdout).toContain(
      '  1 fixable: run again with `--fix` (preview with `--fix-dry-run`)\n' +
        '  3 suppressed (1 by a comment, 1 by an annotation, 1 by the config)\n',
    );
  });

  it('stylish: when everything is suppressed, only the count', async () => {
    const { status, stdout } = await lintStylish(
      { 'pod.yaml': podWith(privilegedContainer('a', '# kubemend-disable-line privileged -- legacy')) },
      PRIVILEGED,
    );
    expect(status).toBe(0);
    expect(stdout).toBe('1 suppressed (1 by a comment)\n');
  });

  it('JSON: each file result lists them under suppressed, with how they were suppressed', async () => {
    const { report } = await lintFiles(FILES, PRIVILEGED);
    expect(report.results[0]!.findings.map((finding) => finding.container)).toEqual(['d']);
    expect(
      report.results[0]!.suppressed.map(({ container, fixable, suppression }) => ({ container, fixable, suppression })),
    ).toEqual([
      {
        container: 'a',
        fixable: false,
        suppression: { kind: 'comment', reason: 'from a comment', until: '2026-12-31' },
      },
      {
        container: 'b',
        fixable: false,
        suppression: { kind: 'annotation', reason: 'from an annotation', until: null },
      },
      { container: 'c', fixable: false, suppression: { kind: 'config', reason: 'from the config', until: null } },
    ]);
    expect(report).not.toHaveProperty('baseline');
    expect(report.version).toBe(1);
  });

  it('--quiet and --min-severity filter suppressed findings too', async () => {
    const { report } = await lintFiles(FILES, [...PRIVILEGED, '--min-severity', 'error']);
    expect(report.results[0]!.suppressed).toHaveLength(3);
    const nil = await lintFiles(
      {
        'pod.yaml': podWith(
          '    # kubemend-disable-next-line privileged -- legacy\n    - name: a\n      image: nginx:1.27\n',
        ),
      },
      [...PRIVILEGED, '--quiet'],
    );
    expect(nil.suppressed).toEqual([]);
  });

  it('SARIF: left out, unless --sarif-include-suppressed, which marks comments and annotations inSource, config external', async () => {
    const plain = await sarif([]);
    expect(plain.results.map((result) => result.suppressions)).toEqual([undefined]);
    const all = await sarif(['--sarif-include-suppressed']);
    expect(all.status).toBe(1);
    expect(all.results.map((result) => [result.ruleId, result.level, result.suppressions])).toEqual([
      ['PrivilegedTrue', 'error', []],
      [
        'PrivilegedTrue',
        'error',
        [
          {
            kind: 'inSource',
            status: 'accepted',
            justification: 'from a comment',
            properties: { source: 'comment', until: '2026-12-31' },
          },
        ],
      ],
      [
        'PrivilegedTrue',
        'error',
        [
          {
            kind: 'inSource',
            status: 'accepted',
            justification: 'from an annotation',
            properties: { source: 'annotation' },
          },
        ],
      ],
      [
        'PrivilegedTrue',
        'error',
        [{ kind: 'external', status: 'accepted', justification: 'from the config', properties: { source: 'config' } }],
      ],
    ]);
    expect(all.results.slice(1).every((result) => result.fixes === undefined)).toBe(true);
    expect(all.results[0]!.fixes).toHaveLength(1);
  });

  it("GitHub annotations and kubeaudit's formats leave them out", async () => {
    const dir = fixtureDir(FILES);
    const github = await runCli([...PRIVILEGED, '--format', 'github', 'pod.yaml'], cliOptions(dir));
    expect(github.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^::error file=pod\.yaml,line=24,.*container "d" runs privileged/),
    ]);
    const kubeaudit = await runCli([...PRIVILEGED, '--format', 'kubeaudit-json', 'pod.yaml'], cliOptions(dir));
    expect(
      kubeaudit.stdout
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { Container: string }).Container),
    ).toEqual(['d']);
  });

  it('kubeaudit override labels work as before: the allowed finding stays an info finding, and a comment cannot take it', async () => {
    const text = podWith(
      privilegedContainer('app', '# kubemend-disable-line privileged -- also allowed by the label'),
      '  labels:\n    container.kubeaudit.io/app.allow-privileged: "CNI plugin"\n',
    );
    const { findings, suppressed } = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(suppressed).toEqual([]);
    expect(findings.map(({ code, severity }) => ({ code, severity }))).toEqual([
      { code: 'PrivilegedTrueAllowed', severity: 'info' },
      { code: 'SuppressionUnused', severity: 'warning' },
    ]);
  });
});
