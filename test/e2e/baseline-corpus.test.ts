import { cpSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, runJson } from '../support/cli.js';
import { sharedPath } from '../support/shared.js';

/*
 * The baseline on the real-manifest corpus (../shared/corpus, 847 manifests from public repositories): adopt, then
 * edit the way repositories change, and nothing old comes back as new.
 */
const BASELINE = '.kubemend-baseline.json';
const LONG = 600_000;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.ya?ml$/.test(file) && statSync(path.join(dir, file)).isFile())
    .sort();
}

async function lint(dir: string, args: string[]) {
  const { status, report } = await runJson([...args, 'corpus'], { cwd: dir, env: { KUBEMEND_TODAY: '2026-06-15' } });
  const findings = report.results
    .flatMap((result) => result.findings)
    .filter((finding) => !finding.code.endsWith('Allowed'));
  return { status, report, findings };
}

describe('baseline on the real-manifest corpus', () => {
  let dir: string;
  let written: string;

  beforeAll(async () => {
    dir = fixtureDir({ '.git/HEAD': 'ref: refs/heads/main\n' });
    cpSync(sharedPath('corpus'), path.join(dir, 'corpus'), { recursive: true });
    // Files kubemend cannot read (Helm templates, broken YAML) would make every run exit 2: this is about findings.
    const first = await lint(dir, []);
    for (const result of first.report.results) if (result.errors.length > 0) rmSync(path.join(dir, result.file));
    const adopted = await lint(dir, ['--write-baseline']);
    expect(adopted.status).toBe(0);
    expect(adopted.report.baseline!.matched).toBeGreaterThan(3000);
    written = readFileSync(path.join(dir, BASELINE), 'utf8');
  }, LONG);

  it('unchanged: nothing new, exit 0; written again: the same bytes', { timeout: LONG }, async () => {
    const again = await lint(dir, ['--baseline']);
    expect(again.findings).toEqual([]);
    expect(again.status).toBe(0);
    expect(again.report.baseline).toMatchObject({ new: 0, stale: 0 });
    await lint(dir, ['--write-baseline']);
    expect(readFileSync(path.join(dir, BASELINE), 'utf8')).toBe(written);
  });

  it('every file shifted by a comment and a blank line, a folder moved: nothing new', { timeout: LONG }, async () => {
    const corpus = path.join(dir, 'corpus');
    for (const file of yamlFiles(corpus))
      writeFileSync(path.join(corpus, file), `# reviewed\n\n${readFileSync(path.join(corpus, file), 'utf8')}`);
    const folder = readdirSync(corpus).find((name) => statSync(path.join(corpus, name)).isDirectory())!;
    renameSync(path.join(corpus, folder), path.join(corpus, `moved-${folder}`));
    const after = await lint(dir, ['--baseline']);
    expect(after.findings).toEqual([]);
    expect(after.report.baseline).toMatchObject({ new: 0, stale: 0 });
  });
});
