// kubemend benchmark: `npm run bench`.
//
// Measures what the acceptance bars are about:
//   1. corpus throughput: lintBytes over every file versus the bare `yaml` parse of the same files,
//      bar: lint time / parse time <= 1.5 (kubemend should cost little beyond the parse it cannot avoid);
//   2. start-up for the pre-commit case: `kubemend one-file.yaml` versus `node -e "import('yaml')"`,
//      bar: <= 2x (a hook runs on every commit, so process start-up is what users feel).
// It is a measurement, not a test: it exits 0 whatever the figures are.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST_INDEX = path.join(ROOT, 'dist/src/index.js');
const SHARED_CORPUS = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const GENERATOR = fileURLToPath(new URL('../../shared/tools/gen-manifests', import.meta.url));
const GEN_DOCS = 10000;
const GEN_FILES = 1000;
const GEN_DIR = path.join(ROOT, `bench-data/gen-${GEN_DOCS}`);

const WARMUP_ROUNDS = 1;
const COUNTED_ROUNDS = 5;
const STARTUP_WARMUPS = 2;
const STARTUP_PAIRS = 15;
const CORPUS_RATIO_BAR = 1.5;
const STARTUP_RATIO_BAR = 2;

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

function generatedCorpus() {
  const existing = existsSync(GEN_DIR) ? yamlFilesUnder(GEN_DIR) : [];
  if (existing.length === GEN_FILES) return existing;
  if (!existsSync(GENERATOR)) {
    console.log(`skipped: synthetic corpus (generator ${GENERATOR} not found)`);
    return null;
  }
  console.log(`generating ${GEN_DOCS} documents in ${GEN_FILES} files into ${path.relative(ROOT, GEN_DIR)} ...`);
  const run = spawnSync(
    process.execPath,
    [GENERATOR, '--docs', String(GEN_DOCS), '--files', String(GEN_FILES), '--out', GEN_DIR, '--seed', 'bench'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) {
    console.log(
      `skipped: synthetic corpus (gen-manifests exited ${run.status}: ${(run.stderr || run.error?.message || '').trim()})`,
    );
    return null;
  }
  return yamlFilesUnder(GEN_DIR);
}

function timeSpawn(args) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const ms = elapsedMs(start);
  // kubemend exits 1 when it has findings; anything else means we timed a crash, not a lint.
  if (run.error || run.status === null || run.status > 1) {
    throw new Error(
      `\`node ${args.join(' ')}\` failed (status ${run.status}): ${(run.stderr || run.error?.message || '').trim()}`,
    );
  }
  return ms;
}

function benchStartup() {
  const kubemendArgs = ['bin/kubemend.js', 'examples/secure-pod.yaml'];
  const yamlArgs = ['-e', "import('yaml')"];
  const kubemendTimes = [];
  const yamlTimes = [];
  const ratios = [];
  for (let pair = 0; pair < STARTUP_WARMUPS + STARTUP_PAIRS; pair++) {
    let kubemendMs;
    let yamlMs;
    if (pair % 2 === 0) {
      kubemendMs = timeSpawn(kubemendArgs);
      yamlMs = timeSpawn(yamlArgs);
    } else {
      yamlMs = timeSpawn(yamlArgs);
      kubemendMs = timeSpawn(kubemendArgs);
    }
    if (pair < STARTUP_WARMUPS) continue;
    kubemendTimes.push(kubemendMs);
    yamlTimes.push(yamlMs);
    ratios.push(kubemendMs / yamlMs);
  }
  return {
    kubemendMs: median(kubemendTimes),
    yamlMs: median(yamlTimes),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
  };
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const verdict = (value, bar) => (value <= bar ? 'meets' : 'OVER');

// ---------------------------------------------------------------------------------------------

console.log(
  `kubemend bench (node ${process.version}, ${WARMUP_ROUNDS} warm-up + ${COUNTED_ROUNDS} counted rounds per corpus, gc ${globalThis.gc ? 'on' : 'off'})\n`,
);

const corpora = [];
if (existsSync(SHARED_CORPUS)) corpora.push(['shared/corpus', yamlFilesUnder(SHARED_CORPUS)]);
else console.log(`skipped: shared corpus (${SHARED_CORPUS} not found)`);
const generated = generatedCorpus();
if (generated) corpora.push([`gen-${GEN_DOCS}`, generated]);

const corpusResults = corpora.map(([name, files]) => benchCorpus(name, files));

console.log(`  start-up: ${STARTUP_WARMUPS} warm-up + ${STARTUP_PAIRS} counted pairs ...`);
const startup = benchStartup();

console.log('\nCorpus throughput (MB = 10^6 bytes; times and ratio are medians of the counted rounds)\n');
if (corpusResults.length === 0) console.log('(no corpus available)');
else {
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

console.log(`\nStart-up, one file (medians of ${STARTUP_PAIRS} pairs)\n`);
console.log(
  table(
    ['command', 'median ms'],
    [
      ['node bin/kubemend.js examples/secure-pod.yaml', startup.kubemendMs.toFixed(1)],
      [`node -e "import('yaml')"`, startup.yamlMs.toFixed(1)],
    ],
  ),
);
console.log(
  `  kubemend / import('yaml'): ${startup.ratio.toFixed(2)} (${startup.ratioMin.toFixed(2)}-${startup.ratioMax.toFixed(2)}), ` +
    `bar <= ${STARTUP_RATIO_BAR}: ${verdict(startup.ratio, STARTUP_RATIO_BAR)}`,
);
