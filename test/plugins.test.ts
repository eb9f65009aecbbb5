import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, fixtureDir, runCli, runJson } from './support/cli.js';

/*
 * Plugins named in `.kubemend.yaml`: examples/plugin (written against kubemend/rule, resolved here through the
 * package's own exports) and small plugins in temporary folders for the contract and the errors.
 */

const EXAMPLE = path.join(ROOT, 'examples', 'plugin');
const made: string[] = [];

function folder(files: Record<string, string>): string {
  const dir = fixtureDir(files);
  made.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: production
spec:
  containers:
    - name: app
      image: nginx:1.27
`;

/** A plugin without imports: one workload rule reporting every container, with a fix. */
const TINY_PLUGIN = `export default {
  name: 'tiny',
  rules: [
    {
      kind: 'workload',
      meta: {
        id: 'every-container',
        description: 'Reports every container.',
        codes: { TinyContainer: { severity: 'warning', description: 'A container.', fixable: true } },
        options: { label: { description: 'A label.', schema: { type: 'string' }, default: 'x' } },
      },
      check({ workload, options, report }) {
        for (const container of workload.containers)
          report({
            code: 'TinyContainer',
            message: 'container ' + container.name + ' ' + options.label,
            path: [...container.path, 'name'],
            container,
            patches: [{ op: 'set', path: [...container.path, 'name'], value: 'renamed' }],
          });
      },
    },
  ],
};
`;

describe('plugins from .kubemend.yaml', () => {
  it('runs the example plugin beside the built-in rules, with its options from the config', async () => {
    const { status, report } = await runJson(['deployment.yaml'], { cwd: EXAMPLE });
    expect(status).toBe(1);
    const findings = report.results[0]!.findings.filter((finding) => finding.rule === 'acme/allowed-registries');
    expect(findings.map((finding) => [finding.code, finding.container, finding.fixable])).toEqual([
      ['ImageDigestMissing', 'web', false],
      ['ImageRegistryNotAllowed', 'web', true],
      ['ImageDigestMissing', 'metrics', false],
    ]);
    expect(report.results[0]!.findings.some((finding) => finding.rule === 'privesc')).toBe(true);
  });

  it('offers the plugin fix in --diff', async () => {
    const { status, stdout } = await runCli(['--diff', '--fix-only', 'acme/allowed-registries', 'deployment.yaml'], {
      cwd: EXAMPLE,
    });
    expect(status).toBe(1);
    expect(stdout).toContain(
      '-          image: nginx:1.27\n+          image: mirror.example.com/dockerhub/nginx:1.27\n',
    );
  });

  it('lists the plugin rules in kubemend rules', async () => {
    const { status, stdout } = await runCli(['rules', '--format', 'json'], { cwd: EXAMPLE });
    expect(status).toBe(0);
    const codes = (JSON.parse(stdout) as { codes: { rule: string; code: string; fixable: boolean }[] }).codes;
    expect(codes.filter((row) => row.rule.startsWith('acme/'))).toEqual([
      expect.objectContaining({ rule: 'acme/allowed-registries', code: 'ImageRegistryNotAllowed', fixable: true }),
      expect.objectContaining({ rule: 'acme/allowed-registries', code: 'ImageDigestMissing', fixable: false }),
    ]);
  });

  it('gives the plugin rules SARIF rules with their help', async () => {
    const { stdout } = await runCli(['--format', 'sarif', 'deployment.yaml'], { cwd: EXAMPLE });
    const sarif = JSON.parse(stdout) as {
      runs: { tool: { driver: { rules: { id: string; name: string; help: { markdown: string } }[] } } }[];
    };
    const rule = sarif.runs[0]!.tool.driver.rules.find((candidate) => candidate.id === 'ImageDigestMissing');
    expect(rule?.name).toBe('acme/allowed-registries/ImageDigestMissing');
    expect(rule?.help.markdown).toContain('# acme/allowed-registries');
  });

  it('explains the plugin codes from the plugin docs', async () => {
    const { status, stdout } = await runCli(['explain', 'ImageDigestMissing'], { cwd: EXAMPLE });
    expect(status).toBe(0);
    expect(stdout).toMatch(/^acme\/allowed-registries\/ImageDigestMissing {2}error; no automatic fix/);
    expect(stdout).toContain('https://github.com/kubemend/kubemend/blob/main/README.md#plugins');
  });

  it('takes severities, options and on/off for plugin rules like built-in ones', async () => {
    const dir = folder({
      'rules.mjs': TINY_PLUGIN,
      '.kubemend.yaml': `plugins: [./rules.mjs]
rules:
  tiny/every-container: { severity: error, options: { label: configured } }
  privesc: off
`,
      'pod.yaml': POD,
    });
    const { report } = await runJson(['--rule', 'tiny/every-container', 'pod.yaml'], { cwd: dir });
    expect(report.results[0]!.findings.map(({ rule, severity, message }) => ({ rule, severity, message }))).toEqual([
      { rule: 'tiny/every-container', severity: 'error', message: 'container app configured' },
    ]);
  });

  it("leaves plugin rules out of kubeaudit's commands", async () => {
    const { stdout } = await runCli(['all', '-p', 'json', '-f', 'deployment.yaml'], { cwd: EXAMPLE });
    expect(stdout).toContain('"AuditResultName":"AllowPrivilegeEscalationNil"');
    expect(stdout).not.toContain('ImageDigestMissing');
  });

  it('loads a plugin by package name, resolved from the config file', async () => {
    const dir = folder({
      'node_modules/kubemend-plugin-tiny/package.json': '{"name":"kubemend-plugin-tiny","exports":"./index.mjs"}',
      'node_modules/kubemend-plugin-tiny/index.mjs': TINY_PLUGIN,
      '.kubemend.yaml': 'plugins: [kubemend-plugin-tiny]\n',
      'pod.yaml': POD,
    });
    const { report } = await runJson(['pod.yaml'], { cwd: dir });
    expect(report.results[0]!.findings.filter((finding) => finding.rule === 'tiny/every-container')).toHaveLength(1);
  });

  it.each([
    [
      'a missing file',
      { '.kubemend.yaml': 'plugins:\n  - ./missing.mjs\n' },
      /^kubemend: \.kubemend\.yaml:2:5: plugins\[0\]: cannot load plugin \.\/missing\.mjs: no such file: .*missing\.mjs$/m,
    ],
    [
      'a package that is not installed',
      { '.kubemend.yaml': 'plugins: [kubemend-plugin-nowhere]\n' },
      /^kubemend: \.kubemend\.yaml:1:11: plugins\[0\]: cannot load plugin kubemend-plugin-nowhere: no such package from .* \(install it there: npm install kubemend-plugin-nowhere\)$/m,
    ],
    [
      'a module that throws',
      { '.kubemend.yaml': 'plugins: [./broken.mjs]\n', 'broken.mjs': 'throw new Error("no registry list");\n' },
      /^kubemend: \.kubemend\.yaml:1:11: plugins\[0\]: cannot load plugin \.\/broken\.mjs: no registry list$/m,
    ],
    [
      'no plugin as default export',
      { '.kubemend.yaml': 'plugins: [./rules.mjs]\n', 'rules.mjs': 'export const rules = [];\n' },
      /plugins\[0\]: plugin \.\/rules\.mjs: its default export must be a plugin: \{ name, rules \}/,
    ],
    [
      'a rule that breaks the contract',
      {
        '.kubemend.yaml': 'plugins: [./rules.mjs]\n',
        'rules.mjs': "export default { name: 'bad', rules: [{ kind: 'workload', meta: { id: 'x', codes: {} } }] };\n",
      },
      /plugin \.\/rules\.mjs: it breaks the rule contract of kubemend\/rule: rules\[0\]\.check must be a function/,
    ],
    [
      'a code a built-in rule has',
      {
        '.kubemend.yaml': 'plugins: [./rules.mjs]\n',
        'rules.mjs': TINY_PLUGIN.replaceAll('TinyContainer', 'PrivilegedTrue'),
      },
      /tiny\/every-container declares PrivilegedTrue, which privileged declares too: codes must be unique/,
    ],
    ['plugins that are not a list', { '.kubemend.yaml': 'plugins: ./rules.mjs\n' }, /plugins: must be a list/],
  ])('refuses %s with a located config error (exit 2)', async (_name, files, expected) => {
    const dir = folder({ ...files, 'pod.yaml': POD });
    const { status, stdout, stderr } = await runCli(['pod.yaml'], { cwd: dir });
    expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderr).toMatch(expected);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
