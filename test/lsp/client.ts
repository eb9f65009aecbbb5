import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { main } from '../../dist/src/cli/main.js';
import { BIN } from '../support/cli.js';

/** What a client like VS Code declares: resolve for edits, versioned document changes, showDocument. */
export const VSCODE_LIKE: ClientCapabilities = {
  textDocument: {
    codeAction: {
      resolveSupport: { properties: ['edit'] },
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } },
    },
    hover: { contentFormat: ['markdown'] },
    publishDiagnostics: { versionSupport: true },
  },
  workspace: { workspaceEdit: { documentChanges: true }, didChangeWatchedFiles: { dynamicRegistration: false } },
  window: { showDocument: { support: true } },
};

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/**
 * A language client for tests, on vscode-languageserver's own JSON-RPC connection: the server runs in-process
 * (`main(['lsp', '--stdio'])` on in-memory streams) or as a child process (`node bin/kubemend.js lsp --stdio`).
 */
export class LspClient {
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly versions = new Map<string, number>();

  private constructor(
    readonly connection: ProtocolConnection,
    /** Settles with the server's exit code. */
    readonly exited: Promise<number | null>,
    readonly child?: ChildProcess,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    connection.listen();
  }

  static inProcess(cwd: string): LspClient {
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    const stderr = new Writable({ write: (_chunk, _encoding, done) => done() });
    const exited = main(['lsp', '--stdio'], { stdin: toServer, stdout: fromServer, stderr, cwd, env: process.env });
    const connection = createProtocolConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
    return new LspClient(connection, exited);
  }

  static child(cwd: string): LspClient {
    const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    return new LspClient(connection, exited, child);
  }

  async initialize(root: string, capabilities: ClientCapabilities = VSCODE_LIKE): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: 'test' }],
      capabilities,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /** Replaces the whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /** The first diagnostics published for `uri` (for `version`, when given) from now on or already received. */
  async diagnostics(uri: string, version?: number, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.published.find(
        (params) => params.uri === uri && (version === undefined || params.version === version),
      );
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no diagnostics for ${uri}${version === undefined ? '' : ` version ${version}`}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  /** Whether diagnostics for `uri` were published already. */
  hasDiagnostics(uri: string): boolean {
    return this.published.some((params) => params.uri === uri);
  }

  /** Forgets what was published, so the next `diagnostics` waits for a new publication. */
  clear(): void {
    this.published.length = 0;
  }

  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }
}
