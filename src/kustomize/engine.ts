import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withTemporaryFolder } from '../fix/index.js';

/*
 * kubemend renders a kustomization with the real engine, never an imitation of it. Origin annotations, which say
 * which file each rendered resource comes from, are switched on through a wrapper kustomization in a temporary
 * folder that lists the user's one: nothing is written into the user's files.
 */

/** Origin annotations came with kustomize 4.3. */
const MIN_VERSION = [4, 3] as const;

export class KustomizeError extends Error {}

/** The command that renders: `kustomize build`, or `kubectl kustomize`. */
export interface KustomizeEngine {
  command: string;
  args: string[];
  /** The environment it runs in (the CLI's, with its PATH). */
  env: NodeJS.ProcessEnv;
}

export function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

/**
 * Why a command `run` started failed, in one line: the first line of its error output that says something (without
 * the `Error: ` both kustomize and helm put first), else how it ended.
 */
export function failureReason(error: unknown): string {
  const { stderr, code, signal } = error as { stderr?: string; code?: number | string; signal?: string | null };
  const said = String(stderr ?? '')
    .split('\n')
    .find((line) => line.trim() !== '');
  if (said !== undefined) return said.trim().replace(/^Error: /, '');
  return signal ? `stopped by ${signal}, with no message` : `exit code ${code ?? 'unknown'}, with no message`;
}

function versionOf(output: string): [number, number] | undefined {
  const match = /v?(\d+)\.(\d+)\.\d+/.exec(output);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

const INSTALL =
  'install kustomize >= 4.3 (https://kubectl.docs.kubernetes.io/installation/kustomize/) or kubectl >= 1.24';

/**
 * The engine to render with: `--kustomize-command` when given (`kustomize` or `kubectl`, or a path to one), else
 * `kustomize` on PATH, else `kubectl`. Throws a KustomizeError of one line when none is there or it is too old.
 */
export async function findEngine(chosen: string | undefined, env: NodeJS.ProcessEnv): Promise<KustomizeEngine> {
  const candidates = chosen !== undefined ? [chosen] : ['kustomize', 'kubectl'];
  for (const command of candidates) {
    const isKubectl = path.basename(command).startsWith('kubectl');
    let output: string;
    try {
      output = (await run(command, isKubectl ? ['version', '--client'] : ['version'], env)).stdout;
    } catch {
      continue;
    }
    const version = versionOf(isKubectl ? (/Kustomize Version: (\S+)/.exec(output)?.[1] ?? '') : output);
    if (!version || version[0] < MIN_VERSION[0] || (version[0] === MIN_VERSION[0] && version[1] < MIN_VERSION[1])) {
      const shown = version ? `${version[0]}.${version[1]}` : 'an unknown version';
      throw new KustomizeError(`${command} has kustomize ${shown}, too old for origin annotations: ${INSTALL}`);
    }
    return { command, args: isKubectl ? ['kustomize'] : ['build'], env };
  }
  throw new KustomizeError(
    chosen !== undefined
      ? `--kustomize-command ${chosen}: cannot run it; ${INSTALL}`
      : `--kustomize needs kustomize or kubectl on PATH: ${INSTALL}`,
  );
}

export interface Render {
  /** The rendered resources, a YAML stream. */
  text: string;
  /** The folder origin annotations' paths are relative to. */
  base: string;
}

/** Renders the kustomization in `dir` with origin and transformer annotations. */
export async function render(engine: KustomizeEngine, dir: string): Promise<Render> {
  return withTemporaryFolder('kubemend-kustomize-', async (wrapper) => {
    // kustomize takes resources by relative path only.
    const target = path.relative(wrapper, path.resolve(dir)).split(path.sep).join('/');
    const kustomization = `resources:\n  - ${JSON.stringify(target)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`;
    await writeFile(path.join(wrapper, 'kustomization.yaml'), kustomization);
    try {
      const { stdout } = await run(engine.command, [...engine.args, wrapper], engine.env);
      return { text: stdout, base: wrapper };
    } catch (error) {
      throw new KustomizeError(`${engine.command} ${engine.args.join(' ')} ${dir} failed: ${failureReason(error)}`);
    }
  });
}
