import { parseAllDocuments } from 'yaml';
import type { FileResult } from '../engine/types.js';
import { STDIN_NAME } from '../load/read.js';
import { decodeManifest } from '../load/text.js';
import { documentSources } from './sources.js';

/**
 * `helm template … | kubemend -`: each finding of standard input also names the template its document was rendered
 * from (helm's `# Source:` comment); its line stays the line of standard input. Changes the results in place.
 */
export function nameHelmTemplates(results: FileResult[], stdin: Uint8Array | undefined): void {
  const result = results.find((entry) => entry.file === STDIN_NAME);
  if (!stdin || !result) return;
  let text: string;
  try {
    text = decodeManifest(stdin).text;
  } catch {
    return;
  }
  if (!text.includes('# Source: ')) return;
  const sources = documentSources(text, parseAllDocuments(text));
  result.findings = result.findings.map((finding) => {
    const template = sources[finding.documentIndex]?.source;
    return template !== undefined ? { ...finding, template } : finding;
  });
}
