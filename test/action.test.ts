import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixtureDir, ROOT, runCli, spawnProcess } from './support/cli.js';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
  runs: { steps: Step[] };
};
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  repository: { url: string };
  bugs: { url: string };
  homepage: string;
};
const REPOSITORY = 'https://github.com/kubemend/kubemend';

describe('package.json names the repository, and SARIF links to it', () => {
  it('repository, bugs and homepage agree', () => {
    expect(PACKAGE.repository.url).toBe(`git+${REPOSITORY}.git`);
    expect(PACKAGE.bugs.url).toBe(`${REPOSITORY}/issues`);
    expect(PACKAGE.homepage).toBe(`${REPOSITORY}#readme`);
  });

  it("SARIF's helpUri and informationUri come from it", async () => {
    const sarif = JSON.parse(
      (await runCli(['--format', 'sarif', '--rule', 'privileged', 'examples/secure-pod.yaml'])).stdout,
    );
    const driver = sarif.runs[0].tool.driver;
    expect(driver.informationUri).toBe(REPOSITORY);
    expect(driver.rules[0].helpUri).toBe(`${REPOSITORY}/blob/main/rules/privileged/README.md`);
  });
});

describe('action.yml runs kubemend from its own checkout, not from the npm registry', () => {
  const steps = action.runs.steps;

  it('installs and builds in the action folder; nothing asks npm for a kubemend version', () => {
    expect(action.inputs).not.toHaveProperty('version');
    const install = steps.find((step) => step.name === 'Install kubemend')!;
    expect(install.env).toEqual({ ACTION_PATH: '${{ github.action_path }}' });
    expect(install.run).toMatch(/^npm ci --prefix "\$ACTION_PATH" /);
    for (const step of steps) expect(step.run ?? '').not.toMatch(/npx|kubemend@/);
  });

  it("its run step lints with the checkout's bin/kubemend.js, writes the SARIF and reports the exit code", async () => {
    const lint = steps.find((step) => step.name === 'Run kubemend')!;
    const dir = fixtureDir({});
    const env = {
      ACTION_PATH: ROOT,
      KUBEMEND_PATHS: 'examples/insecure-deployment.yaml examples/secure-pod.yaml',
      KUBEMEND_ARGS: '--rule privileged',
      KUBEMEND_CATEGORY: 'manifests',
      KUBEMEND_SARIF: path.join(dir, 'out.sarif'),
      GITHUB_OUTPUT: path.join(dir, 'output'),
    };
    const run = await spawnProcess('bash', ['-e', '-c', lint.run!], { cwd: ROOT, env });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toBe('exit-code=1\n');
    const sarif = JSON.parse(readFileSync(env.KUBEMEND_SARIF, 'utf8'));
    expect(sarif.runs[0].automationDetails).toEqual({ id: 'manifests/' });
    expect(sarif.runs[0].results.map((result: { ruleId: string }) => result.ruleId)).toContain('PrivilegedTrue');
  });
});
