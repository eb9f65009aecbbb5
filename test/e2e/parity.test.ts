import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { EXPECTED_DIFFERENCES } from './parity/expected-differences.js';
import { checkFiles, type FileParity } from './parity/harness.js';
import { defaultFolders, parityInputs, type ParityInput } from './parity/inputs.js';
import { Kubeaudit } from './parity/kubeaudit.js';
import { kubemendAllCli, kubemendAudit } from './parity/kubemend.js';
import { resourceId, type ToolFinding } from './parity/model.js';
import { mapLimit } from './parity/pool.js';
import { summarise, type ParitySummary } from './parity/report.js';
import { compareErrorHandling, UNREADABLE_INPUTS } from './parity/unreadable-inputs.js';

/*
 * Issue 17: kubemend beside the real kubeaudit (scripts/install-tools.sh) on every manifest of ../shared/corpus and
 * the held-back sample. Every difference must be one of EXPECTED_DIFFERENCES, each documented in a README table.
 * `npm run parity` runs the same harness and writes the report.
 */

/** One file in this many also goes through kubemend's real command line, besides every file with a difference. */
const CLI_SAMPLE_EVERY = 40;

let kubeaudit: Kubeaudit;
let inputs: ParityInput[];
let files: FileParity[];
let summary: ParitySummary;

beforeAll(async () => {
  kubeaudit = new Kubeaudit();
  inputs = await parityInputs(defaultFolders());
  files = await checkFiles(kubeaudit, inputs);
  summary = summarise(files);
}, 900_000);

afterAll(() => kubeaudit?.close());

const unexplained = (prefix: string) => summary.unexplained.filter((line) => line.startsWith(prefix));

describe('kubemend and the real kubeaudit on real manifests', () => {
  it('checks every manifest of the corpus', () => {
    expect(inputs.filter((input) => input.label.startsWith('../shared/corpus/'))).toHaveLength(847);
    expect(summary.audit.compared).toBeGreaterThan(1900);
  });

  it('audit: every difference in finding codes, per resource and container, is an expected one', () => {
    expect(unexplained('audit ')).toEqual([]);
    expect(summary.audit.unexplained).toBe(0);
  });

  it('autofix: the fixed data of every resource is the same, or differs in an expected way', () => {
    expect(unexplained('autofix ')).toEqual([]);
    expect(summary.fix.unexplained).toBe(0);
  });

  it('exit status: a different status follows only from expected differences', () => {
    expect(unexplained('exit status ')).toEqual([]);
  });

  it('every expected difference is still needed', () => {
    const unused = [...summary.uses].filter(([, uses]) => uses.audit + uses.fix === 0).map(([id]) => id);
    expect(unused, 'remove expected differences the corpus no longer shows').toEqual([]);
  });

  it("kubemend's command line gives what the harness computed in-process", async () => {
    const differing = new Set(
      files.filter((file) => file.audit.some((parity) => parity.verdict !== 'identical')).map((file) => file.file),
    );
    const sample = inputs.filter((input, index) => index % CLI_SAMPLE_EVERY === 0 || differing.has(input.label));
    const key = (finding: ToolFinding) =>
      `${resourceId(finding.resource)} ${finding.container} ${finding.code} ${finding.severity}`;
    const mismatches = await mapLimit(sample, 2, async (input) => {
      const [cli, inProcess] = await Promise.all([kubemendAllCli(input.path), kubemendAudit(input.path)]);
      const same =
        cli.status === inProcess.status &&
        cli.findings.map(key).sort().join('\n') === inProcess.findings.map(key).sort().join('\n');
      return same ? [] : [`${input.label}: command line exit ${cli.status}, in-process ${inProcess.status}`];
    });
    expect(sample.length).toBeGreaterThan(20);
    expect(mismatches.flat()).toEqual([]);
  }, 300_000);
});

/** The text of a markdown section: from its heading to the next heading of the same or a higher level. */
function section(markdown: string, anchor: string): string | undefined {
  const lines = markdown.split('\n');
  const slug = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .trim()
      .replace(/ /g, '-');
  const start = lines.findIndex((line) => /^#+ /.test(line) && slug(line.replace(/^#+ /, '')) === anchor);
  if (start === -1) return undefined;
  const level = lines[start]!.indexOf(' ');
  const end = lines.findIndex((line, index) => index > start && /^#+ /.test(line) && line.indexOf(' ') <= level);
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

describe('the expected differences', () => {
  it('are few, grouped by cause', () => {
    expect(EXPECTED_DIFFERENCES.length).toBeLessThanOrEqual(12);
    expect(new Set(EXPECTED_DIFFERENCES.map((entry) => entry.id)).size).toBe(EXPECTED_DIFFERENCES.length);
  });

  it.each(EXPECTED_DIFFERENCES.map((entry) => [entry.id, entry.readme]))(
    '%s links to a README table row that gives its reason (%s)',
    (id, readme) => {
      const [file, anchor] = readme.split('#');
      const text = section(readFileSync(path.join(ROOT, file!), 'utf8'), anchor!);
      expect(text, `${readme}: no such section`).toBeDefined();
      const row = text!.split('\n').find((line) => line.startsWith(`| \`${id}\` |`));
      expect(row, `${readme}: no table row for ${id}`).toBeDefined();
      expect(row!.split('|').filter((cell) => cell.trim() !== '')).toHaveLength(4);
    },
  );
});

describe('files kubeaudit cannot read', () => {
  it('kubemend fails whenever kubeaudit fails, and names the file, line and column', async () => {
    const cases = await compareErrorHandling(kubeaudit);
    expect(cases.map((c) => c.name)).toEqual(UNREADABLE_INPUTS.map((input) => input.name));
    for (const c of cases) {
      if (c.kubeaudit.status === 1) expect(c.kubemend.status, c.name).toBe(1);
      expect(c.kubemend.status, `${c.name}: kubemend must refuse it`).not.toBe(0);
      expect(c.kubemend.message, c.name).toMatch(new RegExp(`^${c.name.replace('.', '\\.')}:\\d+:\\d+: `));
    }
    expect(
      cases.filter((c) => c.kubeaudit.status === 1).length,
      'kubeaudit fails on most of them',
    ).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
