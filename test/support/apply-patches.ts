import { fixFileText } from '../../src/fix/apply-file.js';
import type { Finding } from '../../src/index.js';

/**
 * The files (name → text) after the fix engine applies exactly the patches of `findings`, each to the file and
 * document it targets: lets rule tests check that a fix clears its finding, with the real text edits.
 */
export function applyFindingFixes(
  files: Readonly<Record<string, string>>,
  findings: readonly Finding[],
): Record<string, string> {
  const byFile = new Map<
    string,
    { patch: Finding['patches'][number]['patch']; documentIndex: number; sources: string[] }[]
  >();
  findings.forEach((finding, index) => {
    for (const { target, patch } of finding.patches) {
      if (!(target.file in files)) throw new Error(`a patch targets ${target.file}, which is not among the files`);
      byFile.set(target.file, [
        ...(byFile.get(target.file) ?? []),
        { patch, documentIndex: target.documentIndex, sources: [`finding ${index}`] },
      ]);
    }
  });
  const fixed = { ...files };
  for (const [file, patches] of byFile) {
    const result = fixFileText(files[file]!, patches);
    if (result.rejected.length > 0)
      throw new Error(`the fix engine rejected patches for ${file}: ${JSON.stringify(result.rejected)}`);
    fixed[file] = result.text;
  }
  return fixed;
}
