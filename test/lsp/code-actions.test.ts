import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  CodeActionResolveRequest,
  ExecuteCommandRequest,
  ShowDocumentRequest,
  type CodeAction,
  type Range,
  type ShowDocumentParams,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fixtureDir, runCli, runJson } from '../support/cli.js';
import { LspClient, uriOf, VSCODE_LIKE } from './client.js';

// Comments, blank lines and flow style: a fix must keep them, as --fix does.
const DEPLOYMENT = `# the web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # public
spec:
  template:
    metadata:
      labels: { app: web }

    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            privileged: true   # needed? no
`;

const WHOLE_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };

let client: LspClient | undefined;

afterEach(async () => {
  await client?.shutdown();
  client = undefined;
});

async function opened(
  files: Record<string, string>,
  name: string,
  capabilities = VSCODE_LIKE,
): Promise<{ dir: string; uri: string }> {
  const dir = fixtureDir(files);
  client = LspClient.inProcess(dir);
  await client.initialize(dir, capabilities);
  const uri = uriOf(path.join(dir, name));
  await client.open(uri, files[name]!);
  await client.diagnostics(uri, 1);
  return { dir, uri };
}

async function actionsAt(uri: string, range: Range, only?: string[]): Promise<CodeAction[]> {
  const result = await client!.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range,
    context: { diagnostics: [], ...(only ? { only } : {}) },
  });
  return (result ?? []) as CodeAction[];
}

async function resolved(action: CodeAction): Promise<CodeAction> {
  return client!.connection.sendRequest(CodeActionResolveRequest.type, action);
}

function apply(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 0, text), [...edits]);
}

/** The edits of a WorkspaceEdit made of versioned document changes, by URI. */
function editsByUri(edit: WorkspaceEdit | undefined): Map<string, { version: number | null; edits: TextEdit[] }> {
  const changes = (edit?.documentChanges ?? []) as TextDocumentEdit[];
  return new Map(
    changes.map((change) => [
      change.textDocument.uri,
      { version: change.textDocument.version, edits: change.edits as TextEdit[] },
    ]),
  );
}

/** What `kubemend --diff <args>` would make of each file: its unified diff applied to the file on disk. */
async function diffResult(dir: string, args: string[]): Promise<Map<string, string>> {
  const run = await runCli(['--diff', ...args], { cwd: dir });
  const results = new Map<string, string>();
  for (const patch of parsePatch(run.stdout)) {
    const file = patch.oldFileName!;
    const after = applyPatch(readFileSync(path.join(dir, file), 'utf8'), patch);
    if (after === false) throw new Error(`the diff of ${file} does not apply`);
    results.set(file, after);
  }
  return results;
}

describe('kubemend lsp code actions', () => {
  it('offers a quick fix whose edit is the one --diff shows, a suppression and fix-all', async () => {
    const { dir, uri } = await opened({ 'web.yaml': DEPLOYMENT }, 'web.yaml');
    const line = DEPLOYMENT.split('\n').findIndex((text) => text.includes('privileged: true'));
    const actions = await actionsAt(uri, { start: { line, character: 26 }, end: { line, character: 26 } });
    expect(actions.map((action) => [action.title, action.kind])).toEqual([
      ['Fix: set securityContext.privileged to false in container "app"', 'quickfix'],
      ['Suppress PrivilegedTrue on this line', 'quickfix'],
      ['Fix all kubemend problems in this file', 'source.fixAll.kubemend'],
    ]);
    // Listing needs no fix run: the edit comes with codeAction/resolve.
    expect(actions[0]!.edit).toBeUndefined();
    const fix = await resolved(actions[0]!);
    const edits = editsByUri(fix.edit).get(uri)!;
    expect(edits.version).toBe(1);
    const expected = await diffResult(dir, ['--fix-only', 'PrivilegedTrue', 'web.yaml']);
    expect(apply(DEPLOYMENT, edits.edits)).toBe(expected.get('web.yaml'));
    // One edit, inside the value: the comment after it and every other line are not touched.
    expect(edits.edits).toHaveLength(1);
    expect(edits.edits[0]!.range.start).toEqual({ line, character: 24 });
    expect(edits.edits[0]!.range.end.line).toBe(line);
    expect(edits.edits[0]!.range.end.character).toBeLessThanOrEqual(28);
  });

  it('fixes the whole file as --diff does', async () => {
    const { dir, uri } = await opened({ 'web.yaml': DEPLOYMENT }, 'web.yaml');
    const [fixAll] = await actionsAt(uri, WHOLE_FILE, ['source.fixAll']);
    expect(fixAll?.title).toBe('Fix all kubemend problems in this file');
    const edits = editsByUri((await resolved(fixAll!)).edit).get(uri)!;
    const expected = (await diffResult(dir, ['web.yaml'])).get('web.yaml')!;
    expect(apply(DEPLOYMENT, edits.edits)).toBe(expected);
    expect(expected).toContain('privileged: false   # needed? no');
    // Each edit touches only what changes: lines the fixes keep are not inside any edit.
    const replaced = edits.edits
      .map((edit) => DEPLOYMENT.split('\n').slice(edit.range.start.line, edit.range.end.line).join('\n'))
      .join('\n');
    expect(replaced).not.toContain('# the web tier');
  });

  it('inserts a suppression comment above the line and puts the cursor where the reason goes', async () => {
    const { uri } = await opened({ 'web.yaml': DEPLOYMENT }, 'web.yaml');
    const line = DEPLOYMENT.split('\n').findIndex((text) => text.includes('privileged: true'));
    const suppress = (await actionsAt(uri, { start: { line, character: 24 }, end: { line, character: 28 } })).find(
      (a) => a.title.startsWith('Suppress'),
    )!;
    const edits = suppress.edit!.changes![uri]!;
    const suppressed = apply(DEPLOYMENT, edits);
    const comment = '            # kubemend-disable-next-line PrivilegedTrue -- ';
    expect(suppressed.split('\n').slice(line, line + 2)).toEqual([
      comment,
      '            privileged: true   # needed? no',
    ]);
    const shown = new Promise<ShowDocumentParams>((resolve) =>
      client!.connection.onRequest(ShowDocumentRequest.type, (params) => {
        resolve(params);
        return { success: true };
      }),
    );
    await client!.connection.sendRequest(ExecuteCommandRequest.type, {
      command: suppress.command!.command,
      arguments: suppress.command!.arguments,
    });
    const cursor = { line, character: comment.length };
    expect(await shown).toEqual({ uri, takeFocus: true, selection: { start: cursor, end: cursor } });
  });

  it('puts the edits in the actions for clients without codeAction/resolve', async () => {
    const plain = {
      textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
    };
    const { uri } = await opened({ 'web.yaml': DEPLOYMENT }, 'web.yaml', plain);
    const actions = await actionsAt(uri, WHOLE_FILE);
    const fix = actions.find((action) => action.title.startsWith('Fix: set securityContext.privileged'))!;
    // Without documentChanges support the edit is a plain map of changes.
    expect(apply(DEPLOYMENT, fix.edit!.changes![uri]!)).toContain('privileged: false   # needed? no');
    expect(actions.find((action) => action.title.startsWith('Suppress'))?.command).toBeUndefined();
  });
});

describe('kubemend lsp workspace context', () => {
  const POD = `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop }
spec:
  containers: [{ name: app, image: nginx:1.27 }]
`;
  const ACCOUNTS = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: other, namespace: shop }
spec: { template: { spec: { containers: [{ name: x, image: "x:1" }] } } }
---
# the namespace's default account
apiVersion: v1
kind: ServiceAccount
metadata: { name: default, namespace: shop }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`;

  it('sees the default ServiceAccount in another file, and its fix edits that file as --diff does', async () => {
    const { dir, uri } = await opened({ 'pod.yaml': POD, 'accounts.yaml': ACCOUNTS }, 'pod.yaml');
    const { diagnostics } = await client!.diagnostics(uri, 1);
    const asat = diagnostics.find((d) => d.code === 'AutomountServiceAccountTokenTrueAndDefaultSA')!;
    // The same finding, with the same message, as `kubemend .` run in the folder.
    const cli = await runJson(['.'], { cwd: dir });
    const inCli = cli.report.results
      .find((result) => result.file === 'pod.yaml')!
      .findings.find((f) => f.code === asat.code)!;
    expect(asat.message).toBe(inCli.message);
    // The code itself says the ServiceAccount was seen; the CLI's details say where.
    expect(inCli.details).toContain('the default ServiceAccount of namespace "shop" (accounts.yaml:11)');
    const fix = (await actionsAt(uri, asat.range)).find((action) => action.title.startsWith('Fix:'))!;
    expect(fix.title).toBe('Fix: set automountServiceAccountToken to false in accounts.yaml');
    const edits = editsByUri((await resolved(fix)).edit);
    const expected = await diffResult(dir, ['--fix-only', 'AutomountServiceAccountTokenTrueAndDefaultSA', '.']);
    expect([...edits.keys()]).toEqual([uriOf(path.join(dir, 'accounts.yaml'))]);
    const accounts = edits.get(uriOf(path.join(dir, 'accounts.yaml')))!;
    expect(accounts.version).toBeNull();
    expect(apply(ACCOUNTS, accounts.edits)).toBe(expected.get('accounts.yaml'));
  });

  it('lints open documents again when another one changes the namespaces and policies they see', async () => {
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n';
    const { dir, uri } = await opened({ 'ns.yaml': namespace }, 'ns.yaml');
    const before = await client!.diagnostics(uri, 1);
    expect(before.diagnostics.map((d) => d.code)).toEqual(['MissingDefaultDenyIngressAndEgressNetworkPolicy']);
    client!.clear();
    // A new, unsaved document: the editor's text is context too.
    const policy = uriOf(path.join(dir, 'policy.yaml'));
    const denyAll = 'spec: { podSelector: {}, policyTypes: [Ingress, Egress] }\n';
    await client!.open(
      policy,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: shop }\n${denyAll}`,
    );
    expect((await client!.diagnostics(uri)).diagnostics).toEqual([]);
  });
});
