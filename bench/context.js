// kubemend project-context benchmark: `npm run bench:context` (bench.js runs it too).
//
// The pre-commit case on a repository of ordinary size: `../shared/corpus` copied into a temporary git repository,
// one file of it named on the command line, linted in rotating child processes (median of each):
//   - with project context and a warm context cache (the hook's second commit onwards: the bar),
//   - with project context and an empty cache (the first run, which fills it),
//   - with project context and --no-cache (every file read),
//   - with --no-project-context.
// The runs use a cache folder of their own (KUBEMEND_CACHE_DIR), never the user's. It is a measurement, not a test.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/kubemend.js');
export const SHARED_CORPUS = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
// A Namespace of the corpus, so the cross-file rules have something to look up in the context.
export const NAMED = 'knative__serving/config/core/100-namespace.yaml';
const WARMUPS = 2;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeOnce(repo, extra, cacheFolder) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [BIN, '--format', 'json', ...extra, NAMED], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, KUBEMEND_CACHE_DIR: cacheFolder },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status === 2) throw new Error(`kubemend failed: ${run.stderr}`);
  return ms;
}

/**
 * Medians of `rounds` rotating runs of each variant (warm cache, empty cache, --no-cache, --no-project-context), and
 * the median of each one's per-round ratio to --no-project-context. `withMs`/`ratio` are the warm cache's.
 */
export function measureContext(rounds) {
  const repo = mkdtempSync(path.join(tmpdir(), 'kubemend-bench-context-'));
  const caches = mkdtempSync(path.join(tmpdir(), 'kubemend-bench-context-cache-'));
  const warmCache = path.join(caches, 'warm');
  let emptyCaches = 0;
  const variants = {
    warm: () => timeOnce(repo, [], warmCache),
    empty: () => timeOnce(repo, [], path.join(caches, `empty-${emptyCaches++}`)),
    noCache: () => timeOnce(repo, ['--no-cache'], warmCache),
    without: () => timeOnce(repo, ['--no-project-context'], warmCache),
  };
  const names = Object.keys(variants);
  try {
    cpSync(SHARED_CORPUS, repo, { recursive: true });
    spawnSync('git', ['init', '-q'], { cwd: repo });
    const times = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < WARMUPS + rounds; round++) {
      const measured = {};
      for (let step = 0; step < names.length; step++) {
        const name = names[(round + step) % names.length];
        measured[name] = variants[name]();
      }
      if (round >= WARMUPS) for (const name of names) times[name].push(measured[name]);
    }
    const summary = (name) => ({
      ms: median(times[name]),
      ratio: median(times[name].map((ms, index) => ms / times.without[index])),
    });
    const [warm, empty, noCache] = ['warm', 'empty', 'noCache'].map(summary);
    return { withMs: warm.ms, withoutMs: median(times.without), ratio: warm.ratio, empty, noCache };
  } finally {
    rmSync(repo, { recursive: true, force: true });
    rmSync(caches, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!existsSync(SHARED_CORPUS)) {
    console.error(`bench: ${SHARED_CORPUS} is missing; this benchmark needs the shared corpus`);
    process.exit(2);
  }
  const rounds = 11;
  const { withMs, withoutMs, ratio, empty, noCache } = measureContext(rounds);
  console.log(`one-file lint in a repository of the corpus (${NAMED}), medians of ${rounds} rounds`);
  console.log(`  --no-project-context:                ${withoutMs.toFixed(0)} ms`);
  console.log(`  with project context, warm cache:    ${withMs.toFixed(0)} ms, ratio ${ratio.toFixed(2)} (bar <= 1.2)`);
  console.log(`  with project context, empty cache:   ${empty.ms.toFixed(0)} ms, ratio ${empty.ratio.toFixed(2)}`);
  console.log(`  with project context, --no-cache:    ${noCache.ms.toFixed(0)} ms, ratio ${noCache.ratio.toFixed(2)}`);
}
