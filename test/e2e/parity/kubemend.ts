import { fixTexts, lintInputs, type Finding } from '../../../src/index.js';
import { BIN } from '../../support/cli.js';
import { spawnProcess } from '../../support/cli.js';
import { parseJsonLines } from './json-lines.js';
import type { AuditRun, FixRun, ToolFinding } from './model.js';

/*
 * kubemend in-process, one file per run (kubeaudit audits one file at a time, and asat and netpols look across
 * the files of a run), with the defaults of `kubemend all` / `kubemend autofix`: kubeaudit's 14 auditors.
 * In-process because starting Node per file would cost more than the comparison itself; the end-to-end test checks
 * on a sample that the real command line (`kubemendAllCli`) gives the same answers.
 */

function toToolFinding(finding: Finding): ToolFinding {
  const { resource } = finding;
  return {
    code: finding.code,
    severity: finding.severity,
    resource: { kind: resource.kind, namespace: resource.namespace ?? '', name: resource.name ?? '' },
    container: finding.container ?? '',
    metadata: finding.metadata,
  };
}

export async function kubemendAudit(file: string): Promise<AuditRun> {
  const [result] = await lintInputs([file], {});
  const findings = result!.findings.map(toToolFinding);
  const [error] = result!.errors;
  if (error) return { status: 1, findings, failure: `${error.line}:${error.column}: ${error.message}` };
  return { status: findings.some((finding) => finding.severity === 'error') ? 2 : 0, findings };
}

/** What `kubemend autofix -f <file>` writes: the fixed text, or why the file was left as it was. */
export function kubemendAutofix(file: string, text: string): FixRun {
  const report = fixTexts([{ file, text }], [], {});
  const [error] = report.results[0]?.errors ?? [];
  if (error) return { failure: `${error.line}:${error.column}: ${error.message}` };
  const { after, problems } = report.files[0]!;
  return problems.length > 0 ? { text: after, problems } : { text: after };
}

/** The real command line, `kubemend all -f <file> -p json`, as a pipeline runs it; file errors come as JSON lines. */
export async function kubemendAllCli(
  file: string,
  cwd?: string,
): Promise<AuditRun & { errors: { File?: string; Line?: string; Column?: string; msg?: string }[] }> {
  const run = await spawnProcess(process.execPath, [BIN, 'all', '-f', file, '-p', 'json'], { cwd });
  const { findings, others } = parseJsonLines(run.stdout);
  const [error] = others;
  const failure = error ? `${error.File}:${error.Line}:${error.Column}: ${error.msg}` : run.stderr.trim() || undefined;
  return { status: run.status ?? -1, findings, errors: others, ...(failure ? { failure } : {}) };
}
