import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, fixtureDir, spawnCli, spawnProcess, type CliRun } from '../support/cli.js';
import { sharedPath } from '../support/shared.js';

/*
 * The progress line needs a terminal: `script` (util-linux) runs kubemend on a pseudo-terminal, sized with stty
 * (a terminal of 0 rows shows nothing), and records what the terminal received. The shared corpus takes several
 * seconds to lint, well over the second after which the line appears.
 */

const LINE = /kubemend: \d+\/\d+ files linted, \d+ findings? so far/;
const ERASE_LINE = '\u001b[2K';

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** kubemend on a pseudo-terminal (stdout and stderr both), the report written to a file. */
async function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun & { report: string }> {
  const report = path.join(fixtureDir({}), 'report.json');
  const command = ['node', BIN, '--format', 'json', '-o', report, ...args].map(quote).join(' ');
  const run = await spawnProcess('script', ['-qfec', `stty rows 40 cols 120; ${command}`, '/dev/null'], {
    env: { CI: undefined, ...env },
  });
  return { ...run, report: readFileSync(report, 'utf8') };
}

describe('the progress line', () => {
  const corpus = sharedPath('corpus');

  it('shows files done, files in all and findings so far on a terminal, then clears itself', async () => {
    const run = await onTerminal([corpus]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toMatch(LINE);
    const last = run.stdout.lastIndexOf('files linted');
    expect(run.stdout.indexOf(ERASE_LINE, last), 'erased after the last update').toBeGreaterThan(last);
    expect(JSON.parse(run.report).results).toHaveLength(847);
  });

  it('is never shown with --no-progress, in CI (CI=true), or when stderr is not a terminal', async () => {
    expect((await onTerminal(['--no-progress', corpus])).stdout).not.toMatch(LINE);
    expect((await onTerminal([corpus], { CI: 'true' })).stdout).not.toMatch(LINE);
    const piped = await spawnCli(['--format', 'json', corpus], { env: { CI: undefined } });
    expect(piped.stderr).not.toMatch(LINE);
    expect(JSON.parse(piped.stdout).results).toHaveLength(847);
  });
});
