import type { Diagnostic, TextEdit } from 'vscode-languageserver';

/*
 * What the server (main thread) and the engine worker say to each other. The worker lints and fixes; the main thread
 * speaks LSP, so a long lint never delays an answer to the editor.
 */

/** An open document as the worker mirrors it: the editor's text is what is linted, and context for other files. */
export interface OpenDocument {
  uri: string;
  version: number;
  text: string;
}

/** A finding as the editor needs it: its diagnostic, and what its fix does. */
export interface FindingInfo {
  /** Identifies the finding in this version of the document, for its fix. */
  key: string;
  rule: string;
  code: string;
  diagnostic: Diagnostic;
  /** What the fix does, when the finding has one. */
  fix?: string;
}

export interface LintReply {
  uri: string;
  version: number;
  /** File errors and findings. */
  diagnostics: Diagnostic[];
  findings: FindingInfo[];
  /** Diagnostics of the config file the document's configuration comes from; empty when it is fine. */
  config?: { uri: string; diagnostics: Diagnostic[] };
  /** Whether documents of this file are context for other files' cross-file rules (a Namespace, a ServiceAccount). */
  providesContext: boolean;
}

export interface FileEdits {
  uri: string;
  /** The version of the open document the edits were computed for; null for a file that is not open. */
  version: number | null;
  edits: TextEdit[];
}

export interface FixReply {
  files: FileEdits[];
  /** Why asked-for fixes were not made. */
  problems: string[];
}

/** `all`, or the key of one finding. */
export type FixSelection = string;
export const FIX_ALL: FixSelection = 'all';

export type WorkerNotification =
  | { type: 'open'; document: OpenDocument }
  | { type: 'close'; uri: string }
  | { type: 'workspace'; folders: string[] }
  | { type: 'filesChanged' };

export type WorkerRequest =
  | { id: number; type: 'lint'; uri: string }
  | { id: number; type: 'fix'; uri: string; version: number; select: FixSelection };

export type WorkerMessage = WorkerNotification | WorkerRequest;

export type WorkerReply = { id: number; result: LintReply | FixReply | null } | { id: number; error: string };
