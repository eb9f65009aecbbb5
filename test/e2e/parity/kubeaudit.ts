import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnProcess } from '../../support/cli.js';
import { toolPath } from '../../support/tools.js';
import { parseJsonLines } from './json-lines.js';
import type { AuditRun, FixRun } from './model.js';

/** kubeaudit's auditors: a config that enables only `image` (which has no fixes) makes `autofix` a pure re-encode. */
const AUDITORS = [
  'apparmor',
  'asat',
  'capabilities',
  'deprecatedapis',
  'hostns',
  'image',
  'limits',
  'mounts',
  'netpols',
  'nonroot',
  'privesc',
  'privileged',
  'rootfs',
  'seccomp',
] as const;

/** kubeaudit's stderr: logrus lines (`time=… level=fatal msg=…`) and its override-label deprecation banner. */
function fatalMessage(stderr: string): string | undefined {
  const fatal = stderr.split('\n').find((line) => line.includes('level=fatal'));
  return fatal?.replace(/^time="[^"]*" /, '');
}

export class Kubeaudit {
  readonly binary = toolPath('kubeaudit');
  private readonly workDir = mkdtempSync(path.join(tmpdir(), 'kubemend-parity-'));
  private readonly reencodeConfig = path.join(this.workDir, 'reencode-only.yaml');
  private outputs = 0;

  constructor() {
    const enabled = AUDITORS.map((auditor) => `  ${auditor}: ${auditor === 'image'}`).join('\n');
    writeFileSync(this.reencodeConfig, `enabledAuditors:\n${enabled}\n`);
  }

  /** `kubeaudit version`, e.g. `0.22.2`. */
  async version(): Promise<string> {
    return (await spawnProcess(this.binary, ['version'])).stdout.trim();
  }

  /** `kubeaudit all -f <file> -p json`. */
  async audit(file: string): Promise<AuditRun> {
    const run = await spawnProcess(this.binary, ['all', '-f', file, '-p', 'json']);
    const { findings, others } = parseJsonLines(run.stdout);
    const failure = fatalMessage(run.stderr) ?? others[0]?.msg;
    return { status: run.status ?? -1, findings, ...(run.status === 1 && failure ? { failure } : {}) };
  }

  /** `kubeaudit autofix -f <file> -o <out>`: the fixed text, or the reason it failed. */
  autofix(file: string): Promise<FixRun> {
    return this.fix(file, []);
  }

  /**
   * What kubeaudit's autofix writes for `file` when nothing is fixed: every document it can decode re-encoded
   * (keys sorted, defaults added, unknown fields dropped, then merged into the original). Passing kubemend's fixed
   * text through this gives it the same serialisation kubeaudit's own fixed text has, so the two compare as data.
   */
  reencode(file: string): Promise<FixRun> {
    return this.fix(file, ['-k', this.reencodeConfig]);
  }

  /** `reencode` for a text rather than a file (kubeaudit reads only from files). */
  async reencodeText(text: string): Promise<FixRun> {
    const file = this.scratchFile();
    writeFileSync(file, text);
    try {
      return await this.reencode(file);
    } finally {
      rmSync(file, { force: true });
    }
  }

  /** Removes the harness's temporary folder. */
  close(): void {
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private scratchFile(): string {
    return path.join(this.workDir, `${this.outputs++}.yaml`);
  }

  private async fix(file: string, extra: string[]): Promise<FixRun> {
    const out = this.scratchFile();
    try {
      const run = await spawnProcess(this.binary, ['autofix', ...extra, '-f', file, '-o', out]);
      if (run.status !== 0) return { failure: fatalMessage(run.stderr) ?? `exit ${run.status}: ${run.stderr.trim()}` };
      return { text: readFileSync(out, 'utf8') };
    } finally {
      rmSync(out, { force: true });
    }
  }
}
