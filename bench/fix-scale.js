// `npm run bench:fix`: `kubemend --fix` on one file of many documents against `kubemend` on the same file.
//
// Bars (issue 11): --fix time / lint time <= 3, --fix peak RSS / file size <= 10. Both commands run as child
// processes on a fresh copy of the file, interleaved, the median of the rounds taken; peak RSS is the child's own,
// reported at its exit by bench/resource-usage.cjs with its CPU time. Options: --docs N (default 50,000), --rounds N (default
// 1; a round of the full size takes minutes), --against DIR (another built checkout's --fix in the same rounds). It is
// a measurement, not a test: it exits 0 whatever the figures are.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/kubemend.js');
const RESOURCE_USAGE = path.join(ROOT, 'bench/resource-usage.cjs');
const GENERATOR = fileURLToPath(new URL('../../shared/tools/gen-manifests', import.meta.url));
const TIME_RATIO_BAR = 3;
const MEMORY_RATIO_BAR = 10;

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '1' },
    against: { type: 'string' },
  },
});
/** `--against DIR`: another built checkout (say, main's), whose --fix runs in the same rounds, for a before/after. */
const AGAINST_BIN = values.against && path.resolve(values.against, 'bin/kubemend.js');
const docs = Number(values.docs);
const rounds = Number(values.rounds);

if (!existsSync(path.join(ROOT, 'dist/cli'))) {
  console.error('bench: dist/ is missing; run `npm run build` first (or use `npm run bench:fix`, which builds).');
  process.exit(2);
}
if (!existsSync(GENERATOR)) {
  console.log(`bench: the generator ${GENERATOR} is not here; nothing measured.`);
  process.exit(0);
}

/** One generated file of `docs` documents, made once and kept in bench-data/. */
function generatedFile() {
  const dir = path.join(ROOT, `bench-data/fix-${docs}`);
  if (!existsSync(dir)) {
    const made = spawnSync(GENERATOR, ['--docs', String(docs), '--files', '1', '--out', dir], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`gen-manifests failed: ${made.stderr}`);
  }
  return path.join(
    dir,
    readdirSync(dir).find((name) => name.endsWith('.yaml')),
  );
}

/** Runs kubemend on a fresh copy of `file`: wall time, the child's CPU time and its peak RSS. */
function measure(file, args, work, bin = BIN) {
  const copy = path.join(work, 'manifest.yaml');
  const rssFile = path.join(work, 'max-rss');
  const cpuFile = path.join(work, 'cpu-time');
  copyFileSync(file, copy);
  const start = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    ['-r', RESOURCE_USAGE, bin, '--no-project-context', '--max-file-size', '1G', ...args, copy],
    {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, KUBEMEND_MAX_RSS_FILE: rssFile, KUBEMEND_CPU_TIME_FILE: cpuFile },
      maxBuffer: 1 << 30,
    },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status === 2 || run.signal || run.error)
    throw new Error(
      `kubemend ${args.join(' ')} failed (${run.error ?? run.signal ?? `exit ${run.status}`}): ${run.stderr}`,
    );
  return {
    ms,
    rss: Number(readFileSync(rssFile, 'utf8')),
    cpuMs: Number(readFileSync(cpuFile, 'utf8')) / 1000,
    changed: readFileSync(copy, 'utf8') !== readFileSync(file, 'utf8'),
  };
}

function median(list) {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const file = generatedFile();
const size = statSync(file).size;
const work = mkdtempSync(path.join(tmpdir(), 'kubemend-bench-fix-'));
const lint = [];
const fix = [];
const against = [];
try {
  for (let round = 0; round < rounds; round++) {
    console.log(`  round ${round + 1}/${rounds}: lint ...`);
    lint.push(measure(file, [], work));
    console.log(`  round ${round + 1}/${rounds}: --fix ...`);
    const fixed = measure(file, ['--fix'], work);
    if (!fixed.changed) throw new Error('--fix changed nothing: the benchmark measures no fix');
    fix.push(fixed);
    if (AGAINST_BIN) {
      console.log(`  round ${round + 1}/${rounds}: --fix of ${values.against} ...`);
      against.push(measure(file, ['--fix'], work, AGAINST_BIN));
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const mb = (bytes) => (bytes / 1e6).toFixed(0);
const lintMs = median(lint.map((r) => r.ms));
const fixMs = median(fix.map((r) => r.ms));
const lintCpu = median(lint.map((r) => r.cpuMs));
const fixCpu = median(fix.map((r) => r.cpuMs));
const lintRss = median(lint.map((r) => r.rss));
const fixRss = median(fix.map((r) => r.rss));
const verdict = (value, bar) => (value <= bar ? 'met' : 'MISSED');
console.log(`\n--fix on one file: ${docs} documents, ${(size / 1e6).toFixed(1)} MB, median of ${rounds} round(s)\n`);
const seconds = (ms) => (ms / 1000).toFixed(1);
console.log('| command | wall s | CPU s | peak RSS MB | peak RSS / file size |');
console.log('|---|---:|---:|---:|---:|');
console.log(
  `| kubemend FILE | ${seconds(lintMs)} | ${seconds(lintCpu)} | ${mb(lintRss)} | ${(lintRss / size).toFixed(1)} |`,
);
console.log(
  `| kubemend --fix FILE | ${seconds(fixMs)} | ${seconds(fixCpu)} | ${mb(fixRss)} | ${(fixRss / size).toFixed(1)} |`,
);
if (against.length > 0) {
  const [ms, cpu, rss] = [
    median(against.map((r) => r.ms)),
    median(against.map((r) => r.cpuMs)),
    median(against.map((r) => r.rss)),
  ];
  console.log(
    `| kubemend --fix FILE, ${values.against} | ${seconds(ms)} | ${seconds(cpu)} | ${mb(rss)} | ${(rss / size).toFixed(1)} |`,
  );
}
console.log(
  `\n  --fix CPU time / lint CPU time: ${(fixCpu / lintCpu).toFixed(2)} (the same ratio, less the machine's load)`,
);
const timeRatio = fixMs / lintMs;
const memoryRatio = fixRss / size;
console.log(
  `\n  --fix time / lint time: ${timeRatio.toFixed(2)}, bar <= ${TIME_RATIO_BAR}: ${verdict(timeRatio, TIME_RATIO_BAR)}`,
);
console.log(
  `  --fix peak RSS / file size: ${memoryRatio.toFixed(1)}, bar <= ${MEMORY_RATIO_BAR}: ${verdict(memoryRatio, MEMORY_RATIO_BAR)}`,
);
