import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type Position,
  type Range,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ALLOWED_SUFFIX } from '../engine/overrides.js';
import { FIX_ALL, type FindingInfo, type FixReply, type FixSelection } from './messages.js';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.kubemend`;
/** Puts the cursor where the reason of a new suppression comment goes (see `suppressAction`). */
export const PLACE_CURSOR_COMMAND = 'kubemend.placeCursor';
const SUPPRESS_DIRECTIVE = 'kubemend-disable-next-line';

/** What a fix action carries until its edit is computed (`codeAction/resolve`). */
export interface FixData {
  uri: string;
  version: number;
  select: FixSelection;
}

export interface ActionFeatures {
  /** The client sends `codeAction/resolve` for the edit: listing actions then needs no fix run. */
  resolvesEdits: boolean;
  /** The client can move its cursor on `window/showDocument`. */
  showDocument: boolean;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.message === b.message && overlaps(a.range, b.range);
}

/** Whether an action of `kind` is wanted when the client asks only for `only` (a kind includes its sub-kinds). */
function wanted(kind: string, only: readonly string[] | undefined): boolean {
  return !only || only.some((asked) => kind === asked || kind.startsWith(`${asked}.`));
}

/**
 * `# kubemend-disable-next-line <Code> -- ` on a new line above the finding's, indented as that line. The reason
 * is the user's to write: the cursor goes after `-- ` through a command that asks the editor to show the document
 * with that selection (`window/showDocument`), which editors without snippet edits support too.
 */
function suppressAction(document: TextDocument, finding: FindingInfo, features: ActionFeatures): CodeAction {
  const line = finding.diagnostic.range.start.line;
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(text)![0];
  const eol = /\r\n$/.test(text) ? '\r\n' : '\n';
  const comment = `${indent}# ${SUPPRESS_DIRECTIVE} ${finding.code} -- `;
  const start = { line, character: 0 };
  const action: CodeAction = {
    title: `Suppress ${finding.code} on this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [finding.diagnostic],
    edit: { changes: { [document.uri]: [{ range: { start, end: start }, newText: comment + eol }] } },
  };
  if (features.showDocument) {
    action.command = {
      title: 'Write the reason',
      command: PLACE_CURSOR_COMMAND,
      arguments: [document.uri, line, comment.length],
    };
  }
  return action;
}

function fixAction(title: string, kind: string, data: FixData, diagnostics: Diagnostic[]): CodeAction {
  return { title, kind, diagnostics, isPreferred: kind === CodeActionKind.QuickFix, data };
}

/**
 * The actions for the findings under the range (or among the diagnostics the client sent): a quick fix per fixable
 * finding, a suppression per finding, and fixing the whole file. Fix edits are left for `resolve`.
 */
export function listActions(
  params: CodeActionParams,
  document: TextDocument,
  findings: readonly FindingInfo[],
  features: ActionFeatures,
): CodeAction[] {
  const { only } = params.context;
  const data = (select: FixSelection): FixData => ({ uri: document.uri, version: document.version, select });
  const here = findings.filter(
    (finding) =>
      overlaps(finding.diagnostic.range, params.range) ||
      params.context.diagnostics.some((sent) => sameDiagnostic(sent, finding.diagnostic)),
  );
  const actions: CodeAction[] = [];
  if (wanted(CodeActionKind.QuickFix, only)) {
    for (const finding of here) {
      if (finding.fix !== undefined)
        actions.push(
          fixAction(`Fix: ${finding.fix}`, CodeActionKind.QuickFix, data(finding.key), [finding.diagnostic]),
        );
    }
    for (const finding of here)
      if (!finding.code.endsWith(ALLOWED_SUFFIX)) actions.push(suppressAction(document, finding, features));
  }
  const fixable = findings.filter((finding) => finding.fix !== undefined);
  if (fixable.length > 0 && wanted(FIX_ALL_KIND, only)) {
    actions.push(
      fixAction(
        'Fix all kubemend problems in this file',
        FIX_ALL_KIND,
        data(FIX_ALL),
        fixable.map((finding) => finding.diagnostic),
      ),
    );
  }
  return actions;
}

/** The engine's edits as a WorkspaceEdit, versioned where the client checks versions (`documentChanges`). */
export function workspaceEdit(reply: FixReply, documentChanges: boolean): WorkspaceEdit {
  if (documentChanges) {
    return {
      documentChanges: reply.files.map((file) => ({
        textDocument: { uri: file.uri, version: file.version },
        edits: file.edits,
      })),
    };
  }
  return { changes: Object.fromEntries(reply.files.map((file) => [file.uri, file.edits])) };
}
