import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Log, Replacement, Result, Run } from 'sarif';
import { RULES, fixTexts, lintInputs, type FileResult, type Finding } from '../src/index.js';
import { lineHashes } from '../src/report/sarif-fingerprint.js';
import { repositoryUrl } from '../src/package-info.js';
import { helpMarkdown } from '../src/report/sarif-rules.js';
import { fixtureDir, ROOT, runCli, runJson, spawnProcess, type CliOptions } from './support/cli.js';
import { CONFORMANCE_DIR } from './support/conformance.js';
import { CORPUS_SAMPLE } from './support/corpus.js';
import { pod, PRIVILEGED_POD } from './support/manifests.js';
import { expectSarifForGitHub, uriOf } from './support/sarif.js';

const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  repository?: unknown;
};

/**
 * The CLI tests run dist/. `npm test` builds it with the rule READMEs embedded; embedding again here keeps a plain
 * `tsc` + `vitest` run (and rules added since the last build) working.
 */
beforeAll(async () => {
  const embed = await spawnProcess(process.execPath, [path.join(ROOT, 'scripts', 'embed-rule-docs.mjs')]);
  expect(embed.status, embed.stderr).toBe(0);
});

async function runSarif(
  args: string[],
  options: CliOptions = {},
): Promise<{ status: number | null; log: Log; run: Run; results: Result[]; stderr: string }> {
  const cli = await runCli(['--format', 'sarif', ...args], options);
  let log: Log;
  try {
    log = JSON.parse(cli.stdout) as Log;
  } catch {
    throw new Error(`stdout is not JSON (exit ${cli.status}):\n${cli.stdout}\n${cli.stderr}`);
  }
  const run = log.runs[0]!;
  return { status: cli.status, log, run, results: run.results!, stderr: cli.stderr };
}

async function gitInit(dir: string): Promise<void> {
  const git = await spawnProcess('git', ['init', '-q', dir]);
  expect(git.status, git.stderr).toBe(0);
}

/** Two privileged containers written on one line, as flow-style YAML allows. */
const TWO_ON_ONE_LINE = pod(
  '  containers: [{name: a, image: x, securityContext: {privileged: true}}, {name: b, image: y, securityContext: {privileged: true}}]\n',
);

describe('primaryLocationLineHash: the algorithm of github/codeql-action src/fingerprints.ts', () => {
  /** Vectors from codeql-action's src/fingerprints.test.ts: the hash of every line of the input, in order. */
  const VECTORS: [string, string[]][] = [
    ['', ['c129715d7a2bc9a3:1']],
    [' a\nb\n  \t\tc\n d', ['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']],
    [
      ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End',
      [
        '8b7cf3e952e7aeb2:1',
        'b1ae1287ec4718d9:1',
        'bff680108adb0fcc:1',
        'c6805c5e1288b612:1',
        'b86d3392aea1be30:1',
        'e6ceba753e1a442:1',
      ],
    ],
    ...[
      ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n',
      ' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r',
      ' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n',
      ' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n',
    ].map(
      (input) =>
        [
          input,
          [
            'e9496ae3ebfced30:1',
            'fb7c023a8b9ccb3f:1',
            'ce8ba1a563dcdaca:1',
            'e20e36e16fcb0cc8:1',
            'b3edc88f2938467e:1',
            'c8e28b0b4002a3a0:1',
            'c129715d7a2bc9a3:1',
          ],
        ] as [string, string[]],
    ),
    [
      'Lorem ipsum dolor sit amet.\n'.repeat(10),
      [
        ...[1, 2, 3, 4, 5, 6].map((n) => `a7f2ff13bc495cf2:${n}`),
        'a7f2ff1481e87703:1',
        'a9cf91f7bbf1862b:1',
        '55ec222b86bcae53:1',
        'cc97dc7b1d7d8f7b:1',
        'c129715d7a2bc9a3:1',
      ],
    ],
  ];

  it.each(VECTORS.map(([input, hashes], i) => [i, input, hashes] as const))('vector %i', (_, input, hashes) => {
    const lines = hashes.map((__, i) => i + 1);
    expect([...lineHashes(input, lines).entries()].sort(([a], [b]) => a - b).map(([, hash]) => hash)).toEqual(hashes);
  });

  it('gives the same value for a line whether or not later lines are asked for', async () => {
    const input = 'Lorem ipsum dolor sit amet.\n'.repeat(10);
    expect(lineHashes(input, [3]).get(3)).toBe('a7f2ff13bc495cf2:3');
    expect(lineHashes(input, [8]).get(8)).toBe('a9cf91f7bbf1862b:1');
  });
});

describe('rule links', () => {
  it("take the repository from package.json `repository` in any of npm's forms", async () => {
    const url = 'https://github.com/acme/kubemend';
    for (const repository of [
      'acme/kubemend',
      'github:acme/kubemend',
      `git+${url}.git`,
      { type: 'git', url: 'git+ssh://git@github.com/acme/kubemend.git' },
      'git@github.com:acme/kubemend.git',
      `${url}/`,
    ]) {
      expect(repositoryUrl(repository), JSON.stringify(repository)).toBe(url);
    }
    expect(repositoryUrl(undefined)).toBeUndefined();
    expect(repositoryUrl('file:../kubemend')).toBeUndefined();
  });

  it('are absolute in help.markdown, which GitHub shows away from the README', async () => {
    const readme =
      'See [hostns](../hostns/README.md), [fix](#how-to-fix), [PSS](https://kubernetes.io/docs/concepts/security/pod-security-standards/).\n';
    const base = 'https://github.com/acme/kubemend/blob/main/rules/privileged/README.md';
    expect(helpMarkdown(readme, base)).toBe(
      'See [hostns](https://github.com/acme/kubemend/blob/main/rules/hostns/README.md), ' +
        `[fix](${base}#how-to-fix), [PSS](https://kubernetes.io/docs/concepts/security/pod-security-standards/).\n\n[Rule documentation](${base})\n`,
    );
  });
});

describe('SARIF output', () => {
  it("is one run declaring every code of the selected rules, with GitHub's rule metadata", async () => {
    const dir = fixtureDir({ 'bad.yaml': PRIVILEGED_POD });
    const { status, log, run } = await runSarif(['--rule', 'privileged', 'bad.yaml'], { cwd: dir });
    expect(status).toBe(1);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    const repository = repositoryUrl(PACKAGE.repository);
    expect(run.tool.driver).toMatchObject({
      name: 'kubemend',
      version: PACKAGE.version,
      semanticVersion: PACKAGE.version,
      informationUri: repository,
    });
    expect(run.automationDetails).toBeUndefined();
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
    expect(run.originalUriBaseIds).toHaveProperty(['%SRCROOT%']);
    const rules = run.tool.driver.rules!;
    expect(rules.map((rule) => rule.id)).toEqual([
      'PrivilegedTrue',
      'PrivilegedNil',
      'RedundantAuditorOverride',
      'ManifestParseError',
    ]);
    const readme = readFileSync(path.join(ROOT, 'rules', 'privileged', 'README.md'), 'utf8');
    expect(rules[0]).toMatchObject({
      id: 'PrivilegedTrue',
      name: 'privileged/PrivilegedTrue',
      shortDescription: { text: 'The container sets securityContext.privileged: true.' },
      fullDescription: {
        text: 'Containers must not run privileged. The container sets securityContext.privileged: true.',
      },
      help: { text: readme },
      helpUri: `${repository}/blob/main/rules/privileged/README.md`,
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'kubernetes', 'privileged'],
        precision: 'very-high',
        'security-severity': '8.0',
      },
    });
    expect(rules[0]!.help!.markdown).toContain('Containers must not run privileged.');
    expect(rules[0]!.help!.markdown).toContain(
      `[Rule documentation](${repository}/blob/main/rules/privileged/README.md)`,
    );
    expect(rules[1]).toMatchObject({
      defaultConfiguration: { level: 'warning' },
      properties: { 'security-severity': '5.0' },
    });
  });

  it('writes each finding where the JSON output puts it, with a message naming resource and container', async () => {
    const manifest = `${PRIVILEGED_POD.replace('name: p', 'name: web\n  namespace: shop')}---\n${pod('  hostPID: true\n  containers:\n    - name: app\n      image: x\n', 'agent')}`;
    const dir = fixtureDir({ 'k8s/web.yaml': manifest });
    const { results, run } = await runSarif(['k8s/web.yaml'], { cwd: dir });
    const { report } = await runJson(['k8s/web.yaml'], { cwd: dir });
    const findings = report.results[0]!.findings;
    expect(results.map((result) => result.ruleId)).toEqual(findings.map((finding) => finding.code));
    results.forEach((result, i) => {
      const finding = findings[i]!;
      expect(result.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[finding.severity]);
      expect(result.locations![0]!.physicalLocation).toEqual({
        artifactLocation: { uri: 'k8s/web.yaml', uriBaseId: '%SRCROOT%' },
        region: {
          startLine: finding.line,
          startColumn: finding.column,
          endLine: finding.endLine,
          endColumn: finding.endColumn,
        },
      });
      expect(run.tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
    });
    const firstSentences = results.map((result) => result.message.text!.split('. ')[0]);
    expect(firstSentences).toContainEqual(
      expect.stringMatching(/^Pod\/web in namespace shop: container "app" runs privileged/),
    );
    expect(firstSentences).toContainEqual(
      expect.stringMatching(/^Pod\/agent: the pod shares the host's process namespace/),
    );
  });

  it('writes results: [] for clean input, and applies --min-severity', async () => {
    const dir = fixtureDir({
      'good.yaml': pod(
        '  containers:\n    - name: app\n      image: x\n      securityContext:\n        privileged: false\n',
      ),
      'warn.yaml': pod('  containers:\n    - name: app\n      image: x\n'),
    });
    const clean = await runSarif(['--rule', 'privileged', 'good.yaml'], { cwd: dir });
    expect(clean.status).toBe(0);
    expect(clean.results).toEqual([]);
    expect((await runSarif(['--rule', 'privileged', 'warn.yaml'], { cwd: dir })).results.map((r) => r.ruleId)).toEqual([
      'PrivilegedNil',
    ]);
    expect(
      (await runSarif(['--rule', 'privileged', '--min-severity', 'error', 'warn.yaml'], { cwd: dir })).results,
    ).toEqual([]);
  });

  it('sets automationDetails only for --sarif-category', async () => {
    const dir = fixtureDir({ 'bad.yaml': PRIVILEGED_POD });
    expect((await runSarif(['--sarif-category', 'manifests', 'bad.yaml'], { cwd: dir })).run.automationDetails).toEqual(
      { id: 'manifests/' },
    );
  });

  it('reports a file that cannot be parsed as a ManifestParseError result at the error', async () => {
    const dir = fixtureDir({ 'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  name: q\n' });
    const { status, results, run } = await runSarif(['broken.yaml'], { cwd: dir });
    const { report } = await runJson(['broken.yaml'], { cwd: dir });
    const error = report.results[0]!.errors[0]!;
    expect(status).toBe(2);
    expect(run.invocations![0]!.executionSuccessful).toBe(true);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      ruleId: 'ManifestParseError',
      level: 'error',
      message: { text: `This manifest could not be read, so it was not checked: ${error.message}` },
      locations: [{ physicalLocation: { region: { startLine: error.line, startColumn: error.column } } }],
    });
    expect(run.tool.driver.rules![results[0]!.ruleIndex!]!.id).toBe('ManifestParseError');
  });
});

describe('SARIF paths', () => {
  it('are relative to the git repository root, also when run from a subfolder, percent-encoded', async () => {
    const dir = fixtureDir({ 'deploy/prod/my app.yaml': PRIVILEGED_POD });
    await gitInit(dir);
    const { results } = await runSarif(['--rule', 'privileged', 'prod/my app.yaml'], { cwd: path.join(dir, 'deploy') });
    expect(results.map(uriOf)).toEqual(['deploy/prod/my%20app.yaml']);
  });

  it('fall back to the working directory outside a git repository', async () => {
    const dir = fixtureDir({ 'deploy/web.yaml': PRIVILEGED_POD });
    expect(
      (await runSarif(['--rule', 'privileged', 'web.yaml'], { cwd: path.join(dir, 'deploy') })).results.map(uriOf),
    ).toEqual(['web.yaml']);
    expect(
      (await runSarif(['--rule', 'privileged', path.join(dir, 'deploy', 'web.yaml')], { cwd: dir })).results.map(uriOf),
    ).toEqual(['deploy/web.yaml']);
  });

  it('name the real file, not a symlink to it', async () => {
    const dir = fixtureDir({ 'real/web.yaml': PRIVILEGED_POD });
    await gitInit(dir);
    mkdirSync(path.join(dir, 'links'));
    symlinkSync(path.join(dir, 'real', 'web.yaml'), path.join(dir, 'links', 'web.yaml'));
    expect((await runSarif(['--rule', 'privileged', 'links/web.yaml'], { cwd: dir })).results.map(uriOf)).toEqual([
      'real/web.yaml',
    ]);
  });
});

describe('SARIF fingerprints', () => {
  it('primaryLocationLineHash is what the upload action computes from the file (BOM and CRLF included)', async () => {
    const text = `\ufeff# header\r\n${PRIVILEGED_POD.replace(/\n/g, '\r\n')}`;
    const dir = fixtureDir({ 'web.yaml': text });
    const [result] = (await runSarif(['--rule', 'privileged', 'web.yaml'], { cwd: dir })).results;
    const line = result!.locations![0]!.physicalLocation!.region!.startLine!;
    expect(result!.partialFingerprints!.primaryLocationLineHash).toBe(lineHashes(text, [line]).get(line));
  });

  it('kubemend/v1 keeps an alert when its line changes; the line hash follows the line', async () => {
    const before = (
      await runSarif(['--rule', 'privileged', 'web.yaml'], { cwd: fixtureDir({ 'web.yaml': PRIVILEGED_POD }) })
    ).results[0]!;
    const edited = PRIVILEGED_POD.replace('privileged: true', 'privileged: yes').replace(
      'metadata:\n',
      '# moved down\nmetadata:\n',
    );
    const after = (await runSarif(['--rule', 'privileged', 'web.yaml'], { cwd: fixtureDir({ 'web.yaml': edited }) }))
      .results[0]!;
    expect(after.partialFingerprints!['kubemend/v1']).toBe(before.partialFingerprints!['kubemend/v1']);
    expect(after.partialFingerprints!.primaryLocationLineHash).not.toBe(
      before.partialFingerprints!.primaryLocationLineHash,
    );
  });

  it('results of one rule on one line stay apart', async () => {
    const dir = fixtureDir({ 'flow.yaml': TWO_ON_ONE_LINE });
    const { results } = await runSarif(['--rule', 'privileged', 'flow.yaml'], { cwd: dir });
    expect(results.map((r) => r.ruleId)).toEqual(['PrivilegedTrue', 'PrivilegedTrue']);
    const [first, second] = results.map((r) => r.partialFingerprints!);
    const line = results[0]!.locations![0]!.physicalLocation!.region!.startLine!;
    expect(first!.primaryLocationLineHash).toBe(lineHashes(TWO_ON_ONE_LINE, [line]).get(line));
    expect(second!.primaryLocationLineHash).toBe(`${first!.primaryLocationLineHash}:2`);
    expect(first!['kubemend/v1']).not.toBe(second!['kubemend/v1']);
  });
});

describe('SARIF suppressions', () => {
  const ALLOWED = PRIVILEGED_POD.replace(
    'metadata:\n  name: p\n',
    'metadata:\n  name: p\n  labels:\n    container.kubeaudit.io/app.allow-privileged: "CNI plugin needs the host devices"\n',
  );
  const BOTH = `${ALLOWED}---\n${PRIVILEGED_POD.replace('name: p', 'name: other')}`;

  it('leaves out findings allowed by an override label, as GitHub ignores suppressions', async () => {
    const dir = fixtureDir({ 'm.yaml': BOTH });
    const { results } = await runSarif(['--rule', 'privileged', 'm.yaml'], { cwd: dir });
    expect(results.map((r) => r.ruleId)).toEqual(['PrivilegedTrue']);
    expect(results[0]!.message.text).toMatch(/^Pod\/other:/);
    expect(results[0]).not.toHaveProperty('suppressions');
  });

  it("--sarif-include-suppressed writes them under their code, with the label's reason; every result then has suppressions", async () => {
    const dir = fixtureDir({ 'm.yaml': BOTH });
    const { results } = await runSarif(['--rule', 'privileged', '--sarif-include-suppressed', 'm.yaml'], { cwd: dir });
    expect(results.map((r) => [r.ruleId, r.level, r.suppressions])).toEqual([
      [
        'PrivilegedTrue',
        'error',
        [
          {
            kind: 'inSource',
            status: 'accepted',
            justification: 'CNI plugin needs the host devices',
            properties: { label: 'container.kubeaudit.io/app.allow-privileged' },
          },
        ],
      ],
      ['PrivilegedTrue', 'error', []],
    ]);
  });
});

/** `text` with SARIF replacements applied: regions of the unchanged text, in order, 1-based, a BOM not counted. */
function applyReplacements(text: string, replacements: readonly Replacement[]): string {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineCount = text.endsWith('\n') ? lineStarts.length - 1 : lineStarts.length;
  const bom = text.startsWith('\ufeff') ? 1 : 0;
  const offset = (line: number, column: number) => {
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line, 'a line the file has').toBeLessThanOrEqual(lineCount);
    const start = lineStarts[line - 1]! + (line === 1 ? bom : 0);
    const lineEnd = line < lineStarts.length ? lineStarts[line]! : text.length;
    expect(column, 'a column of the line or just past its line break').toBeLessThanOrEqual(lineEnd - start + 1);
    return start + column - 1;
  };
  let out = '';
  let cursor = 0;
  for (const { deletedRegion: region, insertedContent } of replacements) {
    const start = offset(region.startLine!, region.startColumn!);
    const end = offset(region.endLine!, region.endColumn!);
    expect(start, 'replacements in order, not overlapping').toBeGreaterThanOrEqual(cursor);
    expect(end).toBeGreaterThanOrEqual(start);
    out += text.slice(cursor, start) + insertedContent!.text!;
    cursor = end;
  }
  return out + text.slice(cursor);
}

/** Each shown finding with its SARIF result: the results are the findings in order, after each file's errors. */
function withResults(files: readonly FileResult[], results: readonly Result[]): { finding: Finding; result: Result }[] {
  const pairs: { finding: Finding; result: Result }[] = [];
  let next = 0;
  for (const file of files) {
    next += file.errors.length;
    for (const finding of file.findings.filter((f) => !f.override)) pairs.push({ finding, result: results[next++]! });
  }
  expect(next).toBe(results.length);
  for (const { finding, result } of pairs) expect(result.ruleId).toBe(finding.code);
  return pairs;
}

const findingKey = (f: Finding) => `${f.code} ${f.resource.kind}/${f.resource.name} ${f.container}`;

describe('SARIF fixes', () => {
  const TWO_CONTAINERS = PRIVILEGED_POD + '    - name: sidecar\n      image: busybox:1.36\n';

  it("are the autofix engine's edits for the finding: a value replaced in place, new lines inserted", async () => {
    const crlf = `\ufeff${TWO_CONTAINERS.replace(/\n/g, '\r\n')}`;
    const dir = fixtureDir({ 'pod.yaml': TWO_CONTAINERS, 'crlf.yaml': crlf });
    const { results } = await runSarif(['--rule', 'privileged', 'pod.yaml', 'crlf.yaml'], { cwd: dir });
    const fix = (uri: string, description: string, replacement: Replacement) => [
      {
        description: { text: description },
        artifactChanges: [{ artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, replacements: [replacement] }],
      },
    ];
    const privileged = {
      deletedRegion: { startLine: 10, startColumn: 21, endLine: 10, endColumn: 25 },
      insertedContent: { text: 'false' },
    };
    const privilegedFix = 'Set securityContext.privileged to false in container "app"';
    const sidecarFix = 'Set securityContext.privileged to false in container "sidecar"';
    expect(results.map((r) => [r.ruleId, r.fixes])).toEqual([
      ['PrivilegedTrue', fix('pod.yaml', privilegedFix, privileged)],
      // At the end of the file: past the last line's line break, on that line, as SARIF has no line after it.
      [
        'PrivilegedNil',
        fix('pod.yaml', sidecarFix, {
          deletedRegion: { startLine: 12, startColumn: 27, endLine: 12, endColumn: 27 },
          insertedContent: { text: '      securityContext:\n        privileged: false\n' },
        }),
      ],
      ['PrivilegedTrue', fix('crlf.yaml', privilegedFix, privileged)],
      [
        'PrivilegedNil',
        fix('crlf.yaml', sidecarFix, {
          deletedRegion: { startLine: 12, startColumn: 28, endLine: 12, endColumn: 28 },
          insertedContent: { text: '      securityContext:\r\n        privileged: false\r\n' },
        }),
      ],
    ]);
  });

  it('applied to the files, make what --fix makes of that finding alone, and clear it', async () => {
    const files = {
      'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\n',
      'web.yaml': [
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n',
        '  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      automountServiceAccountToken: true\n      hostNetwork: true\n',
        '      containers:\n        - name: app\n          image: nginx:1.27\n          securityContext:\n            privileged: true\n',
        '            capabilities:\n              add: [NET_ADMIN, SYS_TIME]\n',
        '        - {name: sidecar, image: "busybox:1.36", securityContext: {runAsUser: 0}}\n',
      ].join(''),
      // Documents found by their markers: after comments and `...`, with `---` inside a block scalar, on the marker's line.
      'more.yaml': [
        '# pods of the shop\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: script\n  namespace: shop\n',
        'data:\n  run.sh: |\n    echo start\n    ---\n    echo end\n...\n# the flow pod\n---\n',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: flow, namespace: shop}\nspec: {containers: ' +
          '[{name: a, image: "x:1", securityContext: {privileged: true}}]}\n',
        '--- {apiVersion: v1, kind: Pod, metadata: {name: inline, namespace: shop}, spec: {containers: [{name: b, image: "y:1"}]}}\n',
      ].join(''),
    };
    const names = Object.keys(files) as (keyof typeof files)[];
    const dir = fixtureDir(files);
    const { results } = await runSarif(names, { cwd: dir });
    const linted = await lintInputs(
      names.map((name) => path.join(dir, name)),
      { rules: RULES },
    );
    const pairs = withResults(linted, results);
    const fixable = pairs.filter(({ finding }) => finding.fixable);
    expect(fixable.length).toBeGreaterThan(15);
    // A fix that reaches another file (the namespace's default ServiceAccount), and one that adds a NetworkPolicy.
    expect(fixable.some(({ result }) => result.fixes![0]!.artifactChanges.length === 2)).toBe(true);
    expect(fixable.map(({ result }) => result.fixes![0]!.description!.text)).toContainEqual(
      expect.stringMatching(/^Add NetworkPolicy\/default-deny in namespace shop at the end of the file/),
    );
    for (const { finding, result } of pairs) {
      expect(result.fixes !== undefined, findingKey(finding)).toBe(finding.fixable);
      if (!finding.fixable) continue;
      const [fix, ...more] = result.fixes!;
      expect(more).toEqual([]);
      const fixed = Object.fromEntries(names.map((name) => [name, files[name]]));
      for (const change of fix!.artifactChanges) {
        const name = change.artifactLocation.uri as keyof typeof files;
        expect(change.artifactLocation.uriBaseId).toBe('%SRCROOT%');
        fixed[name] = applyReplacements(files[name], change.replacements);
      }
      const alone = fixTexts(
        names.map((name) => ({ file: path.join(dir, name), text: files[name] })),
        [],
        {
          rules: RULES,
          only: (f) =>
            f.code === finding.code &&
            f.line === finding.line &&
            f.column === finding.column &&
            f.message === finding.message,
        },
      );
      expect(
        alone.files.map((file) => file.after),
        `${findingKey(finding)}: ${fix!.description!.text}`,
      ).toEqual(names.map((name) => fixed[name]));
      const fixedDir = fixtureDir(fixed);
      const after = await lintInputs(
        names.map((name) => path.join(fixedDir, name)),
        { rules: RULES },
      );
      const count = (files: FileResult[]) =>
        files.flatMap((file) => file.findings).filter((f) => findingKey(f) === findingKey(finding)).length;
      expect(count(after), findingKey(finding)).toBe(count(linted) - 1);
    }
  });

  it('are left out for standard input, which cannot be fixed, and where the fix cannot be made', async () => {
    expect(
      (await runSarif(['--rule', 'privileged', '-'], { input: PRIVILEGED_POD })).results.map((r) => [
        r.ruleId,
        r.fixes,
      ]),
    ).toEqual([['PrivilegedTrue', undefined]]);
    const scalar = pod('  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext: none\n');
    const dir = fixtureDir({ 'scalar.yaml': scalar });
    expect((await runCli(['--rule', 'privileged', '--diff', 'scalar.yaml'], { cwd: dir })).stderr).toContain(
      'not fixed: spec.containers.0.securityContext is a scalar',
    );
    expect(
      (await runSarif(['--rule', 'privileged', 'scalar.yaml'], { cwd: dir })).results.map((r) => [r.ruleId, r.fixes]),
    ).toEqual([['PrivilegedNil', undefined]]);
  });
});

describe('SARIF limits', () => {
  it('warns on stderr when GitHub would refuse the number of results', async () => {
    const containers = Array.from({ length: 25_001 }, (_, i) => `    - {name: c${i}, image: x}\n`).join('');
    const dir = fixtureDir({ 'big.yaml': pod(`  containers:\n${containers}`) });
    const run = await runCli(['--format', 'sarif', '--rule', 'privileged', '-o', 'out.sarif', 'big.yaml'], {
      cwd: dir,
    });
    expect(run.stderr).toContain(
      'kubemend: warning: the SARIF has 25001 results; GitHub code scanning rejects more than 25000 per run',
    );
  });
});

describe('SARIF for real manifests and the kubeaudit fixtures', () => {
  // test/e2e/sarif-validate.test.ts runs the full corpus through GitHub's and Microsoft's validators as well.
  it('has every result, rule and fingerprint as GitHub needs them', async () => {
    const out = fixtureDir({});
    for (const input of [CORPUS_SAMPLE, path.join(CONFORMANCE_DIR, 'fixtures')]) {
      const file = path.join(out, `${path.basename(input)}.sarif`);
      const cli = await runCli(['--format', 'sarif', '-o', file, path.relative(ROOT, input)]);
      expect(cli.stderr).not.toContain('internal error');
      expectSarifForGitHub(JSON.parse(readFileSync(file, 'utf8')) as Log);
    }
  });
});

describe('build step: scripts/embed-rule-docs.mjs', () => {
  it('embeds each rule README under its rule id', async () => {
    const docs = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'src', 'report', 'rule-docs.json'), 'utf8')) as Record<
      string,
      string
    >;
    for (const rule of RULES)
      expect(docs[rule.meta.id], rule.meta.id).toBe(
        readFileSync(path.join(ROOT, 'rules', rule.meta.id, 'README.md'), 'utf8'),
      );
  });
});
