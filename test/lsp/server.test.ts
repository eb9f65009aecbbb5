import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  HoverRequest,
  TextDocumentSyncKind,
  type MarkupContent,
} from 'vscode-languageserver/node';
import { fixtureDir } from '../support/cli.js';
import { LspClient, uriOf } from './client.js';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: runtime/default
spec:
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile: { type: RuntimeDefault }
  containers:
    - name: app
      image: nginx:1.27
      resources: { limits: { cpu: 100m, memory: 64Mi } }
      securityContext:
        privileged: true
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: { drop: [ALL] }
`;

/** 0-based line of the first line of POD holding `text`. */
const PRIVILEGED_LINE = POD.split('\n').findIndex((line) => line.includes('privileged: true'));

let client: LspClient | undefined;

afterEach(async () => {
  await client?.shutdown();
  client = undefined;
});

async function started(files: Record<string, string>): Promise<{ dir: string; client: LspClient }> {
  const dir = fixtureDir(files);
  client = LspClient.inProcess(dir);
  await client.initialize(dir);
  return { dir, client };
}

describe('kubemend lsp', () => {
  it('declares incremental sync, quick fixes with resolve, fix-all, hover and its cursor command', async () => {
    const dir = fixtureDir({});
    client = LspClient.inProcess(dir);
    const { capabilities, serverInfo } = await client.initialize(dir);
    expect(serverInfo?.name).toBe('kubemend');
    expect(capabilities.textDocumentSync).toMatchObject({ openClose: true, change: TextDocumentSyncKind.Incremental });
    expect(capabilities.codeActionProvider).toEqual({
      codeActionKinds: [CodeActionKind.QuickFix, 'source.fixAll.kubemend'],
      resolveProvider: true,
    });
    expect(capabilities.hoverProvider).toBe(true);
    expect(capabilities.executeCommandProvider).toEqual({ commands: ['kubemend.placeCursor'] });
  });

  it('publishes diagnostics on open with exact ranges, codes, severities and documentation links', async () => {
    const { dir, client } = await started({ 'pod.yaml': POD });
    const uri = uriOf(path.join(dir, 'pod.yaml'));
    await client.open(uri, POD);
    const { diagnostics, version } = await client.diagnostics(uri);
    expect(version).toBe(1);
    expect(diagnostics).toEqual([
      {
        range: { start: { line: PRIVILEGED_LINE, character: 20 }, end: { line: PRIVILEGED_LINE, character: 24 } },
        severity: DiagnosticSeverity.Error,
        code: 'PrivilegedTrue',
        codeDescription: { href: 'https://github.com/kubemend/kubemend/blob/main/rules/privileged/README.md' },
        source: 'kubemend',
        message: expect.stringContaining('privileged') as string,
      },
    ]);
  });

  it('lints again after a change, with ranges in UTF-16 code units', async () => {
    const { dir, client } = await started({ 'pod.yaml': POD });
    const uri = uriOf(path.join(dir, 'pod.yaml'));
    await client.open(uri, POD);
    await client.diagnostics(uri, 1);
    const edited = POD.replace('privileged: true', 'privileged: false');
    const version = await client.change(uri, edited);
    expect((await client.diagnostics(uri, version)).diagnostics).toEqual([]);
    // The emoji is two UTF-16 code units, as LSP counts characters by default.
    const flow =
      '{apiVersion: v1, kind: Pod, metadata: {name: "🚀 ü"}, spec: {containers: [{name: app, image: nginx}]}}\n';
    const next = await client.change(uri, flow);
    const image = (await client.diagnostics(uri, next)).diagnostics.find((d) => d.code === 'ImageTagMissing');
    const at = flow.indexOf('nginx');
    expect(image?.range).toEqual({
      start: { line: 0, character: at },
      end: { line: 0, character: at + 'nginx'.length },
    });
  });

  it('gives broken YAML a located diagnostic and keeps serving', async () => {
    const { dir, client } = await started({});
    const uri = uriOf(path.join(dir, 'broken.yaml'));
    await client.open(uri, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n');
    const broken = await client.diagnostics(uri, 1);
    expect(broken.diagnostics).toEqual([
      expect.objectContaining({
        code: 'ManifestParseError',
        severity: DiagnosticSeverity.Error,
        range: { start: { line: 4, character: 2 }, end: { line: 4, character: 9 } },
        message: expect.stringContaining('duplicate key "name"') as string,
      }),
    ]);
    const garbage = await client.change(uri, 'kind: [\u0000\u0001 {{ }}: : :\n\t- ]]]');
    expect((await client.diagnostics(uri, garbage)).diagnostics.map((d) => d.code)).toEqual(['ManifestParseError']);
    const fixed = await client.change(uri, POD);
    expect((await client.diagnostics(uri, fixed)).diagnostics.map((d) => d.code)).toEqual(['PrivilegedTrue']);
  });

  it('says nothing about YAML that is not a Kubernetes manifest, even broken', async () => {
    const { dir, client } = await started({});
    const values = uriOf(path.join(dir, 'values.yaml'));
    await client.open(values, 'replicas: 3\nimage:\n  tag: [oops\n');
    expect((await client.diagnostics(values)).diagnostics).toEqual([]);
  });

  it('follows the nearest .kubemend.yaml and reads it again when it changes', async () => {
    const { dir, client } = await started({
      'k8s/pod.yaml': POD,
      '.kubemend.yaml': 'codes:\n  PrivilegedTrue: warning\n',
    });
    const uri = uriOf(path.join(dir, 'k8s', 'pod.yaml'));
    await client.open(uri, POD);
    const first = await client.diagnostics(uri, 1);
    expect(first.diagnostics.find((d) => d.code === 'PrivilegedTrue')?.severity).toBe(DiagnosticSeverity.Warning);

    // The editor reports the change (workspace/didChangeWatchedFiles): every open document is linted again.
    writeFileSync(path.join(dir, '.kubemend.yaml'), 'rules:\n  privileged: off\n  image: off\n');
    client.clear();
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(path.join(dir, '.kubemend.yaml')), type: FileChangeType.Changed }],
    });
    expect((await client.diagnostics(uri)).diagnostics.map((d) => d.code)).not.toContain('PrivilegedTrue');

    // Without that notification (editors that do not watch files), the next lint reads the changed file anyway.
    writeFileSync(path.join(dir, '.kubemend.yaml'), 'codes:\n  PrivilegedTrue: info\n');
    const version = await client.change(uri, `${POD}# edited\n`);
    const last = await client.diagnostics(uri, version);
    expect(last.diagnostics.find((d) => d.code === 'PrivilegedTrue')?.severity).toBe(DiagnosticSeverity.Information);
  });

  it('shows a broken config as a diagnostic on the config file, and lives on', async () => {
    const { dir, client } = await started({ 'pod.yaml': POD, '.kubemend.yaml': 'rules:\n  privilegd: off\n' });
    const uri = uriOf(path.join(dir, 'pod.yaml'));
    const configUri = uriOf(path.join(dir, '.kubemend.yaml'));
    await client.open(uri, POD);
    const config = await client.diagnostics(configUri);
    expect(config.diagnostics).toEqual([
      expect.objectContaining({
        range: { start: { line: 1, character: 2 }, end: { line: 1, character: 16 } },
        severity: DiagnosticSeverity.Error,
        message: expect.stringMatching(/^rules\.privilegd: unknown rule; did you mean privileged\?/) as string,
      }),
    ]);
    const document = await client.diagnostics(uri, 1);
    expect(document.diagnostics).toEqual([
      expect.objectContaining({ message: expect.stringContaining('not linted') as string }),
    ]);

    writeFileSync(path.join(dir, '.kubemend.yaml'), 'rules:\n  privileged: off\n');
    client.clear();
    const version = await client.change(uri, `${POD}# edited\n`);
    expect((await client.diagnostics(configUri)).diagnostics).toEqual([]);
    expect((await client.diagnostics(uri, version)).diagnostics.map((d) => d.code)).toEqual([]);
  });

  it('skips documents the config ignores', async () => {
    const { dir, client } = await started({ 'templates/pod.yaml': POD, '.kubemend.yaml': 'ignore: ["templates/"]\n' });
    const uri = uriOf(path.join(dir, 'templates', 'pod.yaml'));
    await client.open(uri, POD);
    expect((await client.diagnostics(uri)).diagnostics).toEqual([]);
  });

  it('shows the rule documentation on hover over a diagnostic', async () => {
    const { dir, client } = await started({ 'pod.yaml': POD });
    const uri = uriOf(path.join(dir, 'pod.yaml'));
    await client.open(uri, POD);
    await client.diagnostics(uri, 1);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: PRIVILEGED_LINE, character: 22 },
    });
    const { value, kind } = hover!.contents as MarkupContent;
    expect(kind).toBe('markdown');
    expect(value).toMatch(/^\*\*PrivilegedTrue\*\* \(kubemend rule `privileged`\): /);
    expect(value).toContain('## Why it matters');
    expect(value).toContain('## How to fix');
    expect(value).not.toContain('# privileged\n');
    expect(value).toContain(
      '[Rule documentation](https://github.com/kubemend/kubemend/blob/main/rules/privileged/README.md)',
    );
    expect(hover!.range).toEqual({
      start: { line: PRIVILEGED_LINE, character: 20 },
      end: { line: PRIVILEGED_LINE, character: 24 },
    });
    const nothing = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 0, character: 0 },
    });
    expect(nothing).toBeNull();
  });
});
