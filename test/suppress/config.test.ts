import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli, runJson } from '../support/cli.js';
import { PRIVILEGED, cliOptions, lintFiles, podWith, privilegedContainer } from './support.js';

/** A privileged DaemonSet `name` in `namespace`, with containers `driver` and `helper`. */
function daemonSet(name: string, namespace: string): string {
  const containers = [privilegedContainer('driver'), privilegedContainer('helper')]
    .join('')
    .replace(/^ {4}/gm, '        ');
  return (
    `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ${name}\n  namespace: ` +
    `${namespace}\nspec:\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n ` +
    `     labels: {app: x}\n    spec:\n      containers:\n${containers}`
  );
}

const FILES = {
  'legacy/storage.yaml': daemonSet('csi', 'kube-system'),
  'legacy/pod.yaml': podWith(privilegedContainer('driver')),
  'apps/storage.yaml': daemonSet('csi', 'kube-system'),
};

/** Which findings (file, kind, container) an entry suppressed, and which stayed. */
async function split(entry: string) {
  const dir = fixtureDir({ ...FILES, '.kubemend.yaml': `suppressions:\n${entry}` });
  const { status, report, stderr } = await runJson([...PRIVILEGED, 'legacy', 'apps'], cliOptions(dir));
  const describe = (file: string, finding: { resource: { kind: string }; container: string | null }) =>
    `${file} ${finding.resource.kind} ${finding.container}`;
  return {
    status,
    stderr,
    report,
    suppressed: report.results.flatMap((result) => result.suppressed.map((finding) => describe(result.file, finding))),
    findings: report.results.flatMap((result) => result.findings.map((finding) => describe(result.file, finding))),
  };
}

describe('suppressions in .kubemend.yaml', () => {
  it('select by files (relative to the config file), kinds and containers, all of which must match', async () => {
    const { status, suppressed, findings, report } = await split(
      '  - rules: [privileged]\n    files: ["legacy/**"]\n    kinds: [DaemonSet]\n    ' +
        'containers: [driver]\n    reason: legacy storage driver, tracked in OPS-42\n    until: 2027-03-31\n',
    );
    expect(status).toBe(1);
    expect(suppressed).toEqual([path.join('legacy', 'storage.yaml') + ' DaemonSet driver']);
    expect(findings).toEqual([
      `${path.join('legacy', 'pod.yaml')} Pod driver`,
      `${path.join('legacy', 'storage.yaml')} DaemonSet helper`,
      `${path.join('apps', 'storage.yaml')} DaemonSet driver`,
      `${path.join('apps', 'storage.yaml')} DaemonSet helper`,
    ]);
    const entry = report.results.flatMap((result) => result.suppressed)[0]!;
    expect(entry.suppression).toEqual({
      kind: 'config',
      reason: 'legacy storage driver, tracked in OPS-42',
      until: '2027-03-31',
    });
  });

  it('select by names and namespaces; a folder pattern covers everything below it', async () => {
    const byName = await split(
      '  - rules: [PrivilegedTrue]\n    names: [csi]\n    namespaces: [kube-system]\n    reason: CSI driver\n',
    );
    expect(byName.findings).toEqual([`${path.join('legacy', 'pod.yaml')} Pod driver`]);
    const byFolder = await split('  - rules: [privileged]\n    files: [legacy/]\n    reason: legacy\n');
    expect(byFolder.suppressed).toHaveLength(3);
    expect(byFolder.findings.every((finding) => finding.startsWith('apps'))).toBe(true);
  });

  it("globs start at the config file's folder when kubemend runs from a subfolder", async () => {
    const dir = fixtureDir({
      ...FILES,
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.kubemend.yaml':
        'suppressions:\n  - rules: [privileged]\n    files: [legacy/storage.yaml]\n    reason: legacy\n',
    });
    const { report } = await runJson([...PRIVILEGED, 'storage.yaml'], cliOptions(path.join(dir, 'legacy')));
    expect(report.results[0]!.findings).toEqual([]);
    expect(report.results[0]!.suppressed).toHaveLength(2);
  });

  it('an expired entry is a warning and no longer applies', async () => {
    const { status, stderr, suppressed } = await split(
      '  - rules: [privileged]\n    reason: legacy\n    until: 2026-06-14\n',
    );
    expect(status).toBe(1);
    expect(suppressed).toEqual([]);
    expect(stderr).toBe(
      'kubemend: warning: .kubemend.yaml:4:12: suppressions[0].until: expired on 2026-06-14: the ' +
        'entry no longer suppresses anything; fix its findings or move the date\n',
    );
  });

  it('without a reason the config is wrong, unless suppressionPolicy.requireReason is false', async () => {
    const dir = fixtureDir({ ...FILES, '.kubemend.yaml': 'suppressions:\n  - rules: [privileged]\n' });
    const run = await runCli([...PRIVILEGED, 'legacy'], cliOptions(dir));
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'kubemend: .kubemend.yaml:2:5: suppressions[0]: reason is missing: say why these findings are accepted (or set suppressionPolicy.requireReason: false)\n',
    );
    const relaxed = await split('  - rules: [privileged]\nsuppressionPolicy:\n  requireReason: false\n');
    expect(relaxed.findings).toEqual([]);
    expect(relaxed.report.results[0]!.suppressed[0]!.suppression).toEqual({
      kind: 'config',
      reason: null,
      until: null,
    });
  });

  const wrong: [string, string, string][] = [
    [
      'an unknown rule',
      '  - rules: [privilegd]\n    reason: x\n',
      'kubemend: .kubemend.yaml:2:13: suppressions[0].rules[0]: unknown rule or code "privilegd"; did you mean privileged?\n',
    ],
    [
      'a date that does not exist',
      '  - rules: [privileged]\n    reason: x\n    until: 2027-02-30\n',
      'kubemend: .kubemend.yaml:4:12: suppressions[0].until: must be a date written YYYY-MM-DD, not "2027-02-30"\n',
    ],
    [
      'an unknown selector',
      '  - rules: [privileged]\n    reason: x\n    pods: [a]\n',
      'kubemend: .kubemend.yaml:4:5: suppressions[0].pods: unknown key (known: rules, files, kinds, names, namespaces, containers, reason, until)\n',
    ],
  ];

  it.each(wrong)('%s: exit 2, naming the place', async (_, entry, message) => {
    const dir = fixtureDir({ ...FILES, '.kubemend.yaml': `suppressions:\n${entry}` });
    const run = await runCli([...PRIVILEGED, 'legacy'], cliOptions(dir));
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(message);
  });

  it('an unknown name in suppressionPolicy.unsuppressible is wrong too', async () => {
    const dir = fixtureDir({ ...FILES, '.kubemend.yaml': 'suppressionPolicy:\n  unsuppressible: [PrivilegedTru]\n' });
    const run = await runCli([...PRIVILEGED, 'legacy'], cliOptions(dir));
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'kubemend: .kubemend.yaml:2:20: suppressionPolicy.unsuppressible[0]: unknown rule or code "PrivilegedTru"; did you mean PrivilegedTrue?\n',
    );
  });

  it('may accept the findings of the suppressions rule', async () => {
    const text = podWith(privilegedContainer('app', '# kubemend-disable-line hostns -- legacy'));
    const { findings, suppressed } = await lintFiles(
      {
        '.kubemend.yaml': 'suppressions:\n  - rules: [SuppressionUnused]\n    reason: cleaned up in OPS-7\n',
        'pod.yaml': text,
      },
      [...PRIVILEGED, '--rule', 'hostns'],
    );
    expect(findings.map((finding) => finding.code)).toEqual(['PrivilegedTrue']);
    expect(suppressed.map((finding) => finding.code)).toEqual(['SuppressionUnused']);
  });
});
