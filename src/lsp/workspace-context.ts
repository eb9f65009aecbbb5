import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDocument, parseAllDocuments } from 'yaml';
import { expandInputs } from '../load/inputs.js';
import { lintText, type LintOptions } from '../engine/run.js';
import type { Located, ResourceSetRule, Rule } from '../engine/types.js';

/*
 * Cross-file rules (a Namespace without a default-deny NetworkPolicy, a pod and its namespace's default
 * ServiceAccount) need the workspace's other manifests, as `kubemend <folder>` sees them. Linting every file on every
 * keystroke would cost seconds in a large repository, so each file is scanned once per version: the documents whose
 * resources some cross-file rule keeps a fact about, other than workloads, are kept, and the rest of the file is
 * replaced by empty documents. Workloads of other files only matter to findings in those files, which the editor
 * does not show for this one. Document indices and line numbers stay as in the file, so patches that target it and
 * messages that point into it stay right.
 */

/** A file's name in a lint run and its text. */
export interface NamedText {
  file: string;
  text: string;
}

/**
 * The rules, with every resource-set rule reporting, through `mark`, the resources other than workloads it keeps a
 * fact about.
 */
export function observingContext(rules: readonly Rule[], mark: (at: Located) => void): Rule[] {
  return rules.map((rule): Rule => {
    if (rule.kind !== 'resource-set') return rule;
    const observed: ResourceSetRule<unknown, unknown> = {
      ...rule,
      collect(resource, at, workload) {
        const fact = rule.collect(resource, at, workload);
        if (fact !== undefined && workload === undefined) mark(at);
        return fact;
      },
    };
    return observed;
  });
}

/** Indices of the documents of `text` holding context for other files. */
function contextDocuments(file: string, text: string, options: LintOptions, rules: readonly Rule[]): Set<number> {
  const indices = new Set<number>();
  const scanning = observingContext(
    rules.filter((rule) => rule.kind === 'resource-set'),
    (at) => indices.add(at.documentIndex),
  );
  lintText(file, text, { ...options, rules: scanning });
  return indices;
}

/**
 * The text up to the last document in `keep`, with the contents of every other document replaced by `~` (an empty
 * document) and the line breaks they held: the kept documents keep their index (patches name it) and their line
 * numbers (messages cite them), and most of the bytes, which the linter would parse on every keystroke, go.
 */
export function keepDocuments(text: string, keep: ReadonlySet<number>): string {
  const docs = parseAllDocuments(text);
  const last = Math.max(...keep);
  let out = '';
  let cursor = 0;
  docs.slice(0, last).forEach((doc, index) => {
    const range = isDocument(doc) ? doc.contents?.range : undefined;
    if (keep.has(index) || !range) return;
    const [start, , end] = range;
    const lineBreaks = text.slice(start, end).split('\n').length - 1;
    out += `${text.slice(cursor, start)}~${'\n'.repeat(lineBreaks)}`;
    cursor = end;
  });
  const lastDoc = docs[last];
  return out + text.slice(cursor, isDocument(lastDoc) ? lastDoc.range[2] : text.length);
}

function stampOf(file: string): string | undefined {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats?.isFile() ? `${stats.mtimeMs}:${stats.size}` : undefined;
}

function readText(file: string): string | undefined {
  try {
    // Editors do not show a byte order mark: edits computed on this text must count as they do.
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

interface Scan {
  stamp: string;
  rulesKey: string;
  /** The file cut down to its context documents; undefined when it has none. */
  context: string | undefined;
}

/** One workspace folder's manifests as context, each file scanned again only when it (or the rules) change. */
export class WorkspaceContext {
  private listing: string[] | undefined;
  private readonly scans = new Map<string, Scan>();

  constructor(readonly folder: string) {}

  /** Files were created or deleted: list the folder again before the next lint. */
  invalidate(): void {
    this.listing = undefined;
  }

  /** The full text of a file of the workspace: an open document's, else the file's on disk. */
  static textOf(file: string, open: ReadonlyMap<string, { version: number; text: string }>): string | undefined {
    return open.get(file)?.text ?? readText(file);
  }

  /**
   * The context of a lint of `exclude`: every other manifest file of the folder (open documents as the editor has
   * them) that holds context documents, cut down to them, named relative to the folder.
   */
  async contextFor(
    exclude: string,
    options: LintOptions,
    open: ReadonlyMap<string, { version: number; text: string }>,
    skip: (files: readonly string[]) => Promise<Set<string>>,
  ): Promise<NamedText[]> {
    this.listing ??= (await expandInputs([this.folder])).files.map((file) => path.resolve(file));
    const inFolder = [...open.keys()].filter((file) => this.contains(file));
    const files = [...new Set([...this.listing, ...inFolder])].filter((file) => file !== exclude).sort();
    const skipped = await skip(files);
    const rules = options.rules ?? [];
    const rulesKey = JSON.stringify([rules.map((rule) => rule.meta.id), options.ruleOptions, options.workloadKinds]);
    const context: NamedText[] = [];
    for (const file of files) {
      if (skipped.has(file)) continue;
      const document = open.get(file);
      const stamp = document ? `open:${document.version}` : stampOf(file);
      if (stamp === undefined) continue;
      let scan = this.scans.get(file);
      if (scan?.stamp !== stamp || scan.rulesKey !== rulesKey) {
        scan = { stamp, rulesKey, context: this.scan(file, WorkspaceContext.textOf(file, open), options, rules) };
        this.scans.set(file, scan);
      }
      if (scan.context !== undefined) context.push({ file: this.nameOf(file), text: scan.context });
    }
    return context;
  }

  contains(file: string): boolean {
    const relative = path.relative(this.folder, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }

  /** How a file of the folder is named in lint runs and messages: relative to the folder, as `kubemend .` names it. */
  nameOf(file: string): string {
    return path.relative(this.folder, file);
  }

  private scan(
    file: string,
    text: string | undefined,
    options: LintOptions,
    rules: readonly Rule[],
  ): string | undefined {
    if (text === undefined) return undefined;
    const keep = contextDocuments(this.nameOf(file), text, options, rules);
    return keep.size === 0 ? undefined : keepDocuments(text, keep);
  }
}
