import { describe, expect, it } from 'vitest';
import { lintInputs } from '../dist/src/index.js';
import { fixtureDir, runCli, runJson, spawnCli, type CliRun } from './support/cli.js';
import { SHOP_DEFAULT_DENY as DEFAULT_DENY, SHOP_POD as POD } from './support/manifests.js';

const CORPUS = 'test/fixtures/corpus';
/** Threads start for any input at all: the fixtures are far below the default threshold. */
const TWO_THREADS = ['--jobs', '2', '--jobs-threshold', '1'];

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const MOUNTING_ACCOUNT = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\n';

/** How many lint threads a real process started, as Node's own debug log of workers tells. */
function threadsStarted(run: CliRun): number {
  return run.stderr.split('\n').filter((line) => /^WORKER \d+: \[0\] create new worker/.test(line)).length;
}

describe('--jobs', () => {
  it.each([
    ['stylish', ['--no-color']],
    ['json', ['--format', 'json']],
    ['sarif', ['--format', 'sarif']],
  ])('lints the corpus sample in two threads with output byte-identical to one thread: %s', async (_, format) => {
    const one = await runCli([...format, '--jobs', '1', CORPUS]);
    const two = await runCli([...format, ...TWO_THREADS, CORPUS]);
    expect(one.stdout.length).toBeGreaterThan(1000);
    expect(two).toEqual(one);
  });

  it('cross-file rules see the files of the other thread: a Namespace first, its policy and account last', async () => {
    // The bulk in the middle puts the first and the last files in different threads (threads split by bytes).
    const bulk = `${'# filler\n'.repeat(2000)}${NAMESPACE.replace('shop', 'bulk')}`;
    const dir = fixtureDir({
      'a-ns.yaml': NAMESPACE,
      'a-pod.yaml': POD,
      'm-bulk.yaml': bulk,
      'z-deny.yaml': DEFAULT_DENY,
      'z-account.yaml': MOUNTING_ACCOUNT,
    });
    const args = ['--no-project-context', '--rule', 'netpols', '--rule', 'asat', '.'];
    const one = await runJson(['--jobs', '1', ...args], { cwd: dir });
    const two = await runJson([...TWO_THREADS, ...args], { cwd: dir });
    expect(two.report).toEqual(one.report);
    const findings = two.report.results.flatMap((file) =>
      file.findings.map((finding) => [file.file, finding.code, finding.fixable]),
    );
    // The Namespace has its policy (no finding on a-ns.yaml); the pod's fix (on the account, in the other thread's
    // file) is offered.
    expect(findings).toEqual([
      ['a-pod.yaml', 'AutomountServiceAccountTokenTrueAndDefaultSA', true],
      ['m-bulk.yaml', 'MissingDefaultDenyIngressAndEgressNetworkPolicy', true],
    ]);
  });

  it('starts a thread per job above the threshold only, in a real process', async () => {
    const debug = { env: { NODE_DEBUG: 'worker' } };
    const folder = `${CORPUS}/longhorn__longhorn`;
    const two = await spawnCli(['--format', 'json', ...TWO_THREADS, folder], debug);
    const one = await spawnCli(['--format', 'json', '--jobs', '1', folder], debug);
    const small = await spawnCli(['--format', 'json', '--jobs', '2', folder], debug);
    // Two files, the first a little under half of the bytes: each thread still gets one.
    const pair = await spawnCli(
      ['--format', 'json', ...TWO_THREADS, 'examples/secure-pod.yaml', 'examples/insecure-deployment.yaml'],
      debug,
    );
    expect([threadsStarted(two), threadsStarted(one), threadsStarted(small), threadsStarted(pair)]).toEqual([
      2, 0, 0, 2,
    ]);
    expect(two.stdout).toBe(one.stdout);
    expect(two.status).toBe(one.status);
  });

  it('the library (from dist/, where the thread module is) lints in threads with its default rules too', async () => {
    const folder = `${CORPUS}/longhorn__longhorn`;
    const one = await lintInputs([folder], { jobs: 1 });
    const two = await lintInputs([folder], { jobs: 2, parallelThreshold: 1 });
    expect(one.flatMap((file) => file.findings).length).toBeGreaterThan(10);
    expect(two).toEqual(one);
  });

  it('refuses a number of threads that is not one or more', async () => {
    const run = await runCli(['--jobs', '0', CORPUS]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--jobs needs a number of threads (1 or more), got "0"');
  });
});
