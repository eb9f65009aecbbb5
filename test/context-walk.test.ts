import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir } from './support/cli.js';
import {
  AgedRepositories,
  cacheFolder,
  MISSING_POLICY,
  NAMESPACE_WITH_POLICY,
  netpolsCodes,
} from './support/context-cache.js';
import { SHOP_DEFAULT_DENY, SHOP_NAMESPACE } from './support/manifests.js';

/*
 * The context cache keeps the last walk's files, and a run takes them while none of the folders it listed has
 * changed (src/engine/context-cache.ts). These tests make sure it does, and that what can change the walk's result
 * without changing one of those folders is still seen.
 */

const repositories = new AgedRepositories();
const repository = (name: string) => repositories.get(name);

beforeAll(async () => {
  const withPolicy = NAMESPACE_WITH_POLICY;
  for (const [name, files] of Object.entries({
    trusted: withPolicy,
    corrupt: withPolicy,
    recent: { 'ns.yaml': SHOP_NAMESPACE, 'policies/allow.yaml': 'a: 1\n' },
  }))
    await repositories.make(name, files);
  // A project whose link leads nowhere yet: `outside` is made by the test, beside the project.
  const parent = fixtureDir({ 'project/ns.yaml': SHOP_NAMESPACE });
  const linked = path.join(parent, 'project');
  symlinkSync(path.join('..', 'outside'), path.join(linked, 'policies'));
  await repositories.add('linked', linked);
  await repositories.age();
}, 20_000);

interface CacheData {
  files: Record<string, unknown>;
  walk?: (number | string)[];
}

/** The one cache file in `cache`, its data, and a way to write it back changed. */
function cacheFileOf(cache: string): { data: CacheData; write(data: CacheData): void } {
  const names = readdirSync(cache);
  expect(names).toHaveLength(1);
  const file = path.join(cache, names[0]!);
  return {
    data: JSON.parse(readFileSync(file, 'utf8')) as CacheData,
    write: (data) => writeFileSync(file, JSON.stringify(data)),
  };
}

/** The walk's files as paths: an item is a path, or the index of the file's entry among the file entries. */
function walkedFiles(data: CacheData): string[] {
  const names = Object.keys(data.files);
  return (data.walk ?? []).map((item) => (typeof item === 'number' ? names[item]! : item));
}

describe("the context cache's walk", () => {
  it('is taken while no folder it listed changed, and made again when one did', async () => {
    const repo = repository('trusted');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    const { data, write } = cacheFileOf(cache);
    expect(walkedFiles(data)).toEqual(['ns.yaml', 'other/settings.yaml', 'policies/deny.yaml']);
    // Left out of the walk, the policy is not seen: the walk was taken, not made again.
    write({ ...data, walk: data.walk!.filter((_, index) => walkedFiles(data)[index] !== 'policies/deny.yaml') });
    expect(await netpolsCodes(repo, cache)).toEqual([MISSING_POLICY]);
    // A file added to a folder of the walk changes the folder: the walk is made again and finds the policy.
    writeFileSync(path.join(repo, 'other/more.yaml'), 'b: 2\n');
    expect(await netpolsCodes(repo, cache)).toEqual([]);
  });

  it('is not kept when it met a link: what a link leads to changes with no folder of the project', async () => {
    const repo = repository('linked');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([MISSING_POLICY]);
    expect(cacheFileOf(cache).data.walk).toBeUndefined();
    const outside = path.join(path.dirname(repo), 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'deny.yaml'), SHOP_DEFAULT_DENY);
    expect(await netpolsCodes(repo, cache)).toEqual([]);
  });

  it('is not kept when a folder it listed changed within two seconds of the write', async () => {
    const repo = repository('recent');
    const cache = cacheFolder();
    writeFileSync(path.join(repo, 'policies/other.yaml'), 'b: 2\n');
    expect(await netpolsCodes(repo, cache)).toEqual([MISSING_POLICY]);
    expect(cacheFileOf(cache).data.walk).toBeUndefined();
    // Still within the two seconds: the folder's stamp may not change again, so only listing it again can tell.
    writeFileSync(path.join(repo, 'policies/deny.yaml'), SHOP_DEFAULT_DENY);
    expect(await netpolsCodes(repo, cache)).toEqual([]);
  });

  it('is made again when what is stored cannot be its files', async () => {
    const repo = repository('corrupt');
    const cache = cacheFolder();
    expect(await netpolsCodes(repo, cache)).toEqual([]);
    const { data, write } = cacheFileOf(cache);
    for (const walk of [[9999], [null], 'policies/deny.yaml', { files: [] }]) {
      write({ ...data, walk: walk as CacheData['walk'] });
      expect(await netpolsCodes(repo, cache)).toEqual([]);
    }
  });
});
