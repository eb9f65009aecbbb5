import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, runJson } from './support/cli.js';
import {
  AgedRepositories,
  cacheFolder,
  MISSING_POLICY,
  NAMESPACE_WITH_POLICY,
  netpolsCodes,
} from './support/context-cache.js';
import {
  SHOP_DEFAULT_ACCOUNT as DEFAULT_ACCOUNT,
  SHOP_DEFAULT_DENY,
  SHOP_NAMESPACE,
  SHOP_POD,
} from './support/manifests.js';

const repositories = new AgedRepositories();
const repository = (name: string) => repositories.get(name);

beforeAll(async () => {
  const withPolicy = NAMESPACE_WITH_POLICY;
  const layouts: Record<string, Record<string, string>> = {
    same: withPolicy,
    // A policy of another namespace, to be edited into the Namespace's.
    edited: { ...withPolicy, 'policies/deny.yaml': SHOP_DEFAULT_DENY.replace('namespace: shop', 'namespace: shoq') },
    removed: withPolicy,
    renamed: withPolicy,
    trusted: withPolicy,
    corrupt: withPolicy,
    foreign: withPolicy,
    added: { 'ns.yaml': SHOP_NAMESPACE, 'policies/allow.yaml': 'a: 1\n' },
    folder: { 'ns.yaml': SHOP_NAMESPACE, 'policies/allow.yaml': 'a: 1\n' },
    kinds: {
      'ns.yaml': SHOP_NAMESPACE,
      'pod.yaml': SHOP_POD,
      'policies/deny.yaml': SHOP_DEFAULT_DENY,
      // Its metadata after another entry, whose sequence sits at the key's indentation.
      'sa.yaml': DEFAULT_ACCOUNT.replace('metadata:', 'secrets:\n- name: token\nmetadata:'),
    },
    unusual: {
      'ns.yaml': SHOP_NAMESPACE,
      // An anchor and an alias: the CST look cannot vouch for this file, which is read every time.
      'policies/anchored.yaml': SHOP_DEFAULT_DENY.replace('metadata:', 'metadata: &meta').concat(
        '---\napiVersion: v1\nkind: ConfigMap\nmetadata: *meta\n',
      ),
    },
    escaped: {
      'ns.yaml': SHOP_NAMESPACE,
      'policies/deny.yaml': SHOP_DEFAULT_DENY.replace('namespace: shop', 'namespace: "sh\\x6fp"'),
    },
  };
  for (const [name, files] of Object.entries(layouts)) await repositories.make(name, files);
  // A whole second, which utimes can set back exactly (a Date holds milliseconds, a file's mtime nanoseconds).
  utimesSync(path.join(repository('edited'), 'policies/deny.yaml'), 1_700_000_000, 1_700_000_000);
  await repositories.age();
}, 20_000);

/** The one cache file in `cache`, as JSON. */
function cacheFileOf(cache: string): { file: string; data: Record<string, unknown> } {
  const names = readdirSync(cache);
  expect(names).toHaveLength(1);
  const file = path.join(cache, names[0]!);
  return { file, data: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => !name.split(path.sep).includes('.git'))
    .sort();
}

describe('the context cache', () => {
  it('gives a second run the same findings, and writes only into its own folder', async () => {
    const repo = repository('same');
    const cache = cacheFolder();
    const before = filesUnder(repo);
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    expect(readdirSync(cache)).toHaveLength(1);
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    expect(filesUnder(repo)).toEqual(before);
    expect(readdirSync(cache).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('trusts an entry while its file is unchanged: a file it says holds nothing is not read', async () => {
    const repo = repository('trusted');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    const { file, data } = cacheFileOf(cache);
    const files = data.files as Record<string, [string, unknown]>;
    expect(Object.keys(files)).toContain('policies/deny.yaml');
    files['policies/deny.yaml']![1] = [];
    writeFileSync(file, JSON.stringify(data));
    expect(await netpolsCodes(repo, cache)).toEqual([MISSING_POLICY]);
    // --no-cache reads the project afresh and leaves the cache as it is.
    const kept = readFileSync(file, 'utf8');
    expect(await netpolsCodes(repo, cache, ['--no-cache'])).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(kept);
  });

  it('sees a file edited between runs, though its size and mtime are as they were (its ctime is not)', async () => {
    const repo = repository('edited');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([MISSING_POLICY]);
    const policy = path.join(repo, 'policies/deny.yaml');
    const { atime, mtime, mtimeMs, size } = statSync(policy);
    writeFileSync(policy, SHOP_DEFAULT_DENY);
    utimesSync(policy, atime, mtime);
    expect(statSync(policy).size).toBe(size);
    expect(statSync(policy).mtimeMs).toBe(mtimeMs);
    expect(await netpolsCodes(repo, cache)).toEqual([]);
  });

  it('sees a file added to a folder it has listed', async () => {
    const repo = repository('added');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([MISSING_POLICY]);
    writeFileSync(path.join(repo, 'policies/deny.yaml'), SHOP_DEFAULT_DENY);
    expect(await netpolsCodes(repo, cache)).toEqual([]);
  });

  it('sees a new folder', async () => {
    const repo = repository('folder');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([MISSING_POLICY]);
    mkdirSync(path.join(repo, 'policies/more/deep'), { recursive: true });
    writeFileSync(path.join(repo, 'policies/more/deep/deny.yml'), SHOP_DEFAULT_DENY);
    expect(await netpolsCodes(repo, cache)).toEqual([]);
  });

  it('sees a file removed', async () => {
    const repo = repository('removed');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    rmSync(path.join(repo, 'policies/deny.yaml'));
    expect(await netpolsCodes(repo, cache)).toEqual([MISSING_POLICY]);
  });

  it('sees a file renamed, within the project and out of it', async () => {
    const repo = repository('renamed');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    renameSync(path.join(repo, 'policies/deny.yaml'), path.join(repo, 'other/deny.yaml'));
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    renameSync(path.join(repo, 'other/deny.yaml'), path.join(repo, 'other/deny.yaml.txt'));
    expect(await netpolsCodes(repo, cache)).toEqual([MISSING_POLICY]);
  });

  it('ignores a corrupt or truncated cache file, and writes it anew', async () => {
    const repo = repository('corrupt');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    const { file } = cacheFileOf(cache);
    const whole = readFileSync(file, 'utf8');
    const { format } = JSON.parse(whole) as { format: number };
    for (const broken of ['{"format": 1, "files": nonsense', whole.slice(0, whole.length >> 1), '\u0000\u0001', '[]']) {
      writeFileSync(file, broken);
      expect(await netpolsCodes(repo, cache)).toEqual([]);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format });
    }
  });

  it('does not trust a cache written by another version of kubemend', async () => {
    const repo = repository('foreign');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    const { file, data } = cacheFileOf(cache);
    const files = data.files as Record<string, [string, unknown]>;
    files['policies/deny.yaml']![1] = [];
    writeFileSync(file, JSON.stringify({ ...data, version: '0.0.0-elsewhere' }));
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    expect(cacheFileOf(cache).data.version).not.toBe('0.0.0-elsewhere');
  });

  it('lints as ever, without a word, when the cache folder cannot be written', async () => {
    const repo = repository('same');
    const notAFolder = path.join(fixtureDir({ file: 'x' }), 'file');
    expect(await netpolsCodes(repo, path.join(notAFolder, 'cache'))).toEqual([]);
  });

  it("keeps no entry of a file changed within two seconds of the write (git's racy rule): it is read next time", async () => {
    const repo = fixtureDir({ 'ns.yaml': SHOP_NAMESPACE, 'policies/deny.yaml': SHOP_DEFAULT_DENY });
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    const { data } = cacheFileOf(cache);
    expect(Object.keys(data.files as object)).not.toContain('policies/deny.yaml');
  });

  it('--no-cache writes nothing', async () => {
    const repo = repository('same');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache, ['--no-cache'])).toEqual([]);
    expect(existsSync(cache)).toBe(false);
  });

  it('`cache: false` in .kubemend.yaml writes nothing, as --no-cache', async () => {
    const repo = fixtureDir({
      '.kubemend.yaml': 'cache: false\n',
      'ns.yaml': SHOP_NAMESPACE,
      'policies/deny.yaml': SHOP_DEFAULT_DENY,
    });
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    expect(existsSync(cache)).toBe(false);
  });

  it('serves rules that ask for other kinds in later runs (the kinds it indexes grow)', async () => {
    const repo = repository('kinds');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    const alone = await runJson(['--rule', 'asat', '--no-project-context', 'pod.yaml'], { cwd: repo });
    expect(alone.report.results[0]!.findings.map((finding) => finding.code)).toContain(
      'AutomountServiceAccountTokenTrueAndDefaultSA',
    );
    for (let run = 0; run < 2; run++) {
      const { report } = await runJson(['--rule', 'asat', 'pod.yaml'], {
        cwd: repo,
        env: { KUBEMEND_CACHE_DIR: cache },
      });
      const codes = report.results.flatMap((file) => file.findings.map((finding) => finding.code));
      expect(codes).not.toContain('AutomountServiceAccountTokenTrueAndDefaultSA');
    }
    expect(await netpolsCodes(repo, cache)).toEqual([]);
  });

  it('reads every time a file it cannot read without composing (anchors), and escapes as the loader does', async () => {
    for (const name of ['unusual', 'escaped']) {
      const repo = repository(name);
      const cache = cacheFolder();
      expect(await netpolsCodes(repo, cache, ['--no-cache'])).toEqual([]);
      expect(await netpolsCodes(repo, cache)).toEqual([]);
      expect(await netpolsCodes(repo, cache)).toEqual([]);
    }
  });
});
