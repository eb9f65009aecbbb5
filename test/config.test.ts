import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchemaText } from '../src/config/schema.js';
import { ROOT, fixtureDir, runCli, runJson, type JsonFinding, type JsonReport } from './support/cli.js';

/** Trips privileged, hostns, capabilities (NET_ADMIN added) and mounts (/etc), among others. */
const INSECURE = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostNetwork: true
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
        capabilities:
          drop: [ALL]
          add: [NET_ADMIN]
      volumeMounts:
        - name: etc
          mountPath: /host/etc
    - name: sidecar
      image: busybox:1.36
  volumes:
    - name: etc
      hostPath:
        path: /etc
`;

const CUSTOM_KIND = `apiVersion: example.com/v1
kind: PodSet
metadata:
  name: set
spec:
  podTemplate:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            privileged: true
`;

const OLD_INGRESS = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: web
spec:
  backend:
    serviceName: web
    servicePort: 80
`;

/** A repository in a fresh folder: its `.git` ends the search for .kubemend.yaml, so nothing above the temp folder leaks in. */
function repo(files: Record<string, string>): string {
  return fixtureDir({ '.git/HEAD': 'ref: refs/heads/main\n', ...files });
}

function findings(report: JsonReport): JsonFinding[] {
  return report.results.flatMap((result) => result.findings);
}

function codes(report: JsonReport): string[] {
  return [...new Set(findings(report).map((finding) => finding.code))].sort();
}

function severityOf(report: JsonReport, code: string): string[] {
  return findings(report)
    .filter((finding) => finding.code === code)
    .map((finding) => finding.severity);
}

describe('finding .kubemend.yaml', () => {
  it('runs every rule when there is no config', async () => {
    const dir = repo({ 'k8s/pod.yaml': INSECURE });
    const { report, stderr } = await runJson(['k8s/pod.yaml'], { cwd: dir });
    expect(codes(report)).toEqual(
      expect.arrayContaining([
        'PrivilegedTrue',
        'PrivilegedNil',
        'NamespaceHostNetworkTrue',
        'CapabilityAdded',
        'SensitivePathsMounted',
      ]),
    );
    expect(stderr).toBe('');
  });

  it.each([
    ['.kubemend.yaml', 'rules:\n  privileged: off\n'],
    ['.kubemend.yml', 'rules:\n  privileged: false\n'],
    ['.kubemend.yaml', 'rules:\n  privileged:\n    severity: off\n'],
  ])('reads the nearest %s from the working directory upward (%j)', async (name, config) => {
    const dir = repo({ [name]: config, 'k8s/app/pod.yaml': INSECURE });
    const { status, report, stderr } = await runJson(['pod.yaml'], { cwd: path.join(dir, 'k8s', 'app') });
    expect(stderr).toBe('');
    expect(status).toBe(1);
    expect(codes(report)).not.toContain('PrivilegedTrue');
    expect(codes(report)).not.toContain('PrivilegedNil');
    expect(codes(report)).toContain('NamespaceHostNetworkTrue');
  });

  it('takes the nearest config only: a folder closer to the working directory wins over the repository root', async () => {
    const dir = repo({
      '.kubemend.yaml': 'rules:\n  privileged: off\n',
      'k8s/.kubemend.yaml': 'rules:\n  hostns: off\n',
      'k8s/pod.yaml': INSECURE,
    });
    const { report } = await runJson(['pod.yaml'], { cwd: path.join(dir, 'k8s') });
    expect(codes(report)).toContain('PrivilegedTrue');
    expect(codes(report)).not.toContain('NamespaceHostNetworkTrue');
  });

  it('does not look above the repository root (the folder holding .git)', async () => {
    const dir = fixtureDir({
      '.kubemend.yaml': 'rules:\n  privileged: off\n',
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/pod.yaml': INSECURE,
    });
    const { report } = await runJson(['pod.yaml'], { cwd: path.join(dir, 'repo') });
    expect(codes(report)).toContain('PrivilegedTrue');
  });

  it('refuses a folder holding both .kubemend.yaml and .kubemend.yml', async () => {
    const dir = repo({ '.kubemend.yaml': 'rules: {}\n', '.kubemend.yml': 'rules: {}\n', 'pod.yaml': INSECURE });
    const run = await runCli(['pod.yaml'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('kubemend: .kubemend.yml: .kubemend.yaml is in the same folder: keep one of them\n');
  });

  it('-c reads the named file instead, and the found one is not read', async () => {
    const dir = repo({
      '.kubemend.yaml': 'rules:\n  privileged: off\n',
      'ci/strict.yaml': 'rules:\n  hostns: off\n',
      'pod.yaml': INSECURE,
    });
    for (const flag of ['-c', '--config']) {
      const { report, stderr } = await runJson([flag, 'ci/strict.yaml', 'pod.yaml'], { cwd: dir });
      expect(stderr).toBe('');
      expect(codes(report)).toContain('PrivilegedTrue');
      expect(codes(report)).not.toContain('NamespaceHostNetworkTrue');
    }
    const missing = await runCli(['-c', 'nope.yaml', 'pod.yaml'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('kubemend: nope.yaml: no such file\n');
  });

  it('--rule narrows the rules the config leaves on, and says so when it names one the config turns off', async () => {
    const dir = repo({ '.kubemend.yaml': 'rules:\n  privileged: off\n', 'pod.yaml': INSECURE });
    const { report, stderr } = await runJson(['--rule', 'privileged', '--rule', 'hostns', 'pod.yaml'], { cwd: dir });
    expect(codes(report)).toEqual(['NamespaceHostNetworkTrue']);
    expect(stderr).toBe('kubemend: warning: --rule privileged: the config turns this rule off, so it does not run\n');
  });
});

describe('kubeaudit config (-k)', () => {
  it('enabledAuditors: false (or YAML 1.1 no, as kubeaudit reads it) turns an auditor off; missing ones stay on', async () => {
    const dir = repo({
      'kubeaudit.yaml': 'enabledAuditors:\n  privileged: false\n  hostns: no\n  capabilities: true\n',
      'pod.yaml': INSECURE,
    });
    for (const flag of ['-k', '--kconfig']) {
      const { report, stderr } = await runJson([flag, 'kubeaudit.yaml', 'pod.yaml'], { cwd: dir });
      expect(stderr).toBe('');
      expect(codes(report)).not.toContain('PrivilegedTrue');
      expect(codes(report)).not.toContain('NamespaceHostNetworkTrue');
      expect(codes(report)).toContain('CapabilityAdded');
      expect(codes(report)).toContain('SensitivePathsMounted');
    }
  });

  it('auditors.<name>.<option> reaches the rules', async () => {
    const config = 'auditors:\n  capabilities:\n    allowAddList: [NET_ADMIN]\n  mounts:\n    denyPathsList: [/proc]\n';
    const dir = repo({ 'kubeaudit.yaml': config, 'pod.yaml': INSECURE });
    const { report, stderr } = await runJson(['-k', 'kubeaudit.yaml', 'pod.yaml'], { cwd: dir });
    expect(stderr).toBe('');
    expect(codes(report)).not.toContain('CapabilityAdded');
    expect(codes(report)).not.toContain('SensitivePathsMounted');
    expect(codes(report)).toContain('PrivilegedTrue');
  });

  it('reads deprecatedapis options from auditors.config, where kubeaudit really read them, with a deprecation warning', async () => {
    const dir = repo({
      'kubeaudit.yaml': 'auditors:\n  config:\n    targetedVersion: 1.30\n',
      'ingress.yaml': OLD_INGRESS,
    });
    const without = await runJson(['--rule', 'deprecatedapis', 'ingress.yaml'], { cwd: dir });
    expect(severityOf(without.report, 'DeprecatedAPIUsed')).toEqual(['warning']);
    // Unquoted 1.30 is the string "1.30" to kubeaudit's Go decoder, not the number 1.3.
    const { status, report, stderr } = await runJson(
      ['--rule', 'deprecatedapis', '-k', 'kubeaudit.yaml', 'ingress.yaml'],
      { cwd: dir },
    );
    expect(severityOf(report, 'DeprecatedAPIUsed')).toEqual(['error']);
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /^kubemend: warning: kubeaudit\.yaml:2:3: auditors\.config: deprecated: .*move them to auditors\.deprecatedapis/,
    );
  });

  it("accepts capabilities.add and .drop from kubeaudit's sample config with a warning, and ignores them as kubeaudit did", async () => {
    const dir = repo({
      'kubeaudit.yaml': 'auditors:\n  capabilities:\n    add: [NET_ADMIN]\n    drop: [CHOWN]\n',
      'pod.yaml': INSECURE,
    });
    const { report, stderr } = await runJson(['-k', 'kubeaudit.yaml', 'pod.yaml'], { cwd: dir });
    expect(codes(report)).toContain('CapabilityAdded');
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(
        /^kubemend: warning: kubeaudit\.yaml:3:5: auditors\.capabilities\.add: ignored: kubeaudit never read this key.*allowAddList$/,
      ),
      expect.stringMatching(
        /^kubemend: warning: kubeaudit\.yaml:4:5: auditors\.capabilities\.drop: ignored: kubeaudit never read this key/,
      ),
      '',
    ]);
  });

  it('is read before .kubemend.yaml, which wins', async () => {
    const dir = repo({
      'kubeaudit.yaml':
        'enabledAuditors:\n  privileged: false\n  hostns: false\nauditors:\n  capabilities:\n    allowAddList: [NET_ADMIN]\n',
      '.kubemend.yaml': 'rules:\n  privileged: on\n  capabilities:\n    options:\n      allowAddList: []\n',
      'pod.yaml': INSECURE,
    });
    const { report } = await runJson(['-k', 'kubeaudit.yaml', 'pod.yaml'], { cwd: dir });
    expect(codes(report)).toContain('PrivilegedTrue');
    expect(codes(report)).toContain('CapabilityAdded');
    expect(codes(report)).not.toContain('NamespaceHostNetworkTrue');
  });
});

describe('options and severities in .kubemend.yaml', () => {
  it('passes rule options', async () => {
    const dir = repo({
      '.kubemend.yaml': 'rules:\n  mounts:\n    options:\n      denyPathsList: [/proc]\n',
      'pod.yaml': INSECURE,
    });
    const { report } = await runJson(['--rule', 'mounts', 'pod.yaml'], { cwd: dir });
    expect(codes(report)).toEqual([]);
  });

  it("sets the severity of a rule's codes, of one code (which wins), and drops a code that is off", async () => {
    const config =
      'rules:\n  privileged: info\n  hostns:\n    severity: info\ncodes:\n  PrivilegedNil: off\n  NamespaceHostNetworkTrue: warning\n';
    const dir = repo({ '.kubemend.yaml': config, 'pod.yaml': INSECURE });
    const before = await runJson(['--rule', 'privileged', '--rule', 'hostns', 'pod.yaml'], {
      cwd: repo({ 'pod.yaml': INSECURE }),
    });
    expect(severityOf(before.report, 'PrivilegedTrue')).toEqual(['error']);
    expect(severityOf(before.report, 'PrivilegedNil')).toEqual(['warning']);
    const { status, report } = await runJson(['--rule', 'privileged', '--rule', 'hostns', 'pod.yaml'], { cwd: dir });
    expect(severityOf(report, 'PrivilegedTrue')).toEqual(['info']);
    expect(severityOf(report, 'PrivilegedNil')).toEqual([]);
    expect(severityOf(report, 'NamespaceHostNetworkTrue')).toEqual(['warning']);
    expect(status).toBe(0);
  });

  it('can set the codes of findings allowed by an override label', async () => {
    const allowed = INSECURE.replace(
      '  name: p\n',
      '  name: p\n  labels:\n    container.kubeaudit.io/app.allow-privileged: "true"\n',
    );
    const dir = repo({ '.kubemend.yaml': 'codes:\n  PrivilegedTrueAllowed: off\n', 'pod.yaml': allowed });
    expect(
      codes((await runJson(['--rule', 'privileged', 'pod.yaml'], { cwd: repo({ 'pod.yaml': allowed }) })).report),
    ).toContain('PrivilegedTrueAllowed');
    expect(codes((await runJson(['--rule', 'privileged', 'pod.yaml'], { cwd: dir })).report)).toEqual([
      'PrivilegedNil',
    ]);
  });
});

describe('ignore', () => {
  const files = {
    '.kubemend.yaml': 'ignore:\n  - vendor\n  - "**/*.generated.yaml"\n',
    'k8s/app.yaml': INSECURE,
    'k8s/app.generated.yaml': INSECURE,
    'vendor/chart/pod.yaml': INSECURE,
  };

  it("skips matching files below named directories and globs; patterns are relative to the config's folder", async () => {
    const dir = repo(files);
    expect((await runJson(['.'], { cwd: dir })).report.results.map((result) => result.file)).toEqual(['k8s/app.yaml']);
    expect((await runJson(['**/*.yaml'], { cwd: dir })).report.results.map((result) => result.file)).toEqual([
      'k8s/app.yaml',
    ]);
    expect((await runJson(['.'], { cwd: path.join(dir, 'k8s') })).report.results.map((result) => result.file)).toEqual([
      'app.yaml',
    ]);
  });

  it('skips a file named on the command line too, with a warning', async () => {
    const dir = repo(files);
    const { status, report, stderr } = await runJson(['vendor/chart/pod.yaml', 'k8s/app.yaml'], { cwd: dir });
    expect(report.results.map((result) => result.file)).toEqual(['k8s/app.yaml']);
    expect(stderr).toBe(
      'kubemend: warning: vendor/chart/pod.yaml is not linted: it matches an ignore pattern of .kubemend.yaml\n',
    );
    expect(status).toBe(1);
  });

  it('still reports inputs that name nothing', async () => {
    const dir = repo(files);
    const { status, report } = await runJson(['missing.yaml', 'k8s/app.yaml'], { cwd: dir });
    expect(report.results.map((result) => [result.file, result.errors.length])).toEqual([
      ['missing.yaml', 1],
      ['k8s/app.yaml', 0],
    ]);
    expect(status).toBe(2);
  });
});

describe('custom workload kinds', () => {
  it.each(['example.com', 'example.com/v1'])(
    'lints a custom kind with its pod template where the config says (apiVersion %s)',
    async (apiVersion) => {
      const dir = repo({
        'set.yaml': CUSTOM_KIND,
        '.kubemend.yaml': `workloadKinds:\n  - kind: PodSet\n    apiVersion: ${apiVersion}\n    templatePath: spec.podTemplate\n`,
      });
      expect(
        findings(
          (await runJson(['--rule', 'privileged', 'set.yaml'], { cwd: repo({ 'set.yaml': CUSTOM_KIND }) })).report,
        ),
      ).toEqual([]);
      const { report } = await runJson(['--rule', 'privileged', 'set.yaml'], { cwd: dir });
      expect(findings(report)).toEqual([
        expect.objectContaining({
          code: 'PrivilegedTrue',
          line: 12,
          column: 25,
          resource: { apiVersion: 'example.com/v1', kind: 'PodSet', name: 'set', namespace: null },
        }),
      ]);
    },
  );

  it("matches the kind's group only", async () => {
    const dir = repo({
      'set.yaml': CUSTOM_KIND,
      '.kubemend.yaml':
        'workloadKinds:\n  - kind: PodSet\n    apiVersion: other.example.com/v1\n    templatePath: spec.podTemplate\n',
    });
    expect(findings((await runJson(['--rule', 'privileged', 'set.yaml'], { cwd: dir })).report)).toEqual([]);
  });
});

describe('a wrong config: exit 2, naming the file, the key and the problem', () => {
  it.each([
    [
      'an unknown rule',
      'rules:\n  privilegd: off\n',
      'kubemend: .kubemend.yaml:2:3: rules.privilegd: unknown rule; did you mean privileged? (known: ',
    ],
    [
      'a wrong type',
      'rules:\n  privileged:\n    severity: loud\n',
      'kubemend: .kubemend.yaml:3:15: rules.privileged.severity: must be error, warning, info or off, not the string "loud"\n',
    ],
    [
      'a wrong type for a rule',
      'rules:\n  hostns: 3\n',
      'kubemend: .kubemend.yaml:2:11: rules.hostns: must be on, off, error, warning, info, true or false or a map, not the number 3\n',
    ],
    [
      'a list that is not one',
      'ignore: vendor\n',
      'kubemend: .kubemend.yaml:1:9: ignore: must be a list, not the string "vendor"\n',
    ],
    [
      'an option of the wrong type',
      'rules:\n  capabilities:\n    options:\n      allowAddList: NET_ADMIN\n',
      'kubemend: .kubemend.yaml:4:21: rules.capabilities.options.allowAddList: must be a list, not the string "NET_ADMIN"\n',
    ],
    [
      'an unknown option',
      'rules:\n  mounts:\n    options:\n      denyPaths: [/]\n',
      'kubemend: .kubemend.yaml:4:7: rules.mounts.options.denyPaths: unknown option; did you mean denyPathsList? (known: denyPathsList)\n',
    ],
    [
      'options for a rule without any',
      'rules:\n  privileged:\n    options: {}\n',
      'kubemend: .kubemend.yaml:3:5: rules.privileged.options: the privileged rule takes no options\n',
    ],
    [
      'an unknown key',
      'rules: {}\nstrict: true\n',
      'kubemend: .kubemend.yaml:2:1: strict: unknown key (known: profile, pssVersion, rules, ' +
        'codes, plugins, ignore, cache, kustomize, helm, workloadKinds, suppressions, suppressionPolicy, baseline)\n',
    ],
    [
      'an unknown code',
      'codes:\n  PrivilegedMaybe: off\n',
      'kubemend: .kubemend.yaml:2:3: codes.PrivilegedMaybe: unknown code; did you mean Privileged',
    ],
    [
      'a workload kind without its template path',
      'workloadKinds:\n  - kind: PodSet\n    apiVersion: example.com\n',
      'kubemend: .kubemend.yaml:2:5: workloadKinds[0]: templatePath is missing\n',
    ],
    [
      'a template path with an empty key',
      'workloadKinds:\n  - kind: PodSet\n    apiVersion: example.com\n    templatePath: spec..template\n',
      'kubemend: .kubemend.yaml:4:19: workloadKinds[0].templatePath: must be keys separated by dots, such as spec.template; not "spec..template"\n',
    ],
    [
      'a duplicate key',
      'rules:\n  privileged: off\n  privileged: on\n',
      'kubemend: .kubemend.yaml:3:3: duplicate key (each key may appear once)\n',
    ],
    ['invalid YAML', 'rules: [\n', 'kubemend: .kubemend.yaml:2:1: invalid YAML: '],
  ])('%s', async (_, config, message) => {
    const dir = repo({ '.kubemend.yaml': config, 'pod.yaml': INSECURE });
    const run = await runCli(['pod.yaml'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith(message), run.stderr).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('lists every problem of the file, in order', async () => {
    const dir = repo({
      '.kubemend.yaml': 'strict: true\nrules:\n  hostns: loud\n  privilegd: off\n',
      'pod.yaml': INSECURE,
    });
    const run = await runCli(['pod.yaml'], { cwd: dir });
    expect(
      run.stderr
        .trimEnd()
        .split('\n')
        .map((line) => line.split(': ')[1]),
    ).toEqual(['.kubemend.yaml:1:1', '.kubemend.yaml:3:11', '.kubemend.yaml:4:3']);
  });

  it.each([
    [
      'an unknown auditor',
      'enabledAuditors:\n  mountds: true\n',
      'kubemend: kubeaudit.yaml:2:3: enabledAuditors.mountds: unknown rule; did you mean mounts?',
    ],
    [
      'a wrong type',
      'enabledAuditors:\n  privileged: "false"\n',
      'kubemend: kubeaudit.yaml:2:15: enabledAuditors.privileged: must be true or false, not the string "false"\n',
    ],
    [
      'an unknown option',
      'auditors:\n  limits:\n    cpus: 500m\n',
      'kubemend: kubeaudit.yaml:3:5: auditors.limits.cpus: unknown option; did you mean cpu?',
    ],
    [
      'options for an auditor without any',
      'auditors:\n  privileged:\n    x: 1\n',
      'kubemend: kubeaudit.yaml:2:3: auditors.privileged: the privileged rule takes no options\n',
    ],
    [
      'an unknown key',
      'enabledAuditors: {}\nminSeverity: error\n',
      'kubemend: kubeaudit.yaml:2:1: minSeverity: unknown key (known: enabledAuditors, auditors)\n',
    ],
  ])('kubeaudit format: %s', async (_, config, message) => {
    const dir = repo({ 'kubeaudit.yaml': config, 'pod.yaml': INSECURE });
    const run = await runCli(['-k', 'kubeaudit.yaml', 'pod.yaml'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr.startsWith(message), run.stderr).toBe(true);
  });
});

describe('the JSON Schema shipped for editors', () => {
  const schemaFile = path.join(ROOT, 'schemas', 'kubemend-config.schema.json');

  it("is what the rules declare (run `npm run build && node scripts/gen-config-schema.mjs` after changing a rule's codes or options)", async () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(configSchemaText());
  });

  it("accepts the README's example, as kubemend does", async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Configuration'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const validate = new Ajv({ allowUnionTypes: true }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
    expect(validate(parse(example)), JSON.stringify(validate.errors)).toBe(true);
    const dir = repo({ '.kubemend.yaml': example, 'pod.yaml': INSECURE });
    const run = await runCli(['pod.yaml'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).not.toBe(2);
  });
});

describe('the validators the build compiled', () => {
  it('give the errors ajv gives when it compiles the same schema at run time', async () => {
    const { createRequire } = await import('node:module');
    const { AJV_OPTIONS, COMPILED_VALIDATORS } = await import('../src/config/validators.js');
    const { configSchema } = await import('../src/config/schema.js');
    const compiled = createRequire(import.meta.url)(path.join(ROOT, COMPILED_VALIDATORS)) as Record<
      string,
      { schema: string; validate: ((data: unknown) => boolean) & { errors?: unknown } }
    >;
    expect(compiled.config!.schema).toBe(JSON.stringify(configSchema()));
    const atRunTime = new Ajv(AJV_OPTIONS).compile(configSchema());
    const configs = [
      { rules: { privileged: 'nope', hostns: { allow: 3 } }, codes: { PrivilegedTrue: 'loud' } },
      { profile: 'strict', ignore: 'vendor/', plugins: [''] },
      { rules: { image: { registries: [1] } }, extra: true },
      { profile: 'kubeaudit', rules: { privileged: 'warning' } },
    ];
    for (const data of configs) {
      expect(compiled.config!.validate(data)).toBe(atRunTime(data));
      expect(compiled.config!.validate.errors ?? null).toEqual(atRunTime.errors ?? null);
    }
  });
});
