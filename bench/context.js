// kubemend project-context benchmark: `npm run bench:context` (bench.js runs it too).
//
// The pre-commit case on a repository of ordinary size: `../shared/corpus` copied into a temporary git repository,
// one file of it named on the command line, linted with the project's other manifests as context and with
// --no-project-context, in alternating child processes (median of each). It is a measurement, not a test.

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

function timeOnce(repo, extra) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [BIN, '--format', 'json', ...extra, NAMED], { cwd: repo, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status === 2) throw new Error(`kubemend failed: ${run.stderr}`);
  return ms;
}

/** Medians of `pairs` alternating runs with and without context, and the median of the per-pair ratios. */
export function measureContext(pairs) {
  const repo = mkdtempSync(path.join(tmpdir(), 'kubemend-bench-context-'));
  try {
    cpSync(SHARED_CORPUS, repo, { recursive: true });
    spawnSync('git', ['init', '-q'], { cwd: repo });
    const withContext = [];
    const without = [];
    for (let round = 0; round < WARMUPS + pairs; round++) {
      const a = timeOnce(repo, []);
      const b = timeOnce(repo, ['--no-project-context']);
      if (round < WARMUPS) continue;
      withContext.push(a);
      without.push(b);
    }
    return {
      withMs: median(withContext),
      withoutMs: median(without),
      ratio: median(withContext.map((ms, index) => ms / without[index])),
    };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!existsSync(SHARED_CORPUS)) {
    console.error(`bench: ${SHARED_CORPUS} is missing; this benchmark needs the shared corpus`);
    process.exit(2);
  }
  const pairs = 11;
  const { withMs, withoutMs, ratio } = measureContext(pairs);
  console.log(`one-file lint in a repository of the corpus (${NAMED})`);
  console.log(`  with project context:     ${withMs.toFixed(0)} ms (median of ${pairs})`);
  console.log(`  --no-project-context:     ${withoutMs.toFixed(0)} ms`);
  console.log(`  ratio (median per pair):  ${ratio.toFixed(2)}`);
}
