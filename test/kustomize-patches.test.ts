import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, runCli, runJson } from './support/cli.js';

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
patches:
  - path: replicas.yaml
patchesStrategicMerge:
  - privileged.yaml
`;

/** A strategic-merge patch that sets the replica count and the image: nothing a rule reports. */
const REPLICAS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          image: shop/api:1.2.0
`;

const PRIVILEGED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          securityContext:
            privileged: true # needed for the debugger
`;

function overlay(): string {
  return fixtureDir({
    'overlay/kustomization.yaml': KUSTOMIZATION,
    'overlay/replicas.yaml': REPLICAS,
    'overlay/privileged.yaml': PRIVILEGED,
  });
}

describe('Kustomize patches linted without --kustomize', () => {
  it('a patch that sets one field has no findings about the fields it leaves out', async () => {
    const dir = overlay();
    const { report } = await runJson(['overlay/replicas.yaml'], { cwd: dir });
    expect(report.results).toEqual([{ file: 'overlay/replicas.yaml', findings: [], errors: [], suppressed: [] }]);
  });

  it('the same file outside a kustomization is a manifest, reported for what it lacks', async () => {
    const dir = fixtureDir({ 'replicas.yaml': REPLICAS });
    const { report } = await runJson(['replicas.yaml'], { cwd: dir });
    expect(report.results[0]!.findings.length).toBeGreaterThan(5);
  });

  it('a value a patch sets is still reported, at its line', async () => {
    const dir = overlay();
    const { report } = await runJson(['overlay'], { cwd: dir });
    const findings = report.results.flatMap((result) =>
      result.findings.map((finding) => ({ file: result.file, code: finding.code, line: finding.line })),
    );
    expect(findings).toEqual([{ file: 'overlay/privileged.yaml', code: 'PrivilegedTrue', line: 11 }]);
  });

  it('kustomization files are not manifests: they are not in the results', async () => {
    const dir = overlay();
    const { report } = await runJson(['overlay'], { cwd: dir });
    expect(report.results.map((result) => result.file).sort()).toEqual([
      'overlay/privileged.yaml',
      'overlay/replicas.yaml',
    ]);
  });

  it('--fix changes the value a patch sets and adds no field to it', async () => {
    const dir = overlay();
    const run = await runCli(['--fix', 'overlay'], { cwd: dir });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'overlay/privileged.yaml'), 'utf8')).toBe(
      PRIVILEGED.replace('privileged: true', 'privileged: false'),
    );
    expect(readFileSync(path.join(dir, 'overlay/replicas.yaml'), 'utf8')).toBe(REPLICAS);
  });
});
