import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'kubemend.js');
export const SHARED = path.resolve(ROOT, '..', 'shared');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real executable in a child process, as a user or a hook would. */
export function runCli(args: string[], options: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function runJson(args: string[], options: Parameters<typeof runCli>[1] = {}): { status: number | null; report: JsonReport; stderr: string } {
  const run = runCli(['--format', 'json', ...args], options);
  let report: JsonReport;
  try {
    report = JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return { status: run.status, report, stderr: run.stderr };
}

export interface JsonFinding {
  rule: string;
  code: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  resource: { apiVersion: string; kind: string; name: string | null; namespace: string | null };
  container: string | null;
  fixable: boolean;
}

export interface JsonReport {
  version: number;
  results: { file: string; findings: JsonFinding[]; errors: { message: string; line: number; column: number }[] }[];
}

/** A fresh directory holding the given files (path → content). */
export function fixtureDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubemend-test-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}
