import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFilesAtomic, WriteAllFailed } from '../../src/fix/write-files.js';
import { fixtureDir } from '../support/cli.js';

describe('writeFilesAtomic: several files as one change', () => {
  it('writes every file, keeping each one its mode', async () => {
    const dir = fixtureDir({ 'a.yaml': 'a: 1\n', 'b/b.yaml': 'b: 1\n' });
    chmodSync(path.join(dir, 'b/b.yaml'), 0o640);
    await writeFilesAtomic([
      { file: path.join(dir, 'a.yaml'), before: 'a: 1\n', after: 'a: 2\n' },
      { file: path.join(dir, 'b/b.yaml'), before: 'b: 1\n', after: 'b: 2\n' },
    ]);
    expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe('a: 2\n');
    expect(readFileSync(path.join(dir, 'b/b.yaml'), 'utf8')).toBe('b: 2\n');
    expect(statSync(path.join(dir, 'b/b.yaml')).mode & 0o777).toBe(0o640);
  });

  it('one file that cannot be written: no file changes and no temporary file is left', async () => {
    const dir = fixtureDir({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n', 'c.yaml': 'c: 1\n' });
    chmodSync(path.join(dir, 'b.yaml'), 0o444);
    const failure = await writeFilesAtomic(
      ['a', 'b', 'c'].map((name) => ({
        file: path.join(dir, `${name}.yaml`),
        before: `${name}: 1\n`,
        after: `${name}: 2\n`,
      })),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WriteAllFailed);
    expect((failure as WriteAllFailed).file).toBe(path.join(dir, 'b.yaml'));
    for (const name of ['a', 'b', 'c'])
      expect(readFileSync(path.join(dir, `${name}.yaml`), 'utf8')).toBe(`${name}: 1\n`);
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });
});
