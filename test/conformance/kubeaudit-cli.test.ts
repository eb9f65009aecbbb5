import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fixtureDir, runCli, type CliRun } from '../support/cli.js';
import { AUDIT_DIVERGENCES, CONFORMANCE_DIR, loadConformance, type ConformanceCase } from '../support/conformance.js';

const data = loadConformance();
const ALL_AUDITORS = [...new Set(Object.values(data.codes).map((code) => code.auditor))].filter(
  (auditor) => auditor !== '*',
);

function run(args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: CONFORMANCE_DIR, env: { NO_COLOR: '1' } });
}

/** kubeaudit's own invocation for a case: the auditor's command, or `all` with a kubeaudit config selecting the auditors. */
function argsFor(c: ConformanceCase): string[] {
  if (c.auditors.length === 1 && c.config === null) return [c.auditors[0]!, '-f', c.fixture, '-p', 'json'];
  const config = {
    enabledAuditors: Object.fromEntries(ALL_AUDITORS.map((id) => [id, c.auditors.includes(id)])),
    ...(c.config ? { auditors: c.config } : {}),
  };
  const dir = fixtureDir({});
  const file = path.join(dir, 'kubeaudit.yaml');
  writeFileSync(file, stringify(config));
  return ['all', '-k', file, '-f', c.fixture, '-p', 'json'];
}

describe("kubeaudit conformance through kubeaudit's command line (-p json)", () => {
  // In-process runs share the process's working directory, so the cases run one after another.
  it.each(data.cases.map((c) => [c.id, c] as const))('%s', async (_, c) => {
    const { status, stdout, stderr } = await run(argsFor(c));
    const lines = stdout.split('\n').filter((line) => line !== '');
    const names = lines.map((line) => (JSON.parse(line) as { AuditResultName: string }).AuditResultName);
    expect([...new Set(names)].sort(), stderr).toEqual(AUDIT_DIVERGENCES[c.id]?.expectedCodes ?? c.expectedCodes);
    const hasError = lines.some((line) => (JSON.parse(line) as { level: string }).level === 'error');
    expect(status).toBe(hasError ? 2 : 0);
  });
});
