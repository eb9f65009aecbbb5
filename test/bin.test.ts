import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, fixtureDir, runCli, spawnCli, spawnProcess, type CliRun } from './support/cli.js';
import { CLEAN_POD, PRIVILEGED_POD } from './support/manifests.js';

/*
 * The rest of the suite calls main() in-process; these few run the real executable, as a shell, a hook or CI
 * does, for what only a real process shows: the bin script, process exit codes, real stdin and pipes.
 */
const RUN_BUNDLE = path.join(ROOT, 'bin', 'run-bundle.js');

describe('the kubemend executable', () => {
  // bin/ answers these without loading the command line; they must print what the command line prints.
  it.each([['--version'], ['-V'], ['version']])('prints the package version for %s', async (flag) => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = await spawnCli([flag]);
    expect(run).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '' });
    expect(await runCli([flag])).toEqual({ status: 0, stdout: run.stdout, stderr: '' });
  });

  it('compiles the bundle from the code cache made at build time', async () => {
    const check = `const { readFileSync } = await import('node:fs');
const { CODE_CACHE, compileBundle } = await import(${JSON.stringify(pathToFileURL(RUN_BUNDLE).href)});
process.stdout.write(String(compileBundle(readFileSync(CODE_CACHE)).cachedDataRejected));`;
    const run = await spawnProcess(process.execPath, ['--input-type=module', '-e', check]);
    expect(run).toMatchObject({ status: 0, stdout: 'false', stderr: '' });
  });

  it('ignores a code cache that V8 rejects (made by another Node) and prints the same', async () => {
    const copy = fixtureDir({ 'package.json': readFileSync(path.join(ROOT, 'package.json'), 'utf8') });
    cpSync(path.join(ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
    cpSync(path.join(ROOT, 'dist', 'cli'), path.join(copy, 'dist', 'cli'), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    writeFileSync(path.join(copy, 'dist', 'cli', 'kubemend.cjs.v8-cache'), 'not a V8 code cache');
    const args = ['--no-project-context', 'test/conformance/kubeaudit/fixtures/privileged'];
    const run = await spawnProcess(process.execPath, [path.join(copy, 'bin', 'kubemend.js'), ...args]);
    expect(run.stdout).toContain('PrivilegedTrue');
    expect(run).toEqual(await spawnCli(args));
  });

  it('exits 0 on a clean manifest, 1 on an error finding and 2 on a broken file', async () => {
    const dir = fixtureDir({ 'clean.yaml': CLEAN_POD, 'bad.yaml': PRIVILEGED_POD, 'broken.yaml': 'kind: [\n' });
    const args = ['--rule', 'privileged'];
    expect((await spawnCli([...args, 'clean.yaml'], { cwd: dir })).status).toBe(0);
    const bad = await spawnCli([...args, 'bad.yaml'], { cwd: dir });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('PrivilegedTrue');
    const broken = await spawnCli([...args, 'broken.yaml'], { cwd: dir });
    expect(broken.status).toBe(2);
    expect(broken.stdout).toContain('broken.yaml');
    expect(broken.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('reads a manifest from stdin and writes the fixed one to stdout', async () => {
    const run = await spawnCli(['--fix', '--rule', 'privileged', '-'], { input: PRIVILEGED_POD });
    expect(run.stdout).toBe(PRIVILEGED_POD.replace('privileged: true', 'privileged: false'));
    expect(run.status).toBe(0);
  });

  it('stops quietly when the reader of its output goes away', async () => {
    // Far more than a pipe holds, so kubemend is still writing when `head` exits.
    const lint = `"${process.execPath}" bin/kubemend.js --format json test/conformance/kubeaudit/fixtures`;
    const run = await spawnProcess('sh', ['-c', `${lint} | head -c 10`]);
    expect(run.stdout).toBe('{"version"');
    expect(run.stderr).toBe('');
  });

  // Every path that loads code lazily (formats, ajv for config files, fast-glob for folders, diff, plugins),
  // run by both.
  const FIXTURES = 'test/conformance/kubeaudit/fixtures';
  it.each([
    ['json', ['--format', 'json', FIXTURES]],
    ['sarif', ['--format', 'sarif', FIXTURES]],
    ['stylish', ['--no-color', FIXTURES]],
    ['github', ['--format', 'github', FIXTURES]],
    ['kubeaudit json', ['all', '-f', `${FIXTURES}/privileged`, '-p', 'json']],
    ['a diff', ['--diff', `${FIXTURES}/privileged`]],
    ['a config file', ['-c', 'config.yaml', 'pod.yaml']],
    ['a config file with an error', ['-c', 'broken-config.yaml', 'pod.yaml']],
    ['a kubeaudit config file', ['-k', 'kubeaudit.yaml', 'pod.yaml']],
    ['a plugin (an ES module)', ['-c', 'examples/plugin/.kubemend.yaml', 'examples/plugin/deployment.yaml']],
    ['rules', ['rules', '--format', 'json']],
    [
      'the corpus sample in two threads',
      ['--format', 'json', '--jobs', '2', '--jobs-threshold', '1', 'test/fixtures/corpus'],
    ],
  ])(
    'prints what the unbundled library code prints (bin/ runs the esbuild bundle in dist/cli/): %s',
    async (_, args) => {
      const dir = fixtureDir({
        'pod.yaml': PRIVILEGED_POD,
        'config.yaml': 'rules:\n  privileged:\n    severity: warning\n',
        'broken-config.yaml': 'rules:\n  privilegd: off\n',
        'kubeaudit.yaml': 'enabledAuditors:\n  privileged: false\n',
      });
      const cwd = args.includes('pod.yaml') ? dir : ROOT;
      // kubeaudit's JSON stamps each line with the time it was written.
      const untimed = (run: CliRun) => ({ ...run, stdout: run.stdout.replace(/"time":"[^"]*"/g, '"time":""') });
      const [bundled, unbundled] = [await spawnCli(args, { cwd }), await runCli(args, { cwd })];
      expect(bundled.stdout.length + bundled.stderr.length).toBeGreaterThan(20);
      expect(bundled.stderr).not.toContain('internal error');
      expect(untimed(bundled)).toEqual(untimed({ ...unbundled, signal: null }));
    },
  );

  // Writing fixed files uses node:fs/promises, which the bundle loads only when a property of it is first used.
  it('fixes a file in place as the unbundled library code does', async () => {
    const files = { 'pod.yaml': PRIVILEGED_POD };
    const [bundledDir, unbundledDir] = [fixtureDir(files), fixtureDir(files)];
    const args = ['--fix', '--rule', 'privileged', 'pod.yaml'];
    const bundled = await spawnCli(args, { cwd: bundledDir });
    const unbundled = await runCli(args, { cwd: unbundledDir });
    expect(bundled).toEqual({ ...unbundled, signal: null });
    const fixed = readFileSync(path.join(bundledDir, 'pod.yaml'), 'utf8');
    expect(fixed).toBe(PRIVILEGED_POD.replace('privileged: true', 'privileged: false'));
    expect(readFileSync(path.join(unbundledDir, 'pod.yaml'), 'utf8')).toBe(fixed);
  });

  it('turns a usage error into one line and exit 2', async () => {
    const run = await spawnCli(['--no-such-flag']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: unknown option '--no-such-flag'/);
  });
});
