// kubemend project-context benchmark: `npm run bench:context` (bench.js runs it too).
//
// The pre-commit case on a repository of ordinary size: `../shared/corpus` copied into a temporary git repository,
// one file of it named on the command line, linted in rotating child processes (median of each):
//   - with project context and a warm context cache (the hook's second commit onwards: the bar),
//   - with project context and an empty cache (the first run, which fills it),
//   - with project context and --no-cache (every file read),
//   - with --no-project-context.
// The runs use a cache folder of their own (KUBEMEND_CACHE_DIR), never the user's. It is a measurement, not a test.
// Each run's CPU time (user + system, from bench/resource-usage.cjs) is taken too: on a shared machine the wall time of a
// run depends on the others' load, its CPU time much less.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/kubemend.js');
const RESOURCE_USAGE = path.join(ROOT, 'bench/resource-usage.cjs');
export const SHARED_CORPUS = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
// A Namespace of the corpus, so the cross-file rules have something to look up in the context.
export const NAMED = 'knative__serving/config/core/100-namespace.yaml';
const WARMUPS = 2;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One run's wall time and CPU time, in ms. */
function timeOnce(repo, extra, cacheFolder, cpuFile) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['-r', RESOURCE_USAGE, BIN, '--format', 'json', ...extra, NAMED], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, KUBEMEND_CACHE_DIR: cacheFolder, KUBEMEND_CPU_TIME_FILE: cpuFile },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status === 2) throw new Error(`kubemend failed: ${run.stderr}`);
  return { ms, cpuMs: Number(readFileSync(cpuFile, 'utf8')) / 1000 };
}

/**
 * Medians of `rounds` rotating runs of each variant (warm cache, empty cache, --no-cache, --no-project-context), and
 * the median of each one's per-round ratio to --no-project-context, in wall and in CPU time. `withMs`/`ratio` are
 * the warm cache's wall times, `cpu` its CPU times.
 */
export function measureContext(rounds) {
  const repo = mkdtempSync(path.join(tmpdir(), 'kubemend-bench-context-'));
  const caches = mkdtempSync(path.join(tmpdir(), 'kubemend-bench-context-cache-'));
  const warmCache = path.join(caches, 'warm');
  const cpuFile = path.join(caches, 'cpu-time');
  let emptyCaches = 0;
  const variants = {
    warm: () => timeOnce(repo, [], warmCache, cpuFile),
    empty: () => timeOnce(repo, [], path.join(caches, `empty-${emptyCaches++}`), cpuFile),
    noCache: () => timeOnce(repo, ['--no-cache'], warmCache, cpuFile),
    without: () => timeOnce(repo, ['--no-project-context'], warmCache, cpuFile),
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
    const summary = (name, field = 'ms') => {
      const values = times[name].map((time) => time[field]);
      return {
        ms: median(values),
        ratio: median(values.map((value, index) => value / times.without[index][field])),
      };
    };
    const [warm, empty, noCache] = ['warm', 'empty', 'noCache'].map((name) => summary(name));
    const cpu = { withMs: summary('warm', 'cpuMs').ms, withoutMs: summary('without', 'cpuMs').ms };
    return {
      withMs: warm.ms,
      withoutMs: summary('without').ms,
      ratio: warm.ratio,
      cpu: { ...cpu, ratio: summary('warm', 'cpuMs').ratio },
      empty,
      noCache,
    };
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
  const { withMs, withoutMs, ratio, cpu, empty, noCache } = measureContext(rounds);
  console.log(`one-file lint in a repository of the corpus (${NAMED}), medians of ${rounds} rounds`);
  console.log(`  --no-project-context:                ${withoutMs.toFixed(0)} ms`);
  console.log(`  with project context, warm cache:    ${withMs.toFixed(0)} ms, ratio ${ratio.toFixed(2)} (bar <= 1.2)`);
  console.log(
    `    in CPU time (user + system):      ${cpu.withMs.toFixed(0)} vs ${cpu.withoutMs.toFixed(0)} ms, ` +
      `ratio ${cpu.ratio.toFixed(2)}`,
  );
  console.log(`  with project context, empty cache:   ${empty.ms.toFixed(0)} ms, ratio ${empty.ratio.toFixed(2)}`);
  console.log(`  with project context, --no-cache:    ${noCache.ms.toFixed(0)} ms, ratio ${noCache.ratio.toFixed(2)}`);
}
