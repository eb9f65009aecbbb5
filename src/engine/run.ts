import type { Document } from 'yaml';
import { decodeManifest } from '../load/text.js';
import { LocatedError } from '../load/errors.js';
import { parseManifest } from '../load/parse.js';
import { resourcesOf, type Resource } from '../load/resources.js';
import { workloadOf, WORKLOAD_KINDS, type WorkloadKind } from '../load/workloads.js';
import type { LineIndex } from '../load/positions.js';
import { RULES } from './registry.js';
import { spanOfPath } from './spans.js';
import type { FileError, FileResult, Finding, Report, ResourceRef, Rule } from './types.js';

export interface LintOptions {
  rules?: readonly Rule[];
  workloadKinds?: readonly WorkloadKind[];
}

function resourceRef(resource: Resource): ResourceRef {
  return { apiVersion: resource.apiVersion, kind: resource.kind, name: resource.name ?? null, namespace: resource.namespace ?? null };
}

function toFileError(error: unknown): FileError {
  if (error instanceof LocatedError) return { message: error.message, line: error.line, column: error.column };
  return { message: error instanceof Error ? error.message : String(error), line: 1, column: 1 };
}

/** Lints one manifest's bytes. Never throws for bad input: what cannot be read becomes a file error. */
export function lintBytes(file: string, bytes: Uint8Array, options: LintOptions = {}): FileResult {
  let text: string;
  try {
    text = decodeManifest(bytes).text;
  } catch (error) {
    return { file, findings: [], errors: [toFileError(error)] };
  }
  return lintText(file, text, options);
}

export function lintText(file: string, text: string, options: LintOptions = {}): FileResult {
  const rules = options.rules ?? RULES;
  const kinds = options.workloadKinds ?? WORKLOAD_KINDS;
  const parsed = parseManifest(text);
  const findings: Finding[] = [];
  for (const { index, doc } of parsed.documents) {
    for (const resource of resourcesOf(doc, index)) {
      const workload = workloadOf(resource, kinds);
      if (!workload) continue;
      for (const rule of rules) {
        rule.checkWorkload(workload, (report) => findings.push(toFinding(rule, report, resource, doc, parsed.lines, text)));
      }
    }
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
  return { file, findings, errors: parsed.errors.map(toFileError) };
}

function toFinding(rule: Rule, report: Report, resource: Resource, doc: Document, lines: LineIndex, text: string): Finding {
  const code = rule.meta.codes[report.code];
  if (!code) throw new Error(`rule ${rule.meta.id} reported ${report.code}, which its meta does not declare`);
  return {
    rule: rule.meta.id,
    code: report.code,
    severity: code.severity,
    message: report.message,
    ...spanOfPath(doc, lines, text, report.path),
    resource: resourceRef(resource),
    container: report.container?.name ?? null,
    fixable: false,
  };
}
