import { describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { CONFORMANCE_DIR } from './support/conformance.js';
import { fixtureDir, runCli, runJson, type JsonFinding } from './support/cli.js';
import { pod } from './support/manifests.js';

/** Every finding kubeaudit's fixtures give, under both profiles: they reach every code of every rule. */
async function allFindings(): Promise<JsonFinding[]> {
  const findings: JsonFinding[] = [];
  for (const profile of ['kubeaudit', 'pss-restricted']) {
    const { report } = await runJson(['--profile', profile, `${CONFORMANCE_DIR}/fixtures`, 'examples']);
    findings.push(...report.results.flatMap((result) => result.findings));
  }
  return findings;
}

describe('messages: a short one for a terminal line, the whole story in details', () => {
  it('every message is one short sentence; details say more, starting with the same thing', async () => {
    const findings = await allFindings();
    expect(findings.length).toBeGreaterThan(1000);
    for (const finding of findings) {
      const where = `${finding.code}: ${finding.message}`;
      expect(finding.message.length, where).toBeLessThanOrEqual(120);
      expect(finding.message, where).not.toMatch(/\.(\s|$)/);
      expect(finding.details.length, where).toBeGreaterThanOrEqual(finding.message.length);
    }
    const codes = new Set(findings.map((finding) => finding.code));
    expect(codes.size).toBeGreaterThan(50);
  });

  const dir = fixtureDir({
    'p.yaml': pod(
      '  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n',
    ),
  });
  const args = ['--rule', 'privileged', 'p.yaml'];
  const SHORT = 'container "app" runs privileged';
  const LONG =
    /^container "app" runs privileged: it gets every Linux capability and the host's devices\. Set securityContext\.privileged to false$/;

  it('JSON has both; SARIF gives the short one and the README as help', async () => {
    const { report } = await runJson(args, { cwd: dir });
    expect(report.results[0]!.findings[0]).toMatchObject({ message: SHORT, details: expect.stringMatching(LONG) });
    const sarif = JSON.parse((await runCli(['--format', 'sarif', ...args], { cwd: dir })).stdout) as Log;
    const run = sarif.runs[0]!;
    expect(run.results![0]!.message.text).toBe(`Pod/p: ${SHORT}`);
    expect(run.tool.driver.rules!.find((rule) => rule.id === 'PrivilegedTrue')!.help!.text).toMatch(/^# privileged/);
  });

  it("kubeaudit's formats and GitHub annotations, which have no help to point to, give the details", async () => {
    const logrus = (await runCli(['privileged', '-f', 'p.yaml', '-p', 'json'], { cwd: dir })).stdout;
    expect(JSON.parse(logrus.split('\n')[0]!).msg).toMatch(LONG);
    const github = (await runCli(['--format', 'github', ...args], { cwd: dir })).stdout;
    expect(github).toMatch(/::Pod\/p: container "app" runs privileged: it gets every Linux capability/);
  });

  it("keeps kubeaudit's deprecatedapis message word for word in details", async () => {
    const cronjob = fixtureDir({
      'c.yaml': 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: c\nspec: {}\n',
    });
    const { report } = await runJson(['--rule', 'deprecatedapis', 'c.yaml'], { cwd: cronjob });
    expect(report.results[0]!.findings[0]).toMatchObject({
      message: 'batch/v1beta1 CronJob is deprecated, removed in v1.25; use batch/v1',
      details:
        'batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+, introduced in v1.8+; use batch/v1 CronJob',
    });
  });

  it('an allowed finding says so in a few words; the label and its reason are in details', async () => {
    const allowed = fixtureDir({
      'a.yaml': pod(
        '  containers:\n    - name: app\n      image: x\n      securityContext:\n        privileged: true\n',
      ).replace(
        '  name: p\n',
        '  name: p\n  labels:\n    container.kubeaudit.io/app.allow-privileged: "debug agent"\n',
      ),
    });
    const { report } = await runJson(['--rule', 'privileged', 'a.yaml'], { cwd: allowed });
    expect(report.results[0]!.findings[0]).toMatchObject({
      code: 'PrivilegedTrueAllowed',
      message: `${SHORT}, allowed by an override label`,
      details: expect.stringMatching(
        /^allowed by override label container\.kubeaudit\.io\/app\.allow-privileged \(debug agent\): container "app" runs privileged: /,
      ),
    });
  });
});
