import { isDeepStrictEqual } from 'node:util';
import type { Diagnostic } from 'vscode-languageserver';

/**
 * Publishing replaces all of a URI's diagnostics, and a `.kubemend.yaml` open in the editor gets both its own lint
 * (nothing: it is no manifest) and its config errors: the board keeps both and publishes them together.
 */
export class DiagnosticsBoard {
  private readonly byUri = new Map<string, { document: Diagnostic[]; config: Diagnostic[]; version?: number }>();

  constructor(
    private readonly publish: (uri: string, diagnostics: Diagnostic[], version: number | undefined) => void,
  ) {}

  /** A lint of the document's version: always published, so the editor knows the version was linted. */
  setDocument(uri: string, version: number, diagnostics: Diagnostic[]): void {
    const entry = { ...this.entry(uri), document: diagnostics, version };
    this.byUri.set(uri, entry);
    this.publish(uri, [...entry.config, ...diagnostics], version);
  }

  /** A config file's problems: published when they change. */
  setConfig(uri: string, diagnostics: Diagnostic[]): void {
    const entry = this.entry(uri);
    if (isDeepStrictEqual(entry.config, diagnostics)) return;
    this.byUri.set(uri, { ...entry, config: diagnostics });
    this.publish(uri, [...diagnostics, ...entry.document], entry.version);
  }

  /** The document was closed: its own diagnostics go, a config file's stay. */
  closeDocument(uri: string): void {
    const entry = this.entry(uri);
    if (entry.config.length > 0) this.byUri.set(uri, { document: [], config: entry.config });
    else this.byUri.delete(uri);
    this.publish(uri, entry.config, undefined);
  }

  private entry(uri: string): { document: Diagnostic[]; config: Diagnostic[]; version?: number } {
    return this.byUri.get(uri) ?? { document: [], config: [] };
  }
}
