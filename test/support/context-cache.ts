import path from 'node:path';
import { expect } from 'vitest';
import { fixtureDir, runJson, spawnProcess } from './cli.js';
import { SHOP_DEFAULT_DENY, SHOP_NAMESPACE } from './manifests.js';

/*
 * What the context cache's tests share. The cache trusts only entries of files that had not changed for two seconds
 * when it was written (src/engine/context-cache.ts): the repositories are made first, and the tests start once they
 * are that old.
 */

export const MISSING_POLICY = 'MissingDefaultDenyIngressAndEgressNetworkPolicy';

/** A project whose Namespace `shop` (`ns.yaml`) has its default-deny policy in another file, beside other YAML. */
export const NAMESPACE_WITH_POLICY = {
  'ns.yaml': SHOP_NAMESPACE,
  'policies/deny.yaml': SHOP_DEFAULT_DENY,
  'other/settings.yaml': 'a: 1\n',
};

/** Git repositories made before the tests, by name. */
export class AgedRepositories {
  private readonly made = new Map<string, string>();

  /** A git repository of `files`. */
  async make(name: string, files: Record<string, string>): Promise<string> {
    return this.add(name, fixtureDir(files));
  }

  /** `repo` made a git repository. */
  async add(name: string, repo: string): Promise<string> {
    const init = await spawnProcess('git', ['init', '-q'], { cwd: repo });
    expect(init.status, init.stderr).toBe(0);
    this.made.set(name, repo);
    return repo;
  }

  get(name: string): string {
    const repo = this.made.get(name);
    if (repo === undefined) throw new Error(`no repository ${name} was made in beforeAll`);
    return repo;
  }

  /** Waits until what was made is old enough for the cache to keep. */
  async age(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 2100));
  }
}

/** A cache folder of its own for a test (the folder is not made: kubemend makes it). */
export function cacheFolder(): string {
  return path.join(fixtureDir({}), 'cache');
}

/** The `netpols` codes of `ns.yaml` linted alone in `repo` with the cache in `cache`; only it has results. */
export async function netpolsCodes(repo: string, cache: string, extra: string[] = []): Promise<string[]> {
  const { report, stderr } = await runJson(['--rule', 'netpols', ...extra, 'ns.yaml'], {
    cwd: repo,
    env: { KUBEMEND_CACHE_DIR: cache },
  });
  expect(stderr).toBe('');
  expect(report.results.map((file) => file.file)).toEqual(['ns.yaml']);
  return report.results.flatMap((file) => file.findings.map((finding) => finding.code));
}
