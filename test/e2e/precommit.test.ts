import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { BIN, ROOT, fixtureDir, runCli, spawnCli, spawnProcess } from '../support/cli.js';

/** A Pod that every kubeaudit auditor accepts, so that it stays clean as rules are added. */
const SECURE = `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: runtime/default
spec:
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: registry.example.com/web:1.4.2
      resources:
        limits:
          cpu: 500m
          memory: 256Mi
      securityContext:
        privileged: false
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        runAsNonRoot: true
        capabilities:
          drop: ["ALL"]
`;

/** One finding whose fix is a one-scalar edit, so the fixed bytes do not depend on the fix engine's layout choices. */
const INSECURE = SECURE.replace('privileged: false', 'privileged: true');
const INSECURE_LINE = INSECURE.split('\n').findIndex((line) => line.includes('privileged: true')) + 1;

/** YAML that pre-commit passes to a `types: [yaml]` hook but that holds no Kubernetes object. */
const NOT_MANIFESTS: Record<string, string> = {
  '.github/workflows/ci.yml':
    'name: CI\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ' +
    'ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n',
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'chart/values.yaml':
    'replicaCount: 2\nimage:\n  repository: nginx\n  tag: ""\nsecurityContext:\n  privileged: true\nhostNetwork: true\n',
  'docker-compose.yml':
    'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n    ports:\n      - "8080:80"\n',
  '.gitlab-ci.yml':
    '.setup:\n  script: [npm ci]\ntest:\n  script:\n    - !reference [.setup, script]\n    - npm test\n',
  'cloudformation.yaml':
    'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bucket:\n    Type: ' +
    'AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub ' +
    '"${AWS::StackName}-data"\nOutputs:\n  Name:\n    Value: !Ref Bucket\n',
  'playbook.yml': '- hosts: all\n  tasks:\n    - name: ping\n      ping:\n',
  'empty.yaml': '',
};

const HELM_TEMPLATE =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "web.fullname" . }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

interface Run {
  status: number | null;
  output: string;
}

/**
 * Runs a command to completion; `output` is stdout and stderr interleaved, as pre-commit users see them.
 * Asynchronous, because a test worker blocked for a minute (installing the hook) loses its link to vitest.
 */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

async function mustRun(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status} in ${cwd}:\n${result.output}`);
  return result.output;
}

/** The test runner's environment without what would leak into the repositories under test. */
function baseEnv(): NodeJS.ProcessEnv {
  // npm_* and INIT_CWD come from `npm test` and would point npm at this checkout; GIT_* from a surrounding git hook.
  const inherited = Object.entries(process.env).filter(
    ([key]) => !/^(npm_|GIT_|PRE_COMMIT|FORCE_COLOR$|INIT_CWD$)/i.test(key),
  );
  return Object.fromEntries(inherited);
}

describe('what pre-commit hands to the kubemend hook', () => {
  it('passes YAML that is not a Kubernetes manifest silently, with exit 0', async () => {
    const dir = fixtureDir({
      ...NOT_MANIFESTS,
      '.pre-commit-config.yaml': readFileSync(path.join(ROOT, 'examples', '.pre-commit-config.yaml')),
    });
    const files = listFiles(dir);
    expect(files).toHaveLength(Object.keys(NOT_MANIFESTS).length + 1);
    const result = await runCli(files, { cwd: dir });
    expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('reports an unrendered Helm template as a file error (exit 2) that says how to lint it', async () => {
    const dir = fixtureDir({ 'chart/templates/deployment.yaml': HELM_TEMPLATE });
    const result = await runCli(['chart/templates/deployment.yaml'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(
      /chart\/templates\/deployment\.yaml\n\s+4:\d+\s+error\s+.*Helm template.*helm template/,
    );
  });

  it('writes nothing beside the files it lints, so parallel hook processes cannot collide', async () => {
    const dir = fixtureDir({ 'a.yaml': INSECURE, 'b.yaml': SECURE, ...NOT_MANIFESTS });
    const before = listFiles(dir);
    const result = await runCli(before, { cwd: dir });
    expect(result.status).toBe(1);
    expect(listFiles(dir)).toEqual(before);
  });

  it('fixes files in parallel processes, each its own files, and leaves no temporary file behind', async () => {
    const names = ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'e.yaml', 'f.yaml'];
    const dir = fixtureDir(Object.fromEntries(names.map((name) => [name, INSECURE])));
    const fix = (files: string[]) =>
      run(process.execPath, [BIN, '--fix', ...files], dir, { ...baseEnv(), NO_COLOR: '1' });
    const runs = await Promise.all([fix(names.slice(0, 3)), fix(names.slice(3))]);
    for (const result of runs) expect(result, result.output).toMatchObject({ status: 0 });
    expect(listFiles(dir)).toEqual(names);
    for (const name of names) expect(readFileSync(path.join(dir, name), 'utf8'), name).toBe(SECURE);
  });

  it('starts a one-file lint without loading diff, ajv or the language server', async () => {
    const dir = fixtureDir({
      'deploy.yaml': INSECURE,
      'record-imports.mjs': `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(process.env.KUBEMEND_TEST_IMPORT_LOG, resolved.url + '\\n');
  return resolved;
}
`,
      // The bundle require()s the dependencies it leaves outside; Node lists those in require.cache.
      'register.mjs': `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
register('./record-imports.mjs', import.meta.url);
const required = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const urls = Object.keys(required).map((file) => pathToFileURL(file).href + '\\n');
  appendFileSync(process.env.KUBEMEND_TEST_IMPORT_LOG, urls.join(''));
});
`,
    });
    const log = path.join(dir, 'imports.log');
    // A real process: the import hook is registered through NODE_OPTIONS, which an in-process run never reads.
    const env = {
      NODE_OPTIONS: `--import ${pathToFileURL(path.join(dir, 'register.mjs')).href}`,
      KUBEMEND_TEST_IMPORT_LOG: log,
    };
    const result = await spawnCli(['deploy.yaml'], { cwd: dir, env });
    expect(result.status, result.stderr).toBe(1);
    const loaded = readFileSync(log, 'utf8').trim().split('\n');
    expect(loaded).toContain(pathToFileURL(path.join(ROOT, 'bin', 'run-bundle.js')).href);
    // A config file, --diff, `kubemend lsp`: the one-file lint needs none of these.
    const unneeded = /\/node_modules\/(diff|ajv[^/]*|vscode-languageserver[^/]*)\//;
    expect(loaded.filter((url) => unneeded.test(url))).toEqual([]);
    // They are loaded when needed: the same log catches them then.
    const withConfig = await spawnCli(['-c', 'config.yaml', 'deploy.yaml'], {
      cwd: fixtureDir({ 'deploy.yaml': INSECURE, 'config.yaml': 'rules:\n  privileged: off\n' }),
      env,
    });
    expect(withConfig.status, withConfig.stderr).toBe(0);
    // A config file is checked by the validator the build compiled, without loading ajv's compiler.
    const afterConfig = readFileSync(log, 'utf8');
    expect(afterConfig).toContain('/dist/src/config/compiled-validators.cjs');
    expect(afterConfig).not.toMatch(/\/node_modules\/ajv\/dist\/(ajv|core)\.js/);
  });
});

describe('the editor task in the README', () => {
  it('is read by its problem matcher: file, line, column, severity, code and message of --format compact', async () => {
    // The task as the README gives it; VS Code runs its command and applies pattern.regexp to each line.
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /```json\n(\{\n {2}"version": "2\.0\.0",[\s\S]*?)\n```/.exec(readme);
    expect(block, 'the README has the tasks.json example').not.toBeNull();
    const task = (
      JSON.parse(block![1]!) as { tasks: { args: string[]; problemMatcher: { pattern: { regexp: string } } }[] }
    ).tasks[0]!;
    const pattern = new RegExp(task.problemMatcher.pattern.regexp);
    const dir = fixtureDir({ 'deploy/web.yaml': INSECURE });
    const file = path.join(dir, 'deploy', 'web.yaml');
    const args = task.args
      .filter((arg) => arg !== '--no-install' && arg !== 'kubemend')
      .map((arg) => (arg === '${file}' ? file : arg));
    const result = await runCli(args);
    expect(result.status).toBe(1);
    const problems = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const match = pattern.exec(line);
        expect(match, line).not.toBeNull();
        return {
          file: match![1],
          line: Number(match![2]),
          column: Number(match![3]),
          severity: match![4],
          code: match![5],
          message: match![6],
        };
      });
    expect(problems).toEqual([
      {
        file,
        line: INSECURE_LINE,
        column: expect.any(Number),
        severity: 'error',
        code: 'PrivilegedTrue',
        message: expect.stringContaining('"app" runs privileged'),
      },
    ]);
  });
});

describe('the pre-commit hooks, installed by the real pre-commit from a commit of this repository', () => {
  let base: string;
  let env: NodeJS.ProcessEnv;
  let hookRepo: string;
  let rev: string;
  let projects = 0;

  /**
   * pre-commit installs a hook repository at a commit. To test the working tree as it is (uncommitted changes
   * included; in CI it equals HEAD), copy the files git would commit into a fresh repository and commit them there.
   */
  async function commitWorkingTree(into: string): Promise<string> {
    const listed = await spawnProcess('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      env: baseEnv(),
    });
    if (listed.status !== 0) throw new Error(`${ROOT} must be a git working tree:\n${listed.stderr}`);
    for (const file of listed.stdout.split('\0')) {
      if (!file || !existsSync(path.join(ROOT, file))) continue;
      mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
      cpSync(path.join(ROOT, file), path.join(into, file), { verbatimSymlinks: true });
    }
    await mustRun('git', ['init', '-q'], into, env);
    await mustRun('git', ['add', '-A'], into, env);
    await mustRun(
      'git',
      ['-c', 'user.name=kubemend test', '-c', 'user.email=test@kubemend.invalid', 'commit', '-q', '-m', 'working tree'],
      into,
      env,
    );
    return (await mustRun('git', ['rev-parse', 'HEAD'], into, env)).trim();
  }

  function configFor(hookId: string): string {
    return `repos:\n  - repo: ${JSON.stringify(hookRepo)}\n    rev: ${rev}\n    hooks:\n      - id: ${hookId}\n`;
  }

  /** examples/.pre-commit-config.yaml as a user would copy it, pointed at the repository under test. */
  function exampleConfig(): string {
    const document = parseDocument(readFileSync(path.join(ROOT, 'examples', '.pre-commit-config.yaml'), 'utf8'));
    document.setIn(['repos', 0, 'repo'], hookRepo);
    document.setIn(['repos', 0, 'rev'], rev);
    return document.toString();
  }

  /** A user's repository with the hooks installed and a first commit holding only the pre-commit config. */
  async function project(config: string) {
    const dir = path.join(base, `project-${++projects}`);
    mkdirSync(dir);
    const git = (...args: string[]) => mustRun('git', args, dir, env);
    await git('init', '-q');
    await git('config', 'user.name', 'kubemend test');
    await git('config', 'user.email', 'test@kubemend.invalid');
    writeFileSync(path.join(dir, '.pre-commit-config.yaml'), config);
    await mustRun('pre-commit', ['install'], dir, env);
    const user = {
      dir,
      write(files: Record<string, string>) {
        for (const [name, text] of Object.entries(files)) {
          mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
          writeFileSync(path.join(dir, name), text);
        }
      },
      read: (name: string) => readFileSync(path.join(dir, name), 'utf8'),
      /** `git add -A && git commit`: the installed hook runs as part of the commit. */
      async commit(message: string): Promise<Run> {
        await git('add', '-A');
        return run('git', ['commit', '-m', message], dir, env);
      },
      commits: async () => Number((await git('rev-list', '--count', 'HEAD')).trim()),
      committed: (name: string) => git('show', `HEAD:${name}`),
    };
    const first = await user.commit('pre-commit config');
    // The config is YAML too: the hook runs on it and must let it through.
    if (first.status !== 0) throw new Error(`committing .pre-commit-config.yaml failed:\n${first.output}`);
    return user;
  }

  beforeAll(async () => {
    const version = await spawnProcess('pre-commit', ['--version']).catch(() => undefined);
    if (version === undefined) {
      throw new Error(
        'pre-commit is not installed: `apt-get install pre-commit` or `pip install pre-commit` (.ci/run does this)',
      );
    }
    base = mkdtempSync(path.join(tmpdir(), 'kubemend-pre-commit-'));
    env = {
      ...baseEnv(),
      PRE_COMMIT_HOME: path.join(base, 'pre-commit-home'),
      PRE_COMMIT_COLOR: 'never',
      GIT_CONFIG_GLOBAL: devNull,
      GIT_CONFIG_NOSYSTEM: '1',
      // The hook's npm steps are unchanged; these only spare network round trips that do not affect the result.
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_prefer_offline: 'true',
    };
    hookRepo = path.join(base, 'kubemend');
    mkdirSync(hookRepo);
    rev = await commitWorkingTree(hookRepo);
    // Install once (npm install, build in `prepare`, npm pack, npm install -g); every project below reuses it.
    const installer = await project(configFor('kubemend'));
    await mustRun('pre-commit', ['install-hooks'], installer.dir, env);
  }, 240_000);

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('kubemend stops a commit of an insecure manifest and shows its finding', async () => {
    const user = await project(configFor('kubemend'));
    user.write({ 'deploy/web.yaml': INSECURE });
    const result = await user.commit('add web');
    expect(result.status, result.output).not.toBe(0);
    expect(result.output).toMatch(/^kubemend\.+Failed$/m);
    expect(result.output).toContain('- exit code: 1');
    expect(result.output).toContain('deploy/web.yaml');
    expect(result.output).toMatch(
      new RegExp(
        `^ {2}Pod/web\\n {4}${INSECURE_LINE}:\\d+ +error +container "app" runs privileged {2}PrivilegedTrue$`,
        'm',
      ),
    );
    expect(await user.commits()).toBe(1);
  }, 60_000);

  it('kubemend with examples/.pre-commit-config.yaml lets a secure manifest, chart templates and other YAML through', async () => {
    const user = await project(exampleConfig());
    user.write({ 'deploy/web.yaml': SECURE, 'chart/templates/deployment.yaml': HELM_TEMPLATE, ...NOT_MANIFESTS });
    const result = await user.commit('add web');
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/^kubemend\.+Passed$/m);
    expect(await user.commits()).toBe(2);
    expect(await user.committed('deploy/web.yaml')).toBe(SECURE);
  }, 60_000);

  it('kubemend-fix rewrites the manifest and stops the commit once; the fixed file then commits', async () => {
    const user = await project(configFor('kubemend-fix'));
    user.write({ 'deploy/web.yaml': INSECURE });
    const blocked = await user.commit('add web');
    expect(blocked.status, blocked.output).not.toBe(0);
    expect(blocked.output).toMatch(/^kubemend \(autofix\)\.+Failed$/m);
    expect(blocked.output).toContain('- files were modified by this hook');
    expect(user.read('deploy/web.yaml')).toBe(SECURE);
    expect(await user.commits()).toBe(1);

    const passed = await user.commit('add web, fixed');
    expect(passed.status, passed.output).toBe(0);
    expect(passed.output).toMatch(/^kubemend \(autofix\)\.+Passed$/m);
    expect(await user.commits()).toBe(2);
    expect(await user.committed('deploy/web.yaml')).toBe(SECURE);
  }, 60_000);
});
