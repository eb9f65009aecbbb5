import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixtureDir, ROOT, runCli, runJson } from './support/cli.js';

const SCHEMA = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'kubemend-config.schema.json'), 'utf8')) as object;

describe('kubemend init', () => {
  it('writes a commented .kubemend.yaml that validates against the schema', async () => {
    const dir = fixtureDir({});
    const run = await runCli(['init'], { cwd: dir });
    expect(run).toMatchObject({ status: 0, stdout: '' });
    expect(run.stderr).toMatch(/^kubemend: wrote \.kubemend\.yaml: /);
    const text = readFileSync(path.join(dir, '.kubemend.yaml'), 'utf8');
    expect(text).toMatch(
      /^# yaml-language-server: \$schema=\.\/node_modules\/kubemend\/schemas\/kubemend-config\.schema\.json\n/,
    );
    const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('lists the profile, every rule and every option at its default, each with a comment', async () => {
    const text = (await runCli(['init', '--stdout'])).stdout;
    const config = parse(text) as {
      profile: string;
      pssVersion: string;
      rules: Record<string, unknown>;
      ignore: string[];
    };
    expect(config.profile).toBe('kubeaudit');
    expect(config.pssVersion).toBe('latest');
    expect(config.ignore).toEqual([]);
    const { codes } = JSON.parse((await runCli(['rules', '--format', 'json'])).stdout) as { codes: { rule: string }[] };
    expect(Object.keys(config.rules).sort()).toEqual([...new Set(codes.map((code) => code.rule))].sort());
    expect(config.rules.privileged).toBe('on');
    expect(config.rules.capabilities).toEqual({ options: { allowAddList: [] } });
    expect(config.rules.mounts).toMatchObject({
      options: { denyPathsList: expect.arrayContaining(['/var/run/docker.sock']) },
    });
    expect(text).toMatch(/^ {2}# Containers must not run privileged\.\n {2}privileged: on$/m);
    expect(text.split('\n').every((line) => line.length <= 120)).toBe(true);
  });

  it('changes nothing: a run with it finds what a run without a config finds', async () => {
    const dir = fixtureDir({});
    cpSync(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
    const without = await runJson(['examples'], { cwd: dir });
    await runCli(['init'], { cwd: dir });
    const withConfig = await runJson(['examples'], { cwd: dir });
    expect(withConfig.stderr).toBe('');
    expect(withConfig.report).toEqual(without.report);
  });

  it('does not replace an existing config unless --force', async () => {
    const dir = fixtureDir({ '.kubemend.yml': 'rules:\n  limits: off\n' });
    const refused = await runCli(['init'], { cwd: dir });
    expect(refused).toMatchObject({ status: 2 });
    expect(refused.stderr).toBe(
      'kubemend: .kubemend.yml exists already: edit it, or run kubemend init --force to replace it\n',
    );
    expect(readFileSync(path.join(dir, '.kubemend.yml'), 'utf8')).toBe('rules:\n  limits: off\n');
    expect((await runCli(['init', '--force'], { cwd: dir })).status).toBe(0);
    expect(readFileSync(path.join(dir, '.kubemend.yml'), 'utf8')).toContain('profile: kubeaudit');
  });
});
