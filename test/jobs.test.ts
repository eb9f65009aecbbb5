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

  it.each([
    ['stylish', ['--no-color']],
    ['json', ['--format', 'json']],
    ['sarif', ['--format', 'sarif']],
    ['compact', ['--format', 'compact']],
    ['github', ['--format', 'github']],
  ])('cross-file facts reach the thread that settles a file, gathered in the other: %s', async (_, format) => {
    // Two files big enough to be handed out first, one to each thread: a Namespace and the pod of the other file's
    // default ServiceAccount in one, that Namespace's policy and the account in the other; every cross-file fact of
    // a file comes from the other thread's file.
    const filler = (name: string) => `# ${name}\n${'# filler\n'.repeat(4000)}`;
    const dir = fixtureDir({
      'a-namespace-and-pod.yaml': `${filler('a')}${NAMESPACE}---\n${POD}`,
      'b-small.yaml': NAMESPACE.replace('shop', 'lonely'),
      'c-policy-and-account.yaml': `${filler('c')}${DEFAULT_DENY}---\n${MOUNTING_ACCOUNT}`,
    });
    const args = [...format, '--no-project-context', '.'];
    const one = await runCli(['--jobs', '1', ...args], { cwd: dir });
    const two = await runCli([...TWO_THREADS, ...args], { cwd: dir });
    expect(two).toEqual(one);
    const json = await runJson([...TWO_THREADS, '--no-project-context', '--rule', 'netpols', '--rule', 'asat', '.'], {
      cwd: dir,
    });
    const findings = json.report.results.flatMap((file) => file.findings.map((finding) => [file.file, finding.code]));
    // The shop Namespace has its policy; the pod's account mounts the token; the lonely Namespace has no policy.
    expect(findings).toEqual([
      ['a-namespace-and-pod.yaml', 'AutomountServiceAccountTokenTrueAndDefaultSA'],
      ['b-small.yaml', 'MissingDefaultDenyIngressAndEgressNetworkPolicy'],
    ]);
  });

  it.each([['pss-baseline'], ['pss-restricted']])(
    'threads check the level the profile chooses, as one thread does: %s',
    async (profile) => {
      const one = await runCli(['--format', 'json', '--profile', profile, '--jobs', '1', CORPUS]);
      const two = await runCli(['--format', 'json', '--profile', profile, ...TWO_THREADS, CORPUS]);
      expect(one.stdout).toContain(`(${profile.slice(4)}:v1.`);
      expect(two).toEqual(one);
    },
  );

  it('threads know the rules a suppression may name that do not run', async () => {
    // pss/privileged is a known rule the default profile does not run: a comment naming it is valid (and, its rule
    // not running, not unused), in one thread or in two.
    const suppressed = POD.replace(
      'image: shop/api:1.0',
      'image: shop/api:1.0 # kubemend-disable-line pss/privileged -- not run',
    );
    const dir = fixtureDir({ 'a-pod.yaml': suppressed, 'b-pod.yaml': suppressed.replace('name: api', 'name: b') });
    const args = ['--no-project-context', '.'];
    const one = await runJson(['--jobs', '1', ...args], { cwd: dir });
    const two = await runJson([...TWO_THREADS, ...args], { cwd: dir });
    const codes = one.report.results[0]!.findings.map((finding) => finding.code);
    expect(codes.filter((code) => code.startsWith('Suppression'))).toEqual([]);
    expect(two.report).toEqual(one.report);
  });

  it('starts a thread per job besides this one, above the threshold only, in a real process', async () => {
    const debug = { env: { NODE_DEBUG: 'worker' } };
    const folder = `${CORPUS}/longhorn__longhorn`;
    const two = await spawnCli(['--format', 'json', ...TWO_THREADS, folder], debug);
    const one = await spawnCli(['--format', 'json', '--jobs', '1', folder], debug);
    const small = await spawnCli(['--format', 'json', '--jobs', '2', folder], debug);
    const three = await spawnCli(['--format', 'json', '--jobs', '3', '--jobs-threshold', '1', folder], debug);
    // Two files, the first a little under half of the bytes: each thread still gets one.
    const pair = await spawnCli(
      ['--format', 'json', ...TWO_THREADS, 'examples/secure-pod.yaml', 'examples/insecure-deployment.yaml'],
      debug,
    );
    const started = [two, one, small, three, pair].map(threadsStarted);
    expect(started).toEqual([1, 0, 0, 2, 1]);
    expect(two.stdout).toBe(one.stdout);
    expect(three.stdout).toBe(one.stdout);
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
