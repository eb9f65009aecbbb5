import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type CodeAction,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readPackageInfo } from '../package-info.js';
import {
  FIX_ALL_KIND,
  listActions,
  PLACE_CURSOR_COMMAND,
  workspaceEdit,
  type ActionFeatures,
  type FixData,
} from './code-actions.js';
import { openConnection } from './connection.js';
import { DiagnosticsBoard } from './diagnostics-board.js';
import { EngineClient } from './engine-client.js';
import { RuleHelp } from './hover.js';
import { LintQueue } from './lint-queue.js';
import type { FindingInfo, LintReply, WorkerNotification } from './messages.js';

/** Typing pauses this long before a lint: short enough for diagnostics within 150 ms of the last keystroke. */
const LINT_DELAY_MS = 50;
const CONFIG_FILE = /(^|[/\\])\.kubemend\.ya?ml$/;

interface LintedState {
  version: number;
  findings: FindingInfo[];
}

function isManifestCandidate(document: TextDocument): boolean {
  return document.languageId === 'yaml' || /\.ya?ml$/i.test(document.uri);
}

function workspaceFolders(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
}

/** The language server: documents in, diagnostics, code actions and hovers out; the engine runs in a worker. */
class KubemendServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly engine: EngineClient;
  private readonly queue = new LintQueue((uri) => this.lint(uri), LINT_DELAY_MS);
  private readonly board: DiagnosticsBoard;
  private readonly help = new RuleHelp();
  private readonly linted = new Map<string, LintedState>();
  /** Open documents whose manifests are context for the others' cross-file rules. */
  private readonly providers = new Set<string>();
  private folders: string[] = [];
  private capabilities: ClientCapabilities = {};

  constructor(private readonly connection: Connection) {
    this.engine = new EngineClient(
      () => this.replay(),
      (message) => connection.console.error(message),
    );
    this.board = new DiagnosticsBoard(
      (uri, diagnostics, version) => void connection.sendDiagnostics({ uri, diagnostics, version }),
    );
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.watchFiles());
    connection.onShutdown(() => this.queue.dispose());
    connection.onDidChangeWatchedFiles(() => {
      this.engine.notify({ type: 'filesChanged' });
      this.lintAllSoon();
    });
    connection.onCodeAction(async (params) => {
      const document = this.documents.get(params.textDocument.uri);
      const state = this.linted.get(params.textDocument.uri);
      // Actions are made from the diagnostics of the text the editor shows; a newer text waits for its lint.
      if (!document || state?.version !== document.version) return [];
      const actions = listActions(params, document, state.findings, this.features());
      if (this.features().resolvesEdits) return actions;
      const resolved = await Promise.all(actions.map((action) => this.resolve(action)));
      return resolved.filter((action) => action.edit !== undefined);
    });
    connection.onCodeActionResolve((action) => this.resolve(action));
    connection.onHover((params) => {
      const document = this.documents.get(params.textDocument.uri);
      const state = this.linted.get(params.textDocument.uri);
      return document && state?.version === document.version ? this.help.hover(params.position, state.findings) : null;
    });
    connection.onExecuteCommand(async (params) => {
      if (params.command !== PLACE_CURSOR_COMMAND) return;
      const [uri, line, character] = params.arguments as [string, number, number];
      const position = { line, character };
      await connection.window.showDocument({ uri, takeFocus: true, selection: { start: position, end: position } });
    });
    this.documents.onDidChangeContent(({ document }) => this.changed(document));
    this.documents.onDidClose(({ document }) => this.closed(document.uri));
    this.documents.onDidSave(({ document }) => {
      if (CONFIG_FILE.test(document.uri)) this.lintAllSoon();
    });
    this.documents.listen(connection);
  }

  async dispose(): Promise<void> {
    this.queue.dispose();
    await this.engine.close();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.capabilities = params.capabilities;
    this.folders = workspaceFolders(params);
    this.engine.notify({ type: 'workspace', folders: this.folders });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        hoverProvider: true,
        executeCommandProvider: { commands: [PLACE_CURSOR_COMMAND] },
      },
      serverInfo: { name: 'kubemend', version: readPackageInfo().version },
    };
  }

  /** Manifests and config files changed on disk (another tool, a git checkout) change cross-file findings. */
  private watchFiles(): void {
    if (!this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
    void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{yaml,yml}' }, { globPattern: '**/.kubemend.{yaml,yml}' }],
    });
  }

  private features(): ActionFeatures {
    const resolveSupport = this.capabilities.textDocument?.codeAction?.resolveSupport?.properties ?? [];
    return {
      resolvesEdits: resolveSupport.includes('edit'),
      showDocument: this.capabilities.window?.showDocument?.support === true,
    };
  }

  /** What a restarted worker must be told: the workspace and every open document. */
  private replay(): WorkerNotification[] {
    const open = this.documents.all().filter(isManifestCandidate);
    return [
      { type: 'workspace', folders: this.folders },
      ...open.map((document): WorkerNotification => ({
        type: 'open',
        document: { uri: document.uri, version: document.version, text: document.getText() },
      })),
    ];
  }

  private changed(document: TextDocument): void {
    if (!isManifestCandidate(document)) return;
    this.engine.notify({
      type: 'open',
      document: { uri: document.uri, version: document.version, text: document.getText() },
    });
    // A document just opened is linted at once; edits wait for a pause in typing.
    if (this.linted.has(document.uri)) this.queue.soon(document.uri);
    else this.queue.now(document.uri);
  }

  private closed(uri: string): void {
    this.queue.cancel(uri);
    this.linted.delete(uri);
    this.providers.delete(uri);
    this.engine.notify({ type: 'close', uri });
    this.board.closeDocument(uri);
  }

  private lintAllSoon(): void {
    for (const uri of this.linted.keys()) this.queue.soon(uri);
  }

  private async lint(uri: string): Promise<void> {
    let reply: LintReply | null;
    try {
      reply = await this.engine.lint(uri);
    } catch (error) {
      this.connection.console.error(
        `kubemend: linting ${uri} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    const document = this.documents.get(uri);
    // A reply for an older text is dropped: the newer text's lint is on its way.
    if (!reply || document?.version !== reply.version) return;
    const edited = this.linted.get(uri)?.version !== reply.version;
    const provided = this.providers.has(uri);
    this.linted.set(uri, { version: reply.version, findings: reply.findings });
    this.board.setDocument(uri, reply.version, reply.diagnostics);
    if (reply.config) this.board.setConfig(reply.config.uri, reply.config.diagnostics);
    if (reply.providesContext) this.providers.add(uri);
    else this.providers.delete(uri);
    // An edit to a Namespace, a NetworkPolicy or a ServiceAccount changes other documents' cross-file findings.
    if (edited && (provided || reply.providesContext))
      for (const other of this.linted.keys()) if (other !== uri) this.queue.soon(other);
  }

  /** Adds a fix action's edit, made by the engine; an action it cannot make stays without one, with a message. */
  private async resolve(action: CodeAction): Promise<CodeAction> {
    const data = action.data as FixData | undefined;
    if (!data || action.edit) return action;
    try {
      const reply = await this.engine.fix(data.uri, data.version, data.select);
      if (reply && reply.files.length > 0) {
        action.edit = workspaceEdit(reply, this.capabilities.workspace?.workspaceEdit?.documentChanges === true);
      } else if (reply && reply.problems.length > 0) {
        void this.connection.window.showWarningMessage(`kubemend: not fixed: ${reply.problems.join('; ')}`);
      }
    } catch (error) {
      this.connection.console.error(
        `kubemend: fixing ${data.uri} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return action;
  }
}

/**
 * Runs `kubemend lsp` on the given streams until the editor says `exit` (or goes away) and returns the exit code.
 * The input is released at the end, so the process can end.
 */
export async function runLanguageServer(io: { stdin: Readable; stdout: Writable }): Promise<number> {
  const { connection, exited, dispose } = openConnection(io.stdin, io.stdout);
  const server = new KubemendServer(connection);
  connection.listen();
  const code = await exited;
  dispose();
  await server.dispose();
  connection.dispose();
  io.stdin.destroy();
  return code;
}
