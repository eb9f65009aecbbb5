import { spawn } from 'node:child_process';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../dist/src/cli/main.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'kubemend.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  signal?: NodeJS.Signals | null;
}

export interface CliOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
}

/** Collects what the CLI writes, synchronously, as a terminal would show it. */
class Capture extends Writable {
  private readonly chunks: Buffer[] = [];
  override write(chunk: unknown): boolean {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
    return true;
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** The environment a user's shell would give: colour settings of the test runner itself do not leak in. */
function environment(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...extra };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env;
}

/** Runs the command line in-process through `main()`, with its own streams, working directory and environment. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]);
  const status = await main(args, { stdin, stdout, stderr, cwd: options.cwd ?? ROOT, env: environment(options.env) });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

/** Runs the real executable in a child process, as a user or a hook would. */
export function spawnCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return spawnProcess(process.execPath, [BIN, ...args], options);
}

/** Any program in a child process, asynchronously: a blocking spawnSync would stall vitest's worker. */
export function spawnProcess(command: string, args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: environment(options.env) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status, signal) =>
      resolve({
        status,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.on('error', () => undefined); // a child that exits without reading stdin is not a test failure
    child.stdin.end(options.input);
  });
}

export async function runJson(
  args: string[],
  options: CliOptions = {},
): Promise<{ status: number | null; report: JsonReport; stderr: string }> {
  const run = await runCli(['--format', 'json', ...args], options);
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
  details: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  resource: { apiVersion: string; kind: string; name: string | null; namespace: string | null };
  container: string | null;
  fixable: boolean;
}

export interface JsonSuppressed extends JsonFinding {
  suppression: { kind: 'comment' | 'annotation' | 'config' | 'baseline'; reason: string | null; until: string | null };
}

export interface JsonReport {
  version: number;
  results: {
    file: string;
    findings: JsonFinding[];
    errors: { message: string; line: number; column: number }[];
    suppressed: JsonSuppressed[];
  }[];
  baseline?: { file: string; matched: number; new: number; stale: number };
}

export { fixtureDir } from './fixture-dir.js';
