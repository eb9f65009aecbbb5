import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LintRun, type LintOptions } from '../engine/run.js';
import type { FileResult, Finding } from '../engine/types.js';
import { fixTexts } from '../fix/index.js';
import { describePatch } from '../report/sarif-fix.js';
import { ConfigCache, ignoredFiles, type FolderConfig } from './document-config.js';
import {
  configIssueDiagnostic,
  fileErrorDiagnostic,
  findingDiagnostic,
  looksLikeManifest,
  notLintedDiagnostic,
} from './diagnostics.js';
import {
  FIX_ALL,
  type FindingInfo,
  type FixReply,
  type FixSelection,
  type LintReply,
  type OpenDocument,
} from './messages.js';
import { findingKey, selection } from './fix-selection.js';
import { editsBetween } from './text-edits.js';
import { observingContext, WorkspaceContext, type NamedText } from './workspace-context.js';

/** Where a document lives: its file (for untitled documents, its URI), its workspace folder, its folder for config. */
interface Place {
  /** Absolute path, or the URI of a document that is not a file. */
  file: string;
  /** The folder the configuration is looked up from. */
  dir: string;
  workspace: WorkspaceContext | undefined;
}

type Setting =
  | { kind: 'broken'; config: Extract<FolderConfig, { ok: false }> }
  | { kind: 'ignored'; configFile: string | undefined }
  | { kind: 'ready'; options: LintOptions; configFile: string | undefined; context: NamedText[]; name: string };

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The engine side of the language server, run in a worker thread: it mirrors the open documents, finds each one's
 * configuration and workspace context, lints and fixes. Everything it answers is ready for LSP.
 */
export class EngineHost {
  private readonly documents = new Map<string, OpenDocument>();
  /** Open documents by file path, for context and fix targets. */
  private readonly openFiles = new Map<string, OpenDocument>();
  private readonly configs = new ConfigCache();
  private workspaces: WorkspaceContext[] = [];
  private readonly lastLint = new Map<string, { version: number; result: FileResult; setting: Setting }>();

  open(document: OpenDocument): void {
    this.documents.set(document.uri, document);
    const file = fileOf(document.uri);
    if (file !== undefined) this.openFiles.set(file, document);
  }

  close(uri: string): void {
    this.documents.delete(uri);
    this.lastLint.delete(uri);
    const file = fileOf(uri);
    if (file !== undefined) this.openFiles.delete(file);
  }

  setFolders(folders: readonly string[]): void {
    // The deepest folder wins for a file in nested workspace folders.
    this.workspaces = [...folders].sort((a, b) => b.length - a.length).map((folder) => new WorkspaceContext(folder));
  }

  filesChanged(): void {
    for (const workspace of this.workspaces) workspace.invalidate();
  }

  async lint(uri: string): Promise<LintReply | null> {
    const document = this.documents.get(uri);
    if (!document) return null;
    const { version, text } = document;
    const place = this.placeOf(uri);
    const setting = await this.settingFor(place);
    const reply: LintReply = { uri, version, diagnostics: [], findings: [], providesContext: false };
    if (setting.kind === 'broken') {
      const configText = readConfigText(setting.config.file);
      const diagnostics = setting.config.issues.map((issue) => configIssueDiagnostic(issue, configText));
      reply.config = { uri: pathToFileURL(setting.config.file).href, diagnostics };
      if (looksLikeManifest(text)) reply.diagnostics.push(notLintedDiagnostic(setting.config.file, text));
      return reply;
    }
    if (setting.configFile !== undefined)
      reply.config = { uri: pathToFileURL(setting.configFile).href, diagnostics: [] };
    if (setting.kind === 'ignored') return reply;

    const rules = observingContext(setting.options.rules ?? [], (at) => {
      if (at.file === setting.name) reply.providesContext = true;
    });
    const run = new LintRun({ ...setting.options, rules });
    for (const input of inOrder({ file: setting.name, text }, setting.context)) run.addText(input.file, input.text);
    const result = run.finish().find((candidate) => candidate.file === setting.name)!;
    this.lastLint.set(uri, { version, result, setting });
    if (result.findings.length === 0 && !looksLikeManifest(text)) return reply;
    reply.diagnostics.push(...result.errors.map((error) => fileErrorDiagnostic(error, text)));
    reply.findings = result.findings.map((finding) => this.findingInfo(finding, setting.name));
    reply.diagnostics.push(...reply.findings.map((finding) => finding.diagnostic));
    return reply;
  }

  /**
   * The edits of `kubemend --fix` for one finding of the document, or all of them: fixTexts over the document and
   * its context, where the files other than the document that the fixes change are read whole.
   */
  async fix(uri: string, version: number, select: FixSelection): Promise<FixReply | null> {
    const document = this.documents.get(uri);
    if (!document || document.version !== version) return null;
    let last = this.lastLint.get(uri);
    if (last?.version !== version) {
      await this.lint(uri);
      last = this.lastLint.get(uri);
    }
    if (last?.version !== version || last.setting.kind !== 'ready') return null;
    const { setting, result } = last;
    const chosen = result.findings.filter(
      (finding) => finding.fixable && (select === FIX_ALL || findingKey(finding) === select),
    );
    if (chosen.length === 0) return null;
    const targets = new Set(chosen.flatMap((finding) => finding.patches.map((patch) => patch.target.file)));
    const place = this.placeOf(uri);
    const inputs = inOrder({ file: setting.name, text: document.text }, setting.context).map((input) => {
      if (input.file === setting.name || !targets.has(input.file)) return input;
      const text = WorkspaceContext.textOf(this.fileNamed(place, input.file), this.openFiles);
      return text === undefined ? input : { file: input.file, text };
    });
    const report = fixTexts(inputs, [], { ...setting.options, only: selection(select, document.text) });
    return {
      files: report.files
        .filter((file) => file.after !== file.before)
        .map((file) => {
          const absolute = this.fileNamed(place, file.file);
          const open = file.file === setting.name ? document : this.openFiles.get(absolute);
          const fileUri = file.file === setting.name ? uri : pathToFileURL(absolute).href;
          return { uri: fileUri, version: open?.version ?? null, edits: editsBetween(file.before, file.after) };
        }),
      problems: report.files.flatMap((file) => file.problems),
    };
  }

  private findingInfo(finding: Finding, name: string): FindingInfo {
    const info: FindingInfo = {
      key: findingKey(finding),
      rule: finding.rule,
      code: finding.code,
      diagnostic: findingDiagnostic(finding),
    };
    if (finding.fixable)
      info.fix = lowerFirst(finding.patches.map((patch) => describePatch(patch, finding, name)).join('; '));
    return info;
  }

  private placeOf(uri: string): Place {
    const file = fileOf(uri);
    // An untitled document gets the configuration of the outermost workspace folder (or of the server's folder).
    if (file === undefined)
      return { file: uri, dir: this.workspaces.at(-1)?.folder ?? process.cwd(), workspace: undefined };
    return { file, dir: path.dirname(file), workspace: this.workspaces.find((workspace) => workspace.contains(file)) };
  }

  private fileNamed(place: Place, name: string): string {
    return place.workspace ? path.resolve(place.workspace.folder, name) : path.resolve(name);
  }

  private async settingFor(place: Place): Promise<Setting> {
    const folderConfig = await this.configs.forFolder(place.dir);
    if (!folderConfig.ok) return { kind: 'broken', config: folderConfig };
    const { config, file: configFile } = folderConfig;
    const skip = (files: readonly string[]) => ignoredFiles(config, files);
    if ((await skip([place.file])).has(place.file)) return { kind: 'ignored', configFile };
    const open = this.openFiles;
    const context = place.workspace ? await place.workspace.contextFor(place.file, config.lintOptions, open, skip) : [];
    const name = place.workspace ? place.workspace.nameOf(place.file) : place.file;
    return { kind: 'ready', options: config.lintOptions, configFile, context, name };
  }
}

/** The document and its context in file-name order, as `kubemend <folder>` reads them. */
function inOrder(document: NamedText, context: readonly NamedText[]): NamedText[] {
  return [document, ...context].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function fileOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}
