// kubemend benchmark: `npm run bench`.
//
// Measures what issue 16's targets are about, each as a ratio of two things timed in the same run (interleaved,
// median of the per-round ratios), since absolute times on shared machines drift:
//   1. throughput: lintBytes over every file versus the bare `yaml` parse of the same files, on ../shared/corpus and
//      10,000 synthetic workloads (bar: <= 1.0), with MB/s for context;
//   2. start-up: `kubemend one-file.yaml` and `kubemend --version` versus `node -e "import('yaml')"` (bars: <= 1.0 and
//      <= 0.8), and the one-file lint with and without project context, in this repository and in a copy of the
//      corpus as one repository (bar: <= 1.2);
//   3. threads: `kubemend --jobs 2` versus `--jobs 1` on the corpus, whole processes (bar: >= 1.5x faster);
//   4. memory: peak RSS of `kubemend --format json` (the CLI process, its report written to the null device) on
//      10,000 and on 100,000 synthetic documents, default rules and none (bar: 100k <= 1.5x 10k).
// It is a measurement, not a test: it exits 0 whatever the figures are.

import { spawnSync } from 'node:child_process';
import { availableParallelism, devNull, tmpdir } from 'node:os';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// KUBEMEND_BENCH_QUICK=1: one round of each on small inputs (the vendored corpus sample), to try the benchmark out.
const QUICK = process.env.KUBEMEND_BENCH_QUICK === '1';
// KUBEMEND_BENCH_ONLY=startup,jobs (any of throughput, startup, context, jobs, memory): only those parts.
const PARTS = new Set((process.env.KUBEMEND_BENCH_ONLY || 'throughput,startup,context,jobs,memory').split(','));
const PART_NAMES = ['throughput', 'startup', 'context', 'jobs', 'memory'];
const unknownParts = [...PARTS].filter((part) => !PART_NAMES.includes(part));
if (unknownParts.length > 0) {
  console.error(`bench: unknown KUBEMEND_BENCH_ONLY part(s) ${unknownParts.join(', ')}; use ${PART_NAMES.join(', ')}`);
  process.exit(2);
}
const DIST_INDEX = path.join(ROOT, 'dist/src/index.js');
const SHARED_CORPUS = QUICK
  ? path.join(ROOT, 'test/fixtures/corpus')
  : fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const GENERATOR = fileURLToPath(new URL('../../shared/tools/gen-manifests', import.meta.url));
const GEN_DOCS = QUICK ? 1000 : 10000;
const GEN_FILES = GEN_DOCS / 10;
const BIG_DOCS = GEN_DOCS * 10;
const BIG_FILES = BIG_DOCS / 10;
// Outside the repository: in it, they would be project context of the one-file lint timed below. Removed at the end.
let genRoot;
const genDir = (docs) => path.join((genRoot ??= mkdtempSync(path.join(tmpdir(), 'kubemend-bench-'))), `gen-${docs}`);
process.on('exit', () => genRoot && rmSync(genRoot, { recursive: true, force: true }));

const WARMUP_ROUNDS = 1;
const COUNTED_ROUNDS = QUICK ? 1 : 3;
const STARTUP_WARMUPS = 2;
const STARTUP_PAIRS = QUICK ? 2 : 11;
const JOBS_ROUNDS = QUICK ? 1 : 3;
const CONTEXT_PAIRS = QUICK ? 1 : 7;
const CORPUS_RATIO_BAR = 1.0;
const STARTUP_RATIO_BAR = 1.0;
const VERSION_RATIO_BAR = 0.8;
const CONTEXT_RATIO_BAR = 1.2;
const JOBS_SPEEDUP_BAR = 1.5;
const RSS_GROWTH_BAR = 1.5;

if (!existsSync(DIST_INDEX)) {
  console.error(
    `bench: ${path.relative(ROOT, DIST_INDEX)} is missing; run \`npm run build\` first (or use \`npm run bench\`, which builds).`,
  );
  process.exit(2);
}

// Without --expose-gc, garbage left by one pass would be collected during the next one and
// charged to the wrong side; re-run ourselves with the flag rather than ask the user for it.
if (typeof globalThis.gc !== 'function' && !process.env.KUBEMEND_BENCH_CHILD) {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, KUBEMEND_BENCH_CHILD: '1' },
  });
  process.exit(child.status ?? 1);
}

// Imported only after the check above, so a missing build gives a message instead of a stack trace.
const { lintBytes } = await import(pathToFileURL(DIST_INDEX).href);
const { parseAllDocuments } = await import('yaml');
const { measureContext, SHARED_CORPUS: CONTEXT_CORPUS } = await import('./context.js');

// The one-file runs below read this repository as project context, with a context cache of their own (inherited by
// every child): never the user's (~/.cache/kubemend). Removed at the end.
process.env.KUBEMEND_CACHE_DIR = mkdtempSync(path.join(tmpdir(), 'kubemend-bench-cache-'));
process.on('exit', () => rmSync(process.env.KUBEMEND_CACHE_DIR, { recursive: true, force: true }));

const collectGarbage = () => globalThis.gc?.();
const elapsedMs = (start) => Number(process.hrtime.bigint() - start) / 1e6;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Same selection as the CLI's directory expansion (*.yaml / *.yml, no dot entries, no node_modules),
// so the figures describe what `kubemend <dir>` would read.
function yamlFilesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((rel) => /\.ya?ml$/i.test(rel))
    .filter((rel) => !rel.split(path.sep).some((part) => part.startsWith('.') || part === 'node_modules'))
    .sort()
    .map((rel) => path.join(dir, rel));
}

function parsePass(files) {
  let documents = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  for (const file of files) {
    const buffer = readFileSync(file);
    bytes += buffer.length;
    // Nothing keeps the documents beyond this iteration, as the linter drops each file's AST too.
    for (const doc of parseAllDocuments(buffer.toString('utf8'))) {
      if (doc.contents !== null) documents++;
    }
  }
  return { ms: elapsedMs(start), documents, bytes };
}

function lintPass(files) {
  let findings = 0;
  let errors = 0;
  const start = process.hrtime.bigint();
  for (const file of files) {
    const result = lintBytes(file, readFileSync(file));
    // Counting the results keeps the work observable (and is a sanity figure for the report).
    findings += result.findings.length;
    errors += result.errors.length;
  }
  return { ms: elapsedMs(start), findings, errors };
}

function benchCorpus(name, files) {
  const ratios = [];
  const parseTimes = [];
  const lintTimes = [];
  let parse;
  let lint;
  for (let round = 0; round < WARMUP_ROUNDS + COUNTED_ROUNDS; round++) {
    // Alternate which side goes first so that any drift (heat, page cache, JIT) does not favour one of them.
    const lintFirst = round % 2 === 1;
    collectGarbage();
    if (lintFirst) lint = lintPass(files);
    else parse = parsePass(files);
    collectGarbage();
    if (lintFirst) parse = parsePass(files);
    else lint = lintPass(files);
    const counted = round >= WARMUP_ROUNDS;
    const label = counted ? `round ${round - WARMUP_ROUNDS + 1}/${COUNTED_ROUNDS}` : 'warm-up';
    console.log(
      `  ${name} ${label}: parse ${parse.ms.toFixed(0)} ms, lint ${lint.ms.toFixed(0)} ms, ratio ${(lint.ms / parse.ms).toFixed(2)}`,
    );
    if (!counted) continue;
    parseTimes.push(parse.ms);
    lintTimes.push(lint.ms);
    ratios.push(lint.ms / parse.ms);
  }
  const lintMs = median(lintTimes);
  const mb = parse.bytes / 1e6;
  return {
    name,
    files: files.length,
    mb,
    documents: parse.documents,
    findings: lint.findings,
    errors: lint.errors,
    parseMs: median(parseTimes),
    lintMs,
    mbPerSec: mb / (lintMs / 1000),
    docsPerSec: parse.documents / (lintMs / 1000),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
  };
}

function generatedCorpus(docs, files) {
  const dir = genDir(docs);
  const existing = existsSync(dir) ? yamlFilesUnder(dir) : [];
  if (existing.length === files) return existing;
  if (!existsSync(GENERATOR)) {
    console.log(`skipped: synthetic corpus (generator ${GENERATOR} not found)`);
    return null;
  }
  console.log(`generating ${docs} documents in ${files} files into ${dir} ...`);
  const run = spawnSync(
    process.execPath,
    [GENERATOR, '--docs', String(docs), '--files', String(files), '--out', dir, '--seed', 'bench'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0) {
    console.log(
      `skipped: synthetic corpus (gen-manifests exited ${run.status}: ${(run.stderr || run.error?.message || '').trim()})`,
    );
    return null;
  }
  return yamlFilesUnder(dir);
}

/** `okStatus`: the highest exit status that still means a lint ran (the corpus has broken files: 2). */
function timeSpawn(args, okStatus = 1) {
  const start = process.hrtime.bigint();
  // The report is not kept: a large one would only measure the pipe.
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = elapsedMs(start);
  // kubemend exits 1 when it has findings; anything else means we timed a crash, not a lint.
  if (run.error || run.status === null || run.status > okStatus) {
    throw new Error(
      `\`node ${args.join(' ')}\` failed (status ${run.status}): ${(run.stderr || run.error?.message || '').trim()}`,
    );
  }
  return ms;
}

/** Whole processes, in rotating order each round; each command's median, and its per-round ratio to the first's. */
function interleaved(commands, warmups, rounds, okStatus) {
  const times = commands.map(() => []);
  for (let round = 0; round < warmups + rounds; round++) {
    const measured = commands.map(() => 0);
    for (let step = 0; step < commands.length; step++) {
      const index = (round + step) % commands.length;
      measured[index] = timeSpawn(commands[index], okStatus);
    }
    if (round >= warmups) measured.forEach((ms, index) => times[index].push(ms));
  }
  return commands.map((_, index) => {
    const ratios = times[index].map((ms, round) => ms / times[0][round]);
    return {
      ms: median(times[index]),
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
    };
  });
}

function benchStartup() {
  // secure-pod.yaml asks for no project context (it sets its own token and is no Namespace); the Deployment of
  // insecure-deployment.yaml asks for its namespace's default ServiceAccount, so this repository is read for it.
  const [yaml, oneFile, alone, version, asking, askingAlone, askingNoCache] = interleaved(
    [
      ['-e', "import('yaml')"],
      ['bin/kubemend.js', 'examples/secure-pod.yaml'],
      ['bin/kubemend.js', '--no-project-context', 'examples/secure-pod.yaml'],
      ['bin/kubemend.js', '--version'],
      ['bin/kubemend.js', 'examples/insecure-deployment.yaml'],
      ['bin/kubemend.js', '--no-project-context', 'examples/insecure-deployment.yaml'],
      ['bin/kubemend.js', '--no-cache', 'examples/insecure-deployment.yaml'],
    ],
    STARTUP_WARMUPS,
    STARTUP_PAIRS,
  );
  return { yaml, oneFile, alone, version, asking, askingAlone, askingNoCache };
}

function benchJobs(dir) {
  // The corpus is above the default threshold; the quick run's sample is not.
  const lint = (jobs) => ['bin/kubemend.js', '--format', 'json', '--jobs', String(jobs), '--jobs-threshold', '1', dir];
  const [one, two] = interleaved([lint(1), lint(2)], 1, JOBS_ROUNDS, 2);
  return { oneMs: one.ms, twoMs: two.ms, speedup: 1 / two.ratio, min: 1 / two.ratioMax, max: 1 / two.ratioMin };
}

/** A config that turns every rule of the default profile off: the lint parses and walks only. */
async function noRulesConfig() {
  const { RULES } = await import(pathToFileURL(DIST_INDEX).href);
  const file = genDir('no-rules.kubemend.yaml');
  writeFileSync(file, `rules:\n${RULES.map((rule) => `  ${rule.meta.id}: off\n`).join('')}`);
  return file;
}

/**
 * Peak RSS of what users run, `kubemend --format json DIR > /dev/null` (default --jobs), in a fresh process, with the
 * default rules or none (`noRules`: a config turning them off; parse and walk only). Reported by bench/resource-usage.cjs.
 */
function peakRss(dir, noRules) {
  const rssFile = genDir('max-rss');
  const args = ['--format', 'json', ...(noRules ? ['-c', noRules] : []), dir];
  const run = spawnSync(
    process.execPath,
    ['-r', path.join(ROOT, 'bench/resource-usage.cjs'), 'bin/kubemend.js', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', openSync(devNull, 'w'), 'pipe'],
      encoding: 'utf8',
      env: { ...process.env, KUBEMEND_MAX_RSS_FILE: rssFile },
    },
  );
  if (run.status === 2 || run.signal || run.error)
    throw new Error(
      `kubemend ${args.join(' ')} failed (${run.error ?? run.signal ?? `exit ${run.status}`}): ${run.stderr}`,
    );
  return { peakRssMb: Number(readFileSync(rssFile, 'utf8')) / 1e6 };
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const verdict = (value, bar) => (value <= bar ? 'meets' : 'OVER');
const atLeast = (value, bar) => (value >= bar ? 'meets' : 'UNDER');

// ---------------------------------------------------------------------------------------------

console.log(
  `kubemend bench (node ${process.version}, ${WARMUP_ROUNDS} warm-up + ${COUNTED_ROUNDS} counted rounds per corpus, gc ${globalThis.gc ? 'on' : 'off'})\n`,
);

const corpora = [];
if (!PARTS.has('throughput')) console.log('skipped: throughput (KUBEMEND_BENCH_ONLY)');
else if (existsSync(SHARED_CORPUS)) corpora.push(['shared/corpus', yamlFilesUnder(SHARED_CORPUS)]);
else console.log(`skipped: shared corpus (${SHARED_CORPUS} not found)`);
const generated = PARTS.has('throughput') || PARTS.has('memory') ? generatedCorpus(GEN_DOCS, GEN_FILES) : null;
if (generated && PARTS.has('throughput')) corpora.push([`gen-${GEN_DOCS}`, generated]);

const corpusResults = corpora.map(([name, files]) => benchCorpus(name, files));

const startup = PARTS.has('startup')
  ? (console.log(`  start-up: ${STARTUP_WARMUPS} warm-up + ${STARTUP_PAIRS} counted rounds ...`), benchStartup())
  : null;
const context =
  PARTS.has('context') && existsSync(CONTEXT_CORPUS) && !QUICK
    ? (console.log('  one file in the corpus as a repository ...'), measureContext(CONTEXT_PAIRS))
    : null;
const jobs =
  PARTS.has('jobs') && existsSync(SHARED_CORPUS)
    ? (console.log(`  --jobs 2 vs --jobs 1 on the corpus ...`), benchJobs(SHARED_CORPUS))
    : null;
const big = PARTS.has('memory') ? generatedCorpus(BIG_DOCS, BIG_FILES) : null;
const memory = [];
for (const [docs, files] of [
  [GEN_DOCS, GEN_FILES],
  [BIG_DOCS, BIG_FILES],
]) {
  if (!PARTS.has('memory') || (docs === BIG_DOCS && !big)) continue;
  for (const rules of ['default', 'none']) {
    console.log(`  peak RSS: ${docs} documents, ${rules} rules ...`);
    memory.push({ docs, files, rules, ...peakRss(genDir(docs), rules === 'none' && (await noRulesConfig())) });
  }
}

if (PARTS.has('throughput')) {
  console.log('\nCorpus throughput (MB = 10^6 bytes; times and ratio are medians of the counted rounds)\n');
  if (corpusResults.length === 0) console.log('(no corpus available)');
}
if (corpusResults.length > 0) {
  console.log(
    table(
      [
        'corpus',
        'files',
        'MB',
        'docs',
        'parse ms',
        'lint ms',
        'lint MB/s',
        'lint docs/s',
        'lint/parse (min-max)',
        `bar <= ${CORPUS_RATIO_BAR}`,
      ],
      corpusResults.map((r) => [
        r.name,
        String(r.files),
        r.mb.toFixed(2),
        String(r.documents),
        r.parseMs.toFixed(0),
        r.lintMs.toFixed(0),
        r.mbPerSec.toFixed(2),
        r.docsPerSec.toFixed(0),
        `${r.ratio.toFixed(2)} (${r.ratioMin.toFixed(2)}-${r.ratioMax.toFixed(2)})`,
        verdict(r.ratio, CORPUS_RATIO_BAR),
      ]),
    ),
  );
  for (const r of corpusResults) console.log(`  ${r.name}: ${r.findings} findings, ${r.errors} file errors`);
}

if (startup) {
  console.log(`\nStart-up (medians of ${STARTUP_PAIRS} rounds; ratios: median of the per-round ratios)\n`);
  const startupRow = (command, r, bar) => [
    command,
    r.ms.toFixed(0),
    `${r.ratio.toFixed(2)} (${r.ratioMin.toFixed(2)}-${r.ratioMax.toFixed(2)})`,
    bar === undefined ? '' : `<= ${bar}: ${verdict(r.ratio, bar)}`,
  ];
  console.log(
    table(
      ['command', 'ms', "/ import('yaml')", 'bar'],
      [
        startupRow(`node -e "import('yaml')"`, startup.yaml),
        startupRow('kubemend examples/secure-pod.yaml (asks for no context)', startup.oneFile, STARTUP_RATIO_BAR),
        startupRow('kubemend --no-project-context examples/secure-pod.yaml', startup.alone, STARTUP_RATIO_BAR),
        startupRow('kubemend --version', startup.version, VERSION_RATIO_BAR),
      ],
    ),
  );
  const contextHere = startup.asking.ms / startup.askingAlone.ms;
  console.log(
    `  project context in this repository, for examples/insecure-deployment.yaml (which asks for some): ` +
      `${startup.asking.ms.toFixed(0)} ms with the context cache warm vs ${startup.askingAlone.ms.toFixed(0)} ms ` +
      `--no-project-context (medians), ${contextHere.toFixed(2)}x, bar <= ${CONTEXT_RATIO_BAR}: ` +
      `${verdict(contextHere, CONTEXT_RATIO_BAR)}; --no-cache ${startup.askingNoCache.ms.toFixed(0)} ms, ` +
      `${(startup.askingNoCache.ms / startup.askingAlone.ms).toFixed(2)}x`,
  );
}
if (context) {
  console.log(
    `  project context in the corpus as one repository: ${context.withMs.toFixed(0)} ms with the context cache ` +
      `warm vs ${context.withoutMs.toFixed(0)} ms --no-project-context (medians of ${CONTEXT_PAIRS}), ratio ` +
      `${context.ratio.toFixed(2)}, bar <= ${CONTEXT_RATIO_BAR}: ${verdict(context.ratio, CONTEXT_RATIO_BAR)}; ` +
      `empty cache (first run) ${context.empty.ms.toFixed(0)} ms, ${context.empty.ratio.toFixed(2)}; ` +
      `--no-cache ${context.noCache.ms.toFixed(0)} ms, ${context.noCache.ratio.toFixed(2)}`,
  );
}

if (jobs) {
  console.log(
    `\nThreads on the corpus (${availableParallelism()} cores; medians of ${JOBS_ROUNDS} rounds, whole processes)\n`,
  );
  console.log(
    `  --jobs 1: ${jobs.oneMs.toFixed(0)} ms, --jobs 2: ${jobs.twoMs.toFixed(0)} ms, speed-up ${jobs.speedup.toFixed(2)} ` +
      `(${jobs.min.toFixed(2)}-${jobs.max.toFixed(2)}), bar >= ${JOBS_SPEEDUP_BAR}: ${atLeast(jobs.speedup, JOBS_SPEEDUP_BAR)}`,
  );
}

if (memory.length > 0) {
  console.log(
    `\nPeak RSS of \`kubemend --format json DIR > ${devNull}\` (a fresh process, default --jobs: ${availableParallelism()})\n`,
  );
  console.log(
    table(
      ['documents', 'files', 'rules', 'peak RSS MB'],
      memory.map((m) => [String(m.docs), String(m.files), m.rules, m.peakRssMb.toFixed(0)]),
    ),
  );
  for (const rules of ['default', 'none']) {
    const [small, large] = [GEN_DOCS, BIG_DOCS].map((docs) => memory.find((m) => m.docs === docs && m.rules === rules));
    if (!small || !large) continue;
    const growth = large.peakRssMb / small.peakRssMb;
    console.log(
      `  ${rules} rules: ${BIG_DOCS} / ${GEN_DOCS} documents = ${growth.toFixed(2)}, ` +
        `bar <= ${RSS_GROWTH_BAR}: ${verdict(growth, RSS_GROWTH_BAR)}`,
    );
  }
}
