import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const ESC = '\u001b[';

describe('kubemend explain', () => {
  it('a code: what it means, whether --fix repairs it, then the rule README: why, how to fix, kubeaudit differences', async () => {
    const run = await runCli(['explain', 'CapabilityAdded']);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('capabilities/CapabilityAdded  error; kubemend --fix repairs it');
    expect(lines[1]).toMatch(/^ {2}The container adds a capability/);
    for (const heading of ['# capabilities', '## Why it matters', '## How to fix']) expect(lines).toContain(heading);
    expect(run.stdout).toMatch(/^## (Compared with|Differences from|Where kubemend differs from) kubeaudit$/m);
    // Tables are aligned as text, code blocks indented, nothing left of the markdown syntax around them.
    expect(run.stdout).toMatch(/^ {2}Code +Severity +When$/m);
    expect(run.stdout).not.toMatch(/^\|/m);
    expect(run.stdout).not.toContain('```');
    expect(run.stdout).not.toContain(ESC);
  });

  it('says when a code has no automatic fix', async () => {
    expect((await runCli(['explain', 'SensitivePathsMounted'])).stdout.split('\n')[0]).toBe(
      'mounts/SensitivePathsMounted  error; no automatic fix: change the manifest by hand',
    );
  });

  it('takes a rule id, rule/Code as stylish counts it, an allowed code, and the codes of no rule', async () => {
    const rule = await runCli(['explain', 'pss/privileged']);
    expect(rule.stdout).toMatch(/^pss\/privileged\/PssPrivileged {2}error; kubemend --fix repairs it$/m);
    expect(rule.stdout).toContain('# pss/privileged');
    expect((await runCli(['explain', 'privileged/PrivilegedTrue'])).stdout).toMatch(/^privileged\/PrivilegedTrue /);
    expect((await runCli(['explain', 'PrivilegedTrueAllowed'])).stdout).toMatch(/^privileged\/PrivilegedTrue /);
    expect((await runCli(['explain', 'RedundantAuditorOverride'])).stdout).toMatch(/^# RedundantAuditorOverride$/m);
    expect((await runCli(['explain', 'file-error'])).stdout).toMatch(/^# ManifestParseError$/m);
  });

  it('makes relative links absolute, so they can be followed from a terminal', async () => {
    const run = await runCli(['explain', 'pss/hostPorts']);
    expect(run.stdout).toMatch(
      /README \(https:\/\/github\.com\/[\w-]+\/[\w-]+\/blob\/main\/README\.md#pod-security-standards\)/,
    );
    expect(run.stdout).not.toContain('](');
  });

  it('explains every code kubemend rules lists', async () => {
    const { codes } = JSON.parse((await runCli(['rules', '--format', 'json'])).stdout) as {
      codes: { rule: string; code: string }[];
    };
    for (const { rule, code } of codes) {
      const run = await runCli(['explain', code]);
      expect(run.status, code).toBe(0);
      expect(run.stdout.split('\n')[0], code).toMatch(new RegExp(`^${rule}/${code} `));
    }
  });

  it('an unknown name is a usage error with a did-you-mean', async () => {
    const run = await runCli(['explain', 'privilegd']);
    expect(run).toMatchObject({ status: 2, stdout: '' });
    expect(run.stderr).toBe(
      'kubemend: no rule or finding code is called "privilegd"; did you mean privileged? (kubemend rules lists them)\n',
    );
  });

  it('colours headings and code on a terminal, or when FORCE_COLOR asks', async () => {
    expect((await runCli(['explain', 'PrivilegedTrue'], { env: { FORCE_COLOR: '1' } })).stdout).toContain(
      `${ESC}1m# privileged`,
    );
    expect(
      (await runCli(['explain', '--no-color', 'PrivilegedTrue'], { env: { FORCE_COLOR: '1' } })).stdout,
    ).not.toContain(ESC);
  });
});
