import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The real Go-built tools the end-to-end suite drives; `scripts/install-tools.sh` installs them, pinned. */
export type Tool = 'kubeaudit' | 'kustomize' | 'helm';

/** Where scripts/install-tools.sh puts the binaries (keep the two in step). */
export function toolsBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.KUBEMEND_TOOLS_DIR || path.join(homedir(), '.cache', 'kubemend-tools'), 'bin');
}

/** The path of an installed tool, or an error of one line saying how to install it. */
export function toolPath(tool: Tool): string {
  const binary = path.join(toolsBinDir(), tool);
  if (!existsSync(binary))
    throw new Error(`${tool} is not installed at ${binary}: run \`bash scripts/install-tools.sh\``);
  return binary;
}

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program asynchronously (a blocking spawnSync would stall vitest's worker and serialise the harness). */
export function runTool(
  binary: string,
  args: readonly string[],
  options: { input?: string; cwd?: string } = {},
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.on('error', () => undefined); // a program that exits without reading stdin is not a failure
    child.stdin.end(options.input);
  });
}
