import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli.js';

/** Vendored from kubeaudit (MIT): see test/conformance/kubeaudit/README.md. */
export const CONFORMANCE_DIR = path.join(ROOT, 'test', 'conformance', 'kubeaudit');

export interface ConformanceCase {
  id: string;
  auditors: string[];
  fixture: string;
  config: Record<string, Record<string, unknown>> | null;
  expectedCodes: string[];
  overrideLabels?: unknown[];
  /** deprecatedapis cases: the findings (exactly these, in any resource) with severity, message and metadata. */
  expectedFindings?: { code: string; severity: string; message: string; metadata: Record<string, string> }[];
}

export interface ConformanceData {
  codes: Record<string, { auditor: string; severity: string }>;
  cases: ConformanceCase[];
}

export function loadConformance(): ConformanceData {
  return JSON.parse(readFileSync(path.join(CONFORMANCE_DIR, 'expected.json'), 'utf8')) as ConformanceData;
}

/**
 * Cases where kubemend deliberately differs from kubeaudit, each for a kubeaudit defect (documented in the rule's
 * README): the reason, and the codes kubemend gives instead, which the case then asserts.
 */
export const AUDIT_DIVERGENCES: Record<string, { reason: string; expectedCodes: string[] }> = {
  'asat/service-account-token-nil-and-no-name-and-default-sa': {
    reason:
      'kubeaudit takes any ServiceAccount named default in the file, whatever its namespace; ' +
      'kubemend matches namespaces. The pod is in namespace ' +
      'service-account-token-nil-and-no-name-and-default-sa, the ServiceAccount has none (it ' +
      'lands in the namespace it is applied to), so nothing turns the token off for the pod.',
    expectedCodes: ['AutomountServiceAccountTokenTrueAndDefaultSA'],
  },
};
