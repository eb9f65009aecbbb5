import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, ROOT, runCli, runJson, type JsonReport } from './support/cli.js';
import { pod, PRIVILEGED_POD } from './support/manifests.js';

interface Annotation {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** Undoes GitHub's workflow-command escaping, as the runner does. */
function unescape(text: string, property: boolean): string {
  const decoded = text.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  return (property ? decoded.replace(/%3A/g, ':').replace(/%2C/g, ',') : decoded).replace(/%25/g, '%');
}

function parseAnnotations(stdout: string): Annotation[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
      if (!match) throw new Error(`not a workflow command: ${line}`);
      const properties = Object.fromEntries(
        match[2]!.split(',').map((pair) => {
          const [key, value] = pair.split('=') as [string, string];
          return [key, unescape(value, true)];
        }),
      );
      return { command: match[1]!, properties, message: unescape(match[3]!, false) };
    });
}

/** What --format github must say for each finding and file error of the JSON report, in the same order. */
function expectedAnnotations(report: JsonReport) {
  const command = { error: 'error', warning: 'warning', info: 'notice' } as Record<string, string>;
  return report.results.flatMap(({ file, errors, findings }) => [
    ...errors.map((error) => ({
      command: 'error',
      properties: { file, line: String(error.line), col: String(error.column), title: 'kubemend: file error' },
      message: error.message,
    })),
    ...findings.map((finding) => ({
      command: command[finding.severity],
      properties: {
        file,
        line: String(finding.line),
        ...(finding.endLine === finding.line
          ? { col: String(finding.column), endLine: String(finding.endLine), endColumn: String(finding.endColumn) }
          : { endLine: String(finding.endLine) }),
        title: `kubemend ${finding.rule}/${finding.code}`,
      },
      message: expect.stringContaining(finding.details),
    })),
  ]);
}

async function compareWithJson(args: string[], cwd: string): Promise<Annotation[]> {
  const github = await runCli(['--format', 'github', ...args], { cwd });
  const { status, report } = await runJson(args, { cwd });
  expect(github.status).toBe(status);
  const annotations = parseAnnotations(github.stdout);
  expect(annotations).toEqual(expectedAnnotations(report));
  return annotations;
}

describe('--format github (workflow command annotations)', () => {
  it('puts every finding of the kubeaudit fixtures where the JSON output does', async () => {
    const annotations = await compareWithJson([path.join('test', 'conformance', 'kubeaudit', 'fixtures')], ROOT);
    expect(annotations.length).toBeGreaterThan(100);
    expect(new Set(annotations.map((a) => a.command))).toEqual(new Set(['error', 'warning', 'notice']));
  });

  it('escapes properties and messages as GitHub specifies, file errors included', async () => {
    const dir = fixtureDir({ 'a,b:c%.yaml': PRIVILEGED_POD, 'broken.yaml': 'kind: Pod\nkind: Pod\n' });
    const annotations = await compareWithJson(
      ['--rule', 'privileged', 'a,b:c%.yaml', 'broken.yaml', 'gone\r\n50%.yaml'],
      dir,
    );
    expect(annotations.map((a) => [a.command, a.properties.file]).sort()).toEqual([
      ['error', 'a,b:c%.yaml'],
      ['error', 'broken.yaml'],
      ['error', 'gone\r\n50%.yaml'],
    ]);
    const raw = (
      await runCli(['--format', 'github', '--rule', 'privileged', 'a,b:c%.yaml', 'gone\r\n50%.yaml'], { cwd: dir })
    ).stdout.split('\n');
    expect(raw).toContainEqual(
      expect.stringMatching(
        /^::error file=a%2Cb%3Ac%25\.yaml,line=10,col=21,endLine=10,endColumn=25,title=kubemend privileged\/PrivilegedTrue::Pod\/p: container "app" runs privileged/,
      ),
    );
    expect(raw).toContain(
      '::error file=gone%0D%0A50%25.yaml,line=1,col=1,title=kubemend%3A file error::no such file or directory: gone%0D%0A50%25.yaml',
    );
  });

  it('gives a span over several lines by its lines only, as GitHub takes columns within one line', async () => {
    const dir = fixtureDir({
      'wrapped.yaml': pod('  containers:\n    - name: app\n      image: "registry.example.com/team/\n        nginx"\n'),
    });
    const [annotation] = await compareWithJson(['--rule', 'image', 'wrapped.yaml'], dir);
    expect(annotation!.properties).toEqual({
      file: 'wrapped.yaml',
      line: '8',
      endLine: '9',
      title: 'kubemend image/ImageTagMissing',
    });
  });

  it('prints nothing for clean input', async () => {
    const dir = fixtureDir({
      'good.yaml': pod(
        '  containers:\n    - name: app\n      image: x\n      securityContext:\n        privileged: false\n',
      ),
    });
    const run = await runCli(['--format', 'github', '--rule', 'privileged', 'good.yaml'], { cwd: dir });
    expect(run).toMatchObject({ status: 0, stdout: '' });
  });
});
