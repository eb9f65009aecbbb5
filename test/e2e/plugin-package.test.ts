import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, spawnProcess } from '../support/cli.js';

/*
 * examples/plugin as a user gets it: kubemend packed (npm pack) and installed from the tarball in a project of its
 * own (dependencies from the npm registry), the example copied there; the plugin imports `kubemend/rule` from that
 * installation, not from this checkout.
 */

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let project: string;
let example: string;

async function npm(args: string[], cwd: string): Promise<string> {
  const run = await spawnProcess(NPM, args, { cwd });
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
  return run.stdout;
}

function kubemend(args: string[]) {
  return spawnProcess(
    process.execPath,
    [path.join(project, 'node_modules', 'kubemend', 'bin', 'kubemend.js'), ...args],
    {
      cwd: example,
    },
  );
}

beforeAll(async () => {
  project = mkdtempSync(path.join(tmpdir(), 'kubemend-plugin-'));
  // `npm test:e2e` has built dist/: packing needs no prepare script.
  await npm(['pack', '--ignore-scripts', '--pack-destination', project], ROOT);
  const tarball = readdirSync(project).find((file) => file.endsWith('.tgz'))!;
  writeFileSync(path.join(project, 'package.json'), '{ "private": true }\n');
  await npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', `./${tarball}`], project);
  example = path.join(project, 'plugin');
  cpSync(path.join(ROOT, 'examples', 'plugin'), example, { recursive: true });
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('examples/plugin from the installed package', () => {
  it('reports the plugin findings beside the built-in ones', async () => {
    const { status, stdout, stderr } = await kubemend(['--format', 'json', 'deployment.yaml']);
    expect({ status, stderr }).toEqual({ status: 1, stderr: '' });
    const findings = (JSON.parse(stdout) as { results: { findings: { rule: string; code: string }[] }[] }).results[0]!
      .findings;
    expect(findings.filter((finding) => finding.rule === 'acme/allowed-registries').map((f) => f.code)).toEqual([
      'ImageDigestMissing',
      'ImageRegistryNotAllowed',
      'ImageDigestMissing',
    ]);
  });

  it('fixes with the plugin, and lists its rules', async () => {
    const diff = await kubemend(['--diff', '--fix-only', 'ImageRegistryNotAllowed', 'deployment.yaml']);
    expect(diff.stdout).toContain('+          image: mirror.example.com/dockerhub/nginx:1.27\n');
    const rules = await kubemend(['rules']);
    expect(rules.stdout).toMatch(/^acme\/allowed-registries +ImageDigestMissing +error +no /m);
  });

  it('gives the plugin rules SARIF help', async () => {
    const { stdout } = await kubemend(['--format', 'sarif', 'deployment.yaml']);
    const sarif = JSON.parse(stdout) as {
      runs: { tool: { driver: { rules: { id: string; name: string; help: { markdown: string } }[] } } }[];
    };
    const rule = sarif.runs[0]!.tool.driver.rules.find((candidate) => candidate.id === 'ImageRegistryNotAllowed');
    expect(rule?.name).toBe('acme/allowed-registries/ImageRegistryNotAllowed');
    expect(rule?.help.markdown).toContain('# acme/allowed-registries');
  });
});
