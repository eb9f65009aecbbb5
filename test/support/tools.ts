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
