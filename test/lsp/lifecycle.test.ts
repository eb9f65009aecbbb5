import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodeActionRequest, ExitNotification, HoverRequest } from 'vscode-languageserver/node';
import { fixtureDir } from '../support/cli.js';
import { LspClient, uriOf } from './client.js';

const POD = `apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: { privileged: true }
`;

/** Many Deployments in one file: a lint that takes seconds. */
function hugeManifest(copies: number): string {
  const deployment = (n: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web-${n} }
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext: { privileged: true, capabilities: { add: [NET_ADMIN] } }
`;
  return Array.from({ length: copies }, (_, n) => deployment(n)).join('---\n');
}

describe('kubemend lsp lifecycle', () => {
  it('exits with 0 after shutdown and exit, as a child process', async () => {
    const dir = fixtureDir({ 'pod.yaml': POD });
    const client = LspClient.child(dir);
    await client.initialize(dir);
    const uri = uriOf(path.join(dir, 'pod.yaml'));
    await client.open(uri, POD);
    await client.diagnostics(uri);
    expect(await client.shutdown()).toBe(0);
  });

  it('exits with 1 on exit without shutdown', async () => {
    const dir = fixtureDir({});
    const client = LspClient.child(dir);
    await client.initialize(dir);
    await client.connection.sendNotification(ExitNotification.type);
    expect(await client.exited).toBe(1);
    client.connection.dispose();
  });

  it('ends when the editor closes its input', async () => {
    const dir = fixtureDir({});
    const client = LspClient.child(dir);
    await client.initialize(dir);
    client.child!.stdin!.end();
    expect(await client.exited).toBe(1);
    client.connection.dispose();
  });

  it('answers other requests while a huge file is being linted', async () => {
    const dir = fixtureDir({});
    const client = LspClient.inProcess(dir);
    await client.initialize(dir);
    const small = uriOf(path.join(dir, 'small.yaml'));
    await client.open(small, POD);
    await client.diagnostics(small, 1);

    const huge = uriOf(path.join(dir, 'huge.yaml'));
    await client.open(huge, hugeManifest(1000));
    const line = POD.split('\n').findIndex((text) => text.includes('privileged: true'));
    const position = { line, character: POD.split('\n')[line]!.indexOf('true') };
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: small }, position });
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: small },
      range: { start: position, end: position },
      context: { diagnostics: [] },
    });
    // Both answers came while the huge file's lint was still running.
    expect(client.hasDiagnostics(huge)).toBe(false);
    expect(hover).not.toBeNull();
    expect(actions?.length).toBeGreaterThan(0);
    const { diagnostics } = await client.diagnostics(huge, 1, 120_000);
    expect(diagnostics.filter((d) => d.code === 'PrivilegedTrue')).toHaveLength(1000);
    expect(await client.shutdown()).toBe(0);
  });
});
