import type { ArtifactChange, ArtifactLocation, Fix, Region, Replacement } from 'sarif';
import type { Finding, TargetedPatch } from '../engine/types.js';
import { formatNodePath, type NodePath } from '../load/nodes.js';
import { LineIndex } from '../load/positions.js';
import { CONTAINER_LISTS } from '../load/workloads.js';
import { FixPreviews, renderFlow, type SourceOf } from '../fix/index.js';
import { describeResource } from './sarif-message.js';

/*
 * SARIF `fixes`: what `kubemend --fix` would change for one finding alone, as replacements in the files as they are.
 * The edits are the fix engine's own (src/fix's FixPreviews), so they are what --fix and --diff make.
 */

/** Where a file's changes go in the SARIF; undefined for standard input, which is gone. */
export type Locate = (file: string) => ArtifactLocation | undefined;

const CONTAINER_LIST_KEYS = new Set(CONTAINER_LISTS.map((list) => list.key));

/** The path to show, and where it is: inside the finding's container when it points there (`securityContext.privileged`). */
function shownPath(path: NodePath, container: string | null): { shown: string; where: string } {
  const at = path.findIndex(
    (segment, i) =>
      typeof segment === 'string' &&
      CONTAINER_LIST_KEYS.has(segment) &&
      typeof path[i + 1] === 'number' &&
      i + 2 < path.length,
  );
  if (container === null || at === -1) return { shown: formatNodePath(path), where: '' };
  return { shown: formatNodePath(path.slice(at + 2)), where: ` in container "${container}"` };
}

function describeAddedDocument(value: unknown, file: string): string {
  const data = (typeof value === 'object' && value !== null ? value : {}) as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown; namespace?: unknown };
  };
  const text = (field: unknown) => (typeof field === 'string' ? field : null);
  const resource = {
    apiVersion: text(data.apiVersion) ?? '',
    kind: text(data.kind) ?? 'document',
    name: text(data.metadata?.name),
    namespace: text(data.metadata?.namespace),
  };
  return `Add ${describeResource(resource)} at the end of ${file}`;
}

/** What a patch does, saying where when that is not the finding's own document (a ServiceAccount, a NetworkPolicy). */
export function describePatch({ patch, target }: TargetedPatch, finding: Finding, file: string): string {
  const otherFile = target.file !== file;
  if (patch.op === 'appendDocument') return describeAddedDocument(patch.value, otherFile ? target.file : 'the file');
  const ownDocument = !otherFile && target.documentIndex === finding.documentIndex;
  const { shown, where } = ownDocument
    ? shownPath(patch.path, finding.container)
    : {
        shown: formatNodePath(patch.path),
        where: otherFile ? ` in ${target.file}` : ` in document ${target.documentIndex + 1} of the file`,
      };
  switch (patch.op) {
    case 'set':
      return `Set ${shown} to ${renderFlow(patch.value)}${where}`;
    case 'delete':
      return `Remove ${shown}${where}`;
    case 'addToList':
      return `Add ${renderFlow(patch.value)} to ${shown}${where}`;
    case 'removeFromList':
      return `Remove ${renderFlow(patch.value)} from ${shown}${where}`;
  }
}

/** SARIF regions of one file's text: 1-based, UTF-16 columns, BOM not counted, `endColumn` exclusive. */
class Regions {
  private lines: LineIndex | undefined;

  constructor(private readonly text: string) {}

  region(start: number, end: number): Region {
    const from = this.position(start);
    const to = this.position(end);
    return { startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
  }

  /** SARIF has no line after a final line break: the end of such a file is past the break on the last line. */
  private position(offset: number): { line: number; column: number } {
    this.lines ??= new LineIndex(this.text);
    if (offset > 0 && offset === this.text.length && this.text[offset - 1] === '\n') {
      const lineBreak = this.lines.position(offset - 1);
      return { line: lineBreak.line, column: lineBreak.column + 1 };
    }
    return this.lines.position(offset);
  }
}

/** The fixes of a run's findings, from the texts the linter read. */
export class SarifFixes {
  private readonly previews: FixPreviews;
  private readonly regions = new Map<string, Regions>();

  constructor(
    sources: SourceOf,
    private readonly locate: Locate,
  ) {
    this.previews = new FixPreviews(sources);
  }

  /** One fix with every change the finding's patches make, or undefined when it has none or they cannot be made alone. */
  fixOf(finding: Finding, file: string): Fix | undefined {
    // A finding of a rendered kustomization is fixable in its sources, by --fix --kustomize, but carries no patches:
    // the preview has no fix for it.
    const preview = this.previews.fixOf(finding);
    if (!preview) return undefined;
    const artifactChanges: ArtifactChange[] = [];
    for (const { file: target, text, edits } of preview.files) {
      const location = this.locate(target);
      if (!location) return undefined;
      let regions = this.regions.get(target);
      if (!regions) this.regions.set(target, (regions = new Regions(text)));
      artifactChanges.push({
        artifactLocation: location,
        replacements: edits.map((edit): Replacement => ({
          deletedRegion: regions.region(edit.start, edit.end),
          insertedContent: { text: edit.text },
        })),
      });
    }
    const description = finding.patches.map((patch) => describePatch(patch, finding, file)).join('; ');
    return { description: { text: description }, artifactChanges };
  }
}
