import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { removeFixtureDirs } from './fixture-dir.js';

// kubemend keeps a cache in the user's cache folder: a test run gets its own, so it never reads or writes theirs.
const cacheFolder = mkdtempSync(path.join(tmpdir(), 'kubemend-test-cache-'));
process.env.KUBEMEND_CACHE_DIR = cacheFolder;

// Every test file's fixture folders go when the file is done: a test run leaves nothing in the temporary folder.
afterAll(() => {
  removeFixtureDirs();
  rmSync(cacheFolder, { recursive: true, force: true });
});
