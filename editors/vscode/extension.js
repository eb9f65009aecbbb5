// A minimal VS Code extension: it starts `kubemend lsp --stdio` for YAML files and leaves everything else to the
// server (diagnostics, quick fixes, fix-all on save, suppressions, hovers).
const { existsSync } = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

/** kubemend.path, else the workspace's own copy (an npm devDependency), else kubemend on the PATH. */
function kubemendCommand() {
  const configured = vscode.workspace.getConfiguration('kubemend').get('path');
  if (configured) return configured;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(
      folder.uri.fsPath,
      'node_modules',
      '.bin',
      process.platform === 'win32' ? 'kubemend.cmd' : 'kubemend',
    );
    if (existsSync(local)) return local;
  }
  return 'kubemend';
}

async function activate(context) {
  const command = kubemendCommand();
  // TransportKind.stdio adds --stdio, the flag kubemend lsp expects.
  const run = {
    command,
    args: ['lsp'],
    transport: TransportKind.stdio,
    options: { shell: process.platform === 'win32' },
  };
  client = new LanguageClient(
    'kubemend',
    'kubemend',
    { run, debug: run },
    {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'untitled', language: 'yaml' },
      ],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.yaml,*.yml,.kubemend.yaml,.kubemend.yml}'),
      },
    },
  );
  context.subscriptions.push(client);
  await client.start();
}

async function deactivate() {
  await client?.stop();
}

module.exports = { activate, deactivate };
