import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, fixTexts, type Rule } from '../../src/index.js';
import { fixtureDir, runCli, runJson } from '../support/cli.js';
import { cliOptions, podWith, privilegedContainer } from './support.js';

/** `kubemend --fix` on one file, then a fresh lint of what it wrote. */
async function fixThenLint(text: string, args: string[]) {
  const dir = fixtureDir({ 'pod.yaml': text });
  const fix = await runCli(['--fix', ...args, 'pod.yaml'], cliOptions(dir));
  const after = readFileSync(path.join(dir, 'pod.yaml'), 'utf8');
  const { report } = await runJson([...args, 'pod.yaml'], cliOptions(dir));
  return { fix, after, findings: report.results[0]!.findings, suppressed: report.results[0]!.suppressed };
}

describe('--fix and suppressions', () => {
  it('never fixes a suppressed finding: its value and its comment stay byte for byte', async () => {
    const suppressedLine =
      '        privileged: true  # kubemend-disable-line privileged -- the CNI plugin needs the host devices';
    const text = podWith(
      `${privilegedContainer('cni', '# kubemend-disable-line privileged -- the CNI plugin needs the host devices')}${privilegedContainer('app')}`,
    );
    const { fix, after, findings, suppressed } = await fixThenLint(text, [
      '--rule',
      'privileged',
      '--rule',
      'suppressions',
    ]);
    expect(fix.status).toBe(0);
    // Only the container without the comment was fixed (its line is the only `privileged: true` without one).
    expect(after).toBe(text.replace('privileged: true\n', 'privileged: false\n'));
    expect(after.split('\n')).toContain(suppressedLine);
    expect(findings).toEqual([]);
    expect(suppressed.map(({ container, suppression }) => ({ container, kind: suppression.kind }))).toEqual([
      { container: 'cni', kind: 'comment' },
    ]);
  });

  it("a comment above a container still covers its missing field when fixes create the field's parent", async () => {
    // No securityContext: RunAsNonRoot is shown on `- name: app`; the privileged fix then adds a securityContext.
    const text = podWith(
      '    # kubemend-disable-next-line RunAsNonRootPSCNilCSCNil -- the image needs root until ' +
        'OPS-9\n    - name: app\n      image: nginx:1.27\n    - name: other\n      image: nginx:1.27\n',
    );
    const args = ['--rule', 'privileged', '--rule', 'nonroot', '--rule', 'suppressions'];
    const { after, findings, suppressed } = await fixThenLint(text, args);
    expect(after).toBe(
      podWith(
        '    # kubemend-disable-next-line RunAsNonRootPSCNilCSCNil -- the image needs root until ' +
          'OPS-9\n    - name: app\n      image: nginx:1.27\n      securityContext:\n        ' +
          'privileged: false\n' +
          '    - name: other\n      image: nginx:1.27\n      securityContext:\n        privileged: false\n        runAsNonRoot: true\n',
      ),
    );
    expect(findings).toEqual([]);
    // Shown on the new `securityContext:` line now, still covered by the comment above `- name: app`.
    expect(suppressed.map(({ code, container, line }) => ({ code, container, line }))).toEqual([
      { code: 'RunAsNonRootPSCNilCSCNil', container: 'app', line: 10 },
    ]);
  });

  it('inserted lines do not push a kubemend-disable-next-line off its target', async () => {
    // The comment follows the containers, whose fixes add lines above it; it must still name hostNetwork.
    const text =
      `${podWith('    - name: app\n      image: nginx:1.27\n')}  # kubemend-disable-next-line ` +
      `hostns -- the node agent needs the host network\n  hostNetwork: true\n`;
    const { after, findings, suppressed } = await fixThenLint(text, [
      '--rule',
      'privileged',
      '--rule',
      'hostns',
      '--rule',
      'suppressions',
    ]);
    expect(after).toBe(
      `${podWith('    - name: app\n      image: nginx:1.27\n      securityContext:\n        privileged: false\n')} ` +
        ` # kubemend-disable-next-line hostns -- the node agent needs the host network\n  ` +
        `hostNetwork: true\n`,
    );
    expect(findings).toEqual([]);
    expect(suppressed.map(({ code, line }) => ({ code, line }))).toEqual([
      { code: 'NamespaceHostNetworkTrue', line: 12 },
    ]);
  });

  it('a block, an annotation and a config entry keep what they suppress through a fix of the whole default profile', async () => {
    const text = podWith(
      `    # kubemend-disable privileged -- legacy\n${privilegedContainer('a')}    # kubemend-enable\n${privilegedContainer('b')}${privilegedContainer('c')}`,
      '  annotations:\n    ignore.kubemend.io/PrivilegedTrue.b: "loads a kernel module"\n',
    );
    const dir = fixtureDir({
      'pod.yaml': text,
      '.kubemend.yaml':
        'suppressions:\n  - rules: [PrivilegedTrue]\n    containers: [c]\n    reason: from the config\n',
    });
    const fix = await runCli(['--fix', 'pod.yaml'], cliOptions(dir));
    expect(fix.stderr).toMatch(/^kubemend: fixed \d+ problems in 1 file\n$/);
    const after = readFileSync(path.join(dir, 'pod.yaml'), 'utf8');
    expect(after.match(/privileged: true/g)).toHaveLength(3);
    const { report } = await runJson(['pod.yaml'], cliOptions(dir));
    expect(
      report.results[0]!.suppressed.map(
        ({ code, container, suppression }) => `${code} ${container} ${suppression.kind}`,
      ),
    ).toEqual(['PrivilegedTrue a comment', 'PrivilegedTrue b annotation', 'PrivilegedTrue c config']);
  });

  it('leaves a file as it was, with the reason, when a fix would change a value a suppression accepts', () => {
    // A second rule reports the same field and fixes it; the privileged finding there is suppressed.
    const other: Rule = {
      kind: 'workload',
      meta: {
        id: 'other',
        description: 'Reports what privileged reports.',
        codes: { OtherPrivileged: { severity: 'error', description: 'Privileged.', fixable: true } },
      },
      check({ workload, report }) {
        for (const container of workload.containers) {
          const path = [...container.path, 'securityContext', 'privileged'];
          report({
            code: 'OtherPrivileged',
            message: 'privileged',
            path,
            container,
            patches: [{ op: 'set', path, value: false }],
          });
        }
      },
    };
    const text = podWith(privilegedContainer('a', '# kubemend-disable-line PrivilegedTrue -- legacy'));
    const rules = [RULES.find((rule) => rule.meta.id === 'privileged')!, other];
    const report = fixTexts([{ file: 'pod.yaml', text }], [], { rules, suppressions: { today: '2026-06-15' } });
    expect(report.files[0]!.after).toBe(text);
    expect(report.files[0]!.problems).toEqual([
      'a fix would change or move a finding that a suppression accepts, so the file is left as it was; fix it by hand: OtherPrivileged (Pod/p, container a)',
    ]);
    expect(report.results[0]!.suppressed.map((finding) => finding.code)).toEqual(['PrivilegedTrue']);
  });
});
