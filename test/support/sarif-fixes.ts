import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Log, Replacement } from 'sarif';
import { RULES, fixTexts, lintInputs, type Finding } from '../../src/index.js';
import { runCli } from './cli.js';

/** `text` with SARIF replacements applied: 1-based regions of the unchanged text, a BOM not counted. */
function applyReplacements(text: string, replacements: readonly Replacement[]): string {
  const bom = text.startsWith('\ufeff') ? 1 : 0;
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (line: number, column: number) => starts[line - 1]! + column - 1 + (line === 1 ? bom : 0);
  let out = '';
  let cursor = 0;
  for (const { deletedRegion: region, insertedContent } of replacements) {
    const start = offset(region!.startLine!, region!.startColumn!);
    expect(start).toBeGreaterThanOrEqual(cursor);
    out += text.slice(cursor, start) + insertedContent!.text!;
    cursor = offset(region!.endLine!, region!.endColumn!);
  }
  return out + text.slice(cursor);
}

const sameFinding = (a: Finding) => (b: Finding) =>
  b.code === a.code && b.line === a.line && b.column === a.column && b.message === a.message;

/**
 * For every fixable finding of one file: its SARIF fix, applied to the file, makes exactly what the fix engine
 * (`--fix`/`--diff`) makes of that finding alone; and a finding has a SARIF fix exactly when that changes the file.
 * Returns how many fixes were compared.
 */
export async function expectSarifFixesAsFixEngine(file: string): Promise<number> {
  const text = readFileSync(file, 'utf8');
  const cli = await runCli(['--format', 'sarif', '--no-project-context', path.basename(file)], {
    cwd: path.dirname(file),
  });
  const results = (JSON.parse(cli.stdout) as Log).runs[0]!.results!;
  const [linted] = await lintInputs([file], { rules: RULES });
  const shown = linted!.findings.filter((finding) => !finding.override);
  expect(results.length, file).toBe(linted!.errors.length + shown.length);
  let compared = 0;
  shown.forEach((finding, n) => {
    const result = results[linted!.errors.length + n]!;
    expect(result.ruleId, file).toBe(finding.code.replace(/Allowed$/, ''));
    if (!finding.fixable) return;
    const alone = fixTexts([{ file, text }], [], { rules: RULES, only: sameFinding(finding) }).files[0]!.after;
    const where = `${file}:${finding.line}:${finding.column} ${finding.code}`;
    const fix = result.fixes?.[0];
    if (alone === text) {
      expect(fix, where).toBeUndefined();
      return;
    }
    expect(fix, where).toBeDefined();
    expect(fix!.artifactChanges.length, where).toBe(1);
    expect(applyReplacements(text, fix!.artifactChanges[0]!.replacements), where).toBe(alone);
    compared++;
  });
  return compared;
}
