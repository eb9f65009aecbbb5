import { readFileSync } from 'node:fs';
import { compareAudits } from './compare-audit.js';
import {
  compareFixedOutputs,
  failedFix,
  readFixedOutput,
  type FixComparison,
  type FixedOutput,
} from './compare-fix.js';
import {
  EXPECTED_DIFFERENCES,
  type ExpectedDifference,
  type FileEvidence,
  type FixEvidence,
} from './expected-differences.js';
import type { Kubeaudit } from './kubeaudit.js';
import { kubemendAudit, kubemendAutofix } from './kubemend.js';
import {
  resourceId,
  type AuditDifference,
  type AuditRun,
  type FixDifference,
  type ResourceKey,
  type Verdict,
} from './model.js';
import { OriginalFile } from './original-file.js';
import { mapLimit } from './pool.js';

export interface Judged<D> {
  difference: D;
  /** Ids of the expected differences that explain it; empty = unexplained. */
  explainedBy: string[];
}

export interface ResourceParity<D> {
  resource: ResourceKey;
  verdict: Verdict;
  differences: Judged<D>[];
}

export interface FileParity {
  file: string;
  exitStatus: { kubeaudit: number; kubemend: number; verdict: Verdict };
  failures: { kubeaudit?: string; kubemend?: string };
  audit: ResourceParity<AuditDifference>[];
  fix: ResourceParity<FixDifference>[];
}

function verdictOf(differences: readonly Judged<unknown>[]): Verdict {
  if (differences.length === 0) return 'identical';
  return differences.every((judged) => judged.explainedBy.length > 0) ? 'explained' : 'unexplained';
}

function judge<D extends { resource: ResourceKey }>(
  resources: readonly ResourceKey[],
  differences: readonly D[],
  explains: (entry: ExpectedDifference, difference: D) => boolean,
): ResourceParity<D>[] {
  const byResource = new Map<string, ResourceParity<D>>();
  for (const resource of resources)
    byResource.set(resourceId(resource), { resource, verdict: 'identical', differences: [] });
  for (const difference of differences) {
    const id = resourceId(difference.resource);
    const parity = byResource.get(id) ?? { resource: difference.resource, verdict: 'identical', differences: [] };
    parity.differences.push({
      difference,
      explainedBy: EXPECTED_DIFFERENCES.filter((entry) => explains(entry, difference)).map((entry) => entry.id),
    });
    byResource.set(id, parity);
  }
  return [...byResource.values()].map((parity) => ({ ...parity, verdict: verdictOf(parity.differences) }));
}

interface FixOutcome {
  comparison: FixComparison;
  /** What kubeaudit's autofix wrote, for the expected differences to look at. */
  kubeauditFixedText?: string;
  kubeauditOutput?: FixedOutput;
}

/**
 * Both fixed outputs, kubemend's passed through kubeaudit's encoder so that only what the fixes did can differ.
 * A file neither tool has a finding for is not run through kubeaudit's autofix: it has nothing to fix, so its
 * output is its encoder's alone, which kubemend's unchanged text would be given too (and that is checked).
 */
async function compareFixes(
  kubeaudit: Kubeaudit,
  file: string,
  original: OriginalFile,
  findings: number,
): Promise<FixOutcome> {
  const kubemendFix = kubemendAutofix(file, original.text);
  const before = readFixedOutput(original.text);
  if (findings === 0 && 'text' in kubemendFix && kubemendFix.text === original.text) {
    return { comparison: { resources: before.resources.map((resource) => resource.key), differences: [] } };
  }
  const kubeauditFix = await kubeaudit.autofix(file);
  if ('failure' in kubeauditFix) return { comparison: failedFix('kubeaudit', kubeauditFix.failure, kubemendFix) };
  const kubeauditOutput = readFixedOutput(kubeauditFix.text);
  const outcome = (comparison: FixComparison): FixOutcome => ({
    comparison,
    kubeauditFixedText: kubeauditFix.text,
    kubeauditOutput,
  });
  if ('failure' in kubemendFix) return outcome(failedFix('kubemend', kubemendFix.failure, kubeauditOutput));
  const reencoded = await kubeaudit.reencodeText(kubemendFix.text);
  if ('failure' in reencoded)
    return outcome(
      failedFix('kubemend', `kubeaudit cannot read kubemend's fixed output: ${reencoded.failure}`, kubeauditOutput),
    );
  const comparison = compareFixedOutputs(before, kubeauditOutput, readFixedOutput(reencoded.text));
  const notFixed = kubemendFix.problems?.join('; ');
  if (notFixed)
    for (const difference of comparison.differences) difference.detail = `kubemend did not fix: ${notFixed}`;
  return outcome(comparison);
}

function exitVerdict(
  kubeaudit: AuditRun,
  kubemend: AuditRun,
  audit: readonly ResourceParity<AuditDifference>[],
): Verdict {
  if (kubeaudit.status === kubemend.status) return 'identical';
  // A different status follows from different findings; with none, it is a severity or error-handling difference.
  const differing = audit.filter((parity) => parity.verdict !== 'identical');
  return differing.length > 0 && differing.every((parity) => parity.verdict === 'explained')
    ? 'explained'
    : 'unexplained';
}

/** Audits and fixes one file with both tools and judges every difference. */
export async function checkFile(kubeaudit: Kubeaudit, file: string, label: string): Promise<FileParity> {
  const original = new OriginalFile(file, readFileSync(file, 'utf8'));
  const kubeauditAudit = await kubeaudit.audit(file);
  const kubemendRun = await kubemendAudit(file);
  const evidence: FileEvidence = { original, kubeaudit: kubeauditAudit, kubemend: kubemendRun };

  const auditResources = [
    ...original.keys(),
    ...kubeauditAudit.findings.map((f) => f.resource),
    ...kubemendRun.findings.map((f) => f.resource),
  ];
  const audit = judge(
    auditResources,
    compareAudits(kubeauditAudit.findings, kubemendRun.findings),
    (entry, difference) => entry.audit?.(difference, evidence) ?? false,
  );

  const { comparison, kubeauditFixedText, kubeauditOutput } = await compareFixes(
    kubeaudit,
    file,
    original,
    kubeauditAudit.findings.length + kubemendRun.findings.length,
  );
  const fixEvidence: FixEvidence = { ...evidence, kubeauditFixedText, kubeauditOutput };
  const fix = judge(
    comparison.resources,
    comparison.differences,
    (entry, difference) => entry.fix?.(difference, fixEvidence) ?? false,
  );

  return {
    file: label,
    exitStatus: {
      kubeaudit: kubeauditAudit.status,
      kubemend: kubemendRun.status,
      verdict: exitVerdict(kubeauditAudit, kubemendRun, audit),
    },
    failures: {
      ...(kubeauditAudit.failure ? { kubeaudit: kubeauditAudit.failure } : {}),
      ...(kubemendRun.failure ? { kubemend: kubemendRun.failure } : {}),
    },
    audit,
    fix,
  };
}

/** Every file, `concurrency` at a time (kubeaudit runs in child processes; kubemend in this one, between them). */
export function checkFiles(
  kubeaudit: Kubeaudit,
  files: readonly { path: string; label: string }[],
  concurrency = 2,
): Promise<FileParity[]> {
  return mapLimit(files, concurrency, (file) => checkFile(kubeaudit, file.path, file.label));
}
