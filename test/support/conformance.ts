import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SHARED } from './cli.js';

export const CONFORMANCE_DIR = path.join(SHARED, 'conformance', 'kubeaudit');

export interface ConformanceCase {
  id: string;
  auditors: string[];
  fixture: string;
  config: Record<string, Record<string, unknown>> | null;
  expectedCodes: string[];
  overrideLabels?: unknown[];
}

export interface ConformanceData {
  codes: Record<string, { auditor: string; severity: string }>;
  cases: ConformanceCase[];
}

export function loadConformance(): ConformanceData {
  return JSON.parse(readFileSync(path.join(CONFORMANCE_DIR, 'expected.json'), 'utf8')) as ConformanceData;
}
