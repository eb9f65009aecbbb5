import { parseAllDocuments } from 'yaml';
import type { FileResult } from '../engine/types.js';
import { STDIN_NAME } from '../load/read.js';
import { decodeManifest } from '../load/text.js';
import { documentSources } from './sources.js';

/**
 * `helm template … | kubemend -`: each finding of standard input also names the template its document was rendered
 * from (helm's `# Source:` comment); its line stays the line of standard input.
 */
export function withTemplateNames(results: readonly FileResult[], stdin: Uint8Array | undefined): FileResult[] {
  if (!stdin || !results.some((result) => result.file === STDIN_NAME)) return [...results];
  let text: string;
  try {
    text = decodeManifest(stdin).text;
  } catch {
    return [...results];
  }
  if (!text.includes('# Source: ')) return [...results];
  const sources = documentSources(text, parseAllDocuments(text));
  return results.map((result) =>
    result.file !== STDIN_NAME
      ? result
      : {
          ...result,
          findings: result.findings.map((finding) => {
            const template = sources[finding.documentIndex]?.source;
            return template !== undefined ? { ...finding, template } : finding;
          }),
        },
  );
}
