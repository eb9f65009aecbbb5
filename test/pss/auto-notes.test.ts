import { describe, expect, it } from 'vitest';
import { ALL_RULES, lintText, selectProfile } from '../../src/index.js';
import { fixtureDir, runCli } from '../support/cli.js';

const privilegedPod = (namespace?: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ` +
  `p\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  containers:\n    - name: a\n ` +
  `     image: nginx:1.27\n      securityContext:\n        privileged: true\n`;
const namespace = (name: string, enforce?: string) =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${enforce ? `  labels:\n    pod-security.kubernetes.io/enforce: ${enforce}\n` : ''}`;

async function auto(files: Record<string, string>) {
  return runCli(['--profile', 'auto', ...Object.keys(files)], { cwd: fixtureDir(files) });
}

describe('--profile auto says what it did not check, and why', () => {
  it('without a Namespace among the inputs: it checked nothing, and says what to do', async () => {
    const run = await auto({ 'pod.yaml': privilegedPod('shop') });
    expect(run).toMatchObject({ status: 0, stdout: '' });
    expect(run.stderr).toBe(
      'kubemend: --profile auto checked no workload: no Namespace among the inputs sets pod-security.kubernetes.io/enforce ' +
        '(lint the Namespace manifests with the workloads, or choose --profile pss-baseline or pss-restricted)\n',
    );
  });

  it('names a namespace whose Namespace is missing or sets no enforce label, and workloads without a namespace', async () => {
    const missing = await auto({ 'pod.yaml': privilegedPod('shop'), 'ns.yaml': namespace('other', 'baseline') });
    expect(missing.stderr).toBe(
      'kubemend: --profile auto did not check the workloads of namespace "shop": that Namespace is not among the inputs\n',
    );
    const unlabelled = await auto({
      'pod.yaml': privilegedPod('shop'),
      'ns.yaml': `${namespace('shop')}---\n${namespace('other', 'baseline')}`,
    });
    expect(unlabelled.stderr).toBe(
      'kubemend: --profile auto did not check the workloads of namespace "shop": it sets no pod-security.kubernetes.io/enforce label\n',
    );
    const none = await auto({ 'pod.yaml': privilegedPod(), 'ns.yaml': namespace('other', 'baseline') });
    expect(none.stderr).toMatch(/did not check workloads without metadata\.namespace/);
  });

  it('says nothing where a Namespace chose its level, privileged included', async () => {
    const checked = await auto({ 'pod.yaml': privilegedPod('shop'), 'ns.yaml': namespace('shop', 'baseline') });
    expect(checked.status).toBe(1);
    expect(checked.stderr).toBe('');
    expect(checked.stdout).toContain('PssPrivileged');
    expect((await auto({ 'pod.yaml': privilegedPod('shop'), 'ns.yaml': namespace('shop', 'privileged') })).stderr).toBe(
      '',
    );
  });

  it('gives the note once, to the library through onNote, although every control finds the workload', () => {
    const notes: string[] = [];
    const options = { ...selectProfile(ALL_RULES, { profile: 'auto' }), onNote: (note: string) => notes.push(note) };
    const pod = privilegedPod('shop').replace('privileged: true', 'privileged: true\n        runAsUser: 0');
    expect(lintText('pod.yaml', pod, options).findings).toEqual([]);
    expect(notes).toHaveLength(1);
  });
});
