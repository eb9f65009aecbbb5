import type { Finding } from '../engine/types.js';
import { parseManifest } from '../load/parse.js';
import { resourcesOf } from '../load/resources.js';
import { FIX_ALL, type FixSelection } from './messages.js';

/** The resource a finding is about, by its document and identity: the same in every pass of a fix run. */
function resourceKey(
  documentIndex: number,
  resource: { apiVersion: string; kind: string; namespace?: string | null; name?: string | null },
): string {
  return [documentIndex, resource.apiVersion, resource.kind, resource.namespace ?? '', resource.name ?? ''].join(
    '\u0000',
  );
}

/** Which finding a quick fix is for: stable while the document's text and its context stay the same. */
export function findingKey(finding: Finding): string {
  const where = [finding.line, finding.column, finding.rule, finding.code, finding.container ?? ''];
  return [resourceKey(finding.documentIndex, finding.resource), ...where].join('\u0000');
}

/**
 * Picks the findings a fix run fixes. One finding: by its key, which it has in the first pass (its fix is verified
 * then). The whole file: every finding about one of its resources, in every pass, since fixes move text and enable
 * further fixes. (A fix run knows no file names: a context file holding the very same resource at the same document
 * index would be fixed too.)
 */
export function selection(select: FixSelection, text: string): (finding: Finding) => boolean {
  if (select !== FIX_ALL) return (finding) => findingKey(finding) === select;
  const resources = new Set<string>();
  for (const { index, doc } of parseManifest(text).documents) {
    for (const resource of resourcesOf(doc, index)) resources.add(resourceKey(index, resource));
  }
  return (finding) => resources.has(resourceKey(finding.documentIndex, finding.resource));
}
