import { fixtureDir, runCli, runJson, type CliOptions, type JsonFinding, type JsonReport } from '../support/cli.js';

/** The day `until` dates are compared with in these tests (KUBEMEND_TODAY), so they never depend on the real date. */
export const TODAY = '2026-06-15';

/** Only the privileged rule, and the rule that reports on suppressions. */
export const PRIVILEGED = ['--rule', 'privileged', '--rule', 'suppressions'];

/** A Pod whose containers are given as YAML lines under `containers:` (indented by four spaces). */
export function podWith(containers: string, metadata = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${metadata}spec:\n  containers:\n${containers}`;
}

/** A container running privileged, for `podWith`; `comment` goes at the end of the `privileged: true` line. */
export function privilegedContainer(name: string, comment = ''): string {
  return `    - name: ${name}\n      image: nginx:1.27\n      securityContext:\n        privileged: true${comment ? `  ${comment}` : ''}\n`;
}

/** The manifests among `files`: config files (`.kubemend.yaml`) are not linted. */
function manifests(files: Record<string, string>): string[] {
  return Object.keys(files).filter((file) => file.endsWith('.yaml') && !file.startsWith('.'));
}

export function cliOptions(dir: string, env: NodeJS.ProcessEnv = {}): CliOptions {
  return { cwd: dir, env: { KUBEMEND_TODAY: TODAY, ...env } };
}

/** Lints `files` (path → text) from a fresh directory, as JSON. */
export async function lintFiles(files: Record<string, string>, args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = fixtureDir(files);
  const run = await runJson([...args, ...manifests(files)], cliOptions(dir, env));
  return {
    ...run,
    dir,
    findings: run.report.results.flatMap((result) => result.findings),
    suppressed: run.report.results.flatMap((result) => result.suppressed),
  };
}

export async function lintStylish(files: Record<string, string>, args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = fixtureDir(files);
  return runCli([...args, ...manifests(files)], cliOptions(dir, env));
}

/** What most assertions compare: code, line and container. */
export function brief(findings: readonly JsonFinding[]) {
  return findings.map(({ code, line, container }) => ({ code, line, container }));
}

export type { JsonReport };
