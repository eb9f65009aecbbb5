import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli } from './support/cli.js';
import { CLEAN_POD, PRIVILEGED_POD } from './support/manifests.js';

describe("kubeaudit's command line: flags and formats", () => {
  const dir = fixtureDir({ 'bad.yaml': PRIVILEGED_POD, 'good.yaml': CLEAN_POD });

  it('-e sets the exit status for error findings (default 2); -m filters output but not the exit status', async () => {
    expect((await runCli(['privileged', '-f', 'bad.yaml'], { cwd: dir })).status).toBe(2);
    expect((await runCli(['priv', '-f', 'bad.yaml', '-e', '7'], { cwd: dir })).status).toBe(7);
    expect((await runCli(['privileged', '-f', 'good.yaml'], { cwd: dir })).status).toBe(0);
    const errorsOnly = await runCli(['all', '-f', 'good.yaml', '-p', 'json', '-m', 'ERROR'], { cwd: dir });
    expect(
      errorsOnly.stdout
        .split('\n')
        .filter(Boolean)
        .every((line) => JSON.parse(line).level === 'error'),
    ).toBe(true);
  });

  it('-p logrus and -p pretty name the code, the file and the position', async () => {
    const logrus = (await runCli(['privileged', '-f', 'bad.yaml', '-p', 'logrus'], { cwd: dir })).stdout;
    expect(logrus).toMatch(
      /^time=\S+ level=error msg=".*" AuditResultName=PrivilegedTrue Column=21 Container=app File=bad.yaml Line=10 /m,
    );
    const pretty = (await runCli(['privileged', '-f', 'bad.yaml', '--no-color'], { cwd: dir })).stdout;
    expect(pretty).toContain('-- [error] PrivilegedTrue');
    expect(pretty).toContain('Location: bad.yaml:10:21');
    expect((await runCli(['hostns', '-f', 'good.yaml'], { cwd: dir })).stdout).toContain(
      'All checks completed. 0 high-risk vulnerabilities found',
    );
  });

  it('-p sarif has line hashes and fixes from the file, as kubemend --format sarif does', async () => {
    const sarif = JSON.parse((await runCli(['privileged', '-f', 'bad.yaml', '-p', 'sarif'], { cwd: dir })).stdout) as {
      runs: { results: { partialFingerprints: Record<string, string>; fixes?: unknown[] }[] }[];
    };
    const [result] = sarif.runs[0]!.results;
    expect(result!.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
    expect(result!.fixes).toHaveLength(1);
  });

  it('-f repeats and takes directories; a file it cannot read exits 1 as kubeaudit does', async () => {
    const both = await runCli(['privileged', '-f', 'bad.yaml', '-f', '.', '-p', 'json'], { cwd: dir });
    const files = both.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line).File as string);
    expect(new Set(files)).toEqual(new Set(['bad.yaml']));
    const missing = await runCli(['all', '-f', 'missing.yaml'], { cwd: dir });
    expect(missing.status).toBe(1);
    expect(missing.stdout + missing.stderr).toMatch(/missing\.yaml:1:1: no such file/);
  });

  it('says what to do instead of cluster mode, and without -f', async () => {
    const cluster = await runCli(['all', '--kubeconfig', 'x'], { cwd: dir });
    expect(cluster.status).toBe(1);
    expect(cluster.stderr).toMatch(/not clusters: pass the manifests with -f/);
    expect((await runCli(['all'], { cwd: dir })).stderr).toMatch(/no manifest: pass one with -f/);
    expect((await runCli(['privileged', '-f', 'bad.yaml', '-p', 'xml'], { cwd: dir })).stderr).toMatch(
      /-p\/--format must be pretty, json, logrus or sarif/,
    );
  });

  // The commands' options are added only when one runs or help is printed (a lint never needs them).
  it("lists each command's options in every help, and refuses an unknown flag as kubeaudit would", async () => {
    const programHelp = (await runCli(['--help'])).stdout;
    expect(programHelp).toMatch(/^ {2}all \[options\] /m);
    expect(programHelp).toMatch(/^ {2}capabilities\|caps \[options\] /m);
    const commands = [
      { args: ['limits', '--help'], usage: 'limits [options]', flag: '--cpu <quantity>' },
      { args: ['caps', '--help'], usage: 'capabilities|caps [options]', flag: '--allow-add-list <caps>' },
    ];
    for (const { args, usage, flag } of commands) {
      const help = await runCli(args);
      expect(help.status).toBe(0);
      expect(help.stdout.split('\n')[0]).toBe(`Usage: kubemend ${usage}`);
      expect(help.stdout).toContain('-f, --manifest <path>');
      expect(help.stdout).toContain(flag);
    }
    const unknown = await runCli(['all', '-f', 'good.yaml', '--cpuu', '1'], { cwd: dir });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--cpuu'\n\(Did you mean --cpu\?\)/);
  });
});
