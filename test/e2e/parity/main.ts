import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../../support/cli.js';
import { checkFiles } from './harness.js';
import { defaultFolders, parityInputs } from './inputs.js';
import { Kubeaudit } from './kubeaudit.js';
import { formatFigures, markdownReport, summarise } from './report.js';
import { compareErrorHandling } from './unreadable-inputs.js';

/*
 * `npm run parity [folder…] [--report file]`: kubemend against the real kubeaudit on every manifest of the folders
 * (default: ../shared/corpus and the held-back sample). Prints the figures, writes the markdown report
 * (parity-report.md, git-ignored) and exits 1 when a difference is unexplained.
 */

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { report: { type: 'string', default: 'parity-report.md' } },
});

async function run(): Promise<number> {
  const kubeaudit = new Kubeaudit();
  try {
    const folders = positionals.length > 0 ? positionals.map((folder) => path.resolve(folder)) : defaultFolders();
    const inputs = await parityInputs(folders);
    const started = performance.now();
    const files = await checkFiles(kubeaudit, inputs);
    const errorHandling = await compareErrorHandling(kubeaudit);
    const seconds = (performance.now() - started) / 1000;
    const summary = summarise(files);
    process.stdout.write(`${formatFigures(summary)}\n`);
    for (const line of summary.unexplained) process.stdout.write(`unexplained: ${line}\n`);
    const report = path.resolve(values.report);
    const context = {
      kubeauditVersion: await kubeaudit.version(),
      folders: folders.map((f) => path.relative(ROOT, f)),
      seconds,
      errorHandling,
    };
    writeFileSync(report, markdownReport(summary, files, context));
    process.stdout.write(`report: ${path.relative(process.cwd(), report)} (${seconds.toFixed(0)} s)\n`);
    return summary.unexplained.length > 0 ? 1 : 0;
  } finally {
    kubeaudit.close();
  }
}

run().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`parity: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
