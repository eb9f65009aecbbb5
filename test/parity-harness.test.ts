import { describe, expect, it } from 'vitest';
import { compareAudits } from './e2e/parity/compare-audit.js';
import { compareFixedOutputs, readFixedOutput } from './e2e/parity/compare-fix.js';
import { EXPECTED_DIFFERENCES, type FileEvidence } from './e2e/parity/expected-differences.js';
import type { AuditDifference, FixDifference, ResourceKey, ToolFinding } from './e2e/parity/model.js';
import { OriginalFile } from './e2e/parity/original-file.js';

/*
 * The parity harness (test/e2e/parity.test.ts, `npm run parity`) needs the real kubeaudit; what it compares and what
 * its expected differences accept is checked here on small inline manifests, so that a harness that explains too much
 * (and so hides a kubemend bug) fails in the normal suite.
 */

const POD: ResourceKey = { kind: 'Pod', namespace: '', name: 'web' };

function finding(code: string, container = 'app', metadata: Record<string, string> = {}, resource = POD): ToolFinding {
  return { code, severity: 'error', resource, container, metadata };
}

function evidence(text: string, kubeaudit: ToolFinding[] = [], kubemend: ToolFinding[] = []): FileEvidence {
  return {
    original: new OriginalFile('t.yaml', text),
    kubeaudit: { status: 0, findings: kubeaudit },
    kubemend: { status: 0, findings: kubemend },
  };
}

function explainers(difference: AuditDifference, from: FileEvidence): string[] {
  return EXPECTED_DIFFERENCES.filter((entry) => entry.audit?.(difference, from)).map((entry) => entry.id);
}

function fixExplainers(difference: FixDifference, from: FileEvidence): string[] {
  const fixEvidence = { ...from, kubeauditFixedText: undefined, kubeauditOutput: undefined };
  return EXPECTED_DIFFERENCES.filter((entry) => entry.fix?.(difference, fixEvidence)).map((entry) => entry.id);
}

const pod = (spec: string, leading = '') =>
  `${leading}apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n${spec}`;

describe('comparing audits', () => {
  it('compares the set of codes per resource and container, not how often each is reported', () => {
    const theirs = [finding('PrivilegedNil'), finding('PrivilegedNil'), finding('LimitsNotSet')];
    const ours = [finding('LimitsNotSet'), finding('PrivilegedNil')];
    expect(compareAudits(theirs, ours)).toEqual([]);
  });

  it('reports a code one side gives alone, with the side and the resource', () => {
    const differences = compareAudits(
      [finding('PrivilegedNil')],
      [finding('PrivilegedNil'), finding('PrivilegedNil', 'sidecar')],
    );
    expect(differences).toEqual([
      {
        resource: POD,
        container: 'sidecar',
        code: 'PrivilegedNil',
        reportedBy: 'kubemend',
        findings: [finding('PrivilegedNil', 'sidecar')],
      },
    ]);
  });
});

describe('comparing fixed outputs', () => {
  it("ignores `status`, which kubeaudit's encoder adds depending on the file's last byte", () => {
    const theirs = readFixedOutput(pod('  containers: []\nstatus: {}'));
    const ours = readFixedOutput(pod('  containers: []\n'));
    expect(compareFixedOutputs(ours, theirs, ours).differences).toEqual([]);
  });

  it('reads line breaks as YAML does: the lone CR kubeaudit leaves at the end of a CRLF file is one', () => {
    const output = readFixedOutput(`${pod('  containers: []\n').replace(/\n/g, '\r\n')}  hostPID: false\n\r`);
    expect(output.error).toBeUndefined();
    expect(output.resources).toEqual([
      {
        key: POD,
        data: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [], hostPID: false } },
      },
    ]);
  });

  it('names each path where the data differs, with both values', () => {
    const theirs = readFixedOutput(pod('  containers:\n    - name: app\n      securityContext: {privileged: false}\n'));
    const ours = readFixedOutput(
      pod('  containers:\n    - name: app\n      securityContext: {privileged: true, runAsNonRoot: true}\n'),
    );
    expect(compareFixedOutputs(ours, theirs, ours).differences).toEqual([
      {
        resource: POD,
        kind: 'data',
        paths: [
          { path: 'spec.containers[0].securityContext.privileged', kubeaudit: false, kubemend: true },
          { path: 'spec.containers[0].securityContext.runAsNonRoot', kubeaudit: undefined, kubemend: true },
        ],
      },
    ]);
  });

  it('reports a resource missing from an output that is not valid YAML, with the YAML error', () => {
    const theirs = readFixedOutput(
      'kind: Namespace\napiVersion: v1\nmetadata:\n  name: shop\nstatus: {}---\napiVersion: v1\n',
    );
    const ours = readFixedOutput('kind: Namespace\napiVersion: v1\nmetadata:\n  name: shop\n');
    const [difference] = compareFixedOutputs(ours, theirs, ours).differences;
    expect(difference).toMatchObject({
      resource: { kind: 'Namespace', name: 'shop' },
      kind: 'missing',
      side: 'kubemend',
    });
    expect(difference!.detail).toMatch(/^kubeaudit's output is not valid YAML: /);
  });

  it('reports a resource of the original that neither output has, when both are not valid YAML', () => {
    const original = readFixedOutput(pod('  containers: []\n'));
    const broken = readFixedOutput(`${pod('  containers: []\n')}  strategy: {}\n --- cut here ---\n`);
    expect(broken.resources).toEqual([]);
    const [difference] = compareFixedOutputs(original, broken, broken).differences;
    expect(difference).toMatchObject({ resource: POD, kind: 'lost' });
    expect(difference!.detail).toMatch(
      /^kubeaudit's output is not valid YAML: .*; kubemend's output is not valid YAML: /,
    );
  });
});

describe('expected differences explain only what they name', () => {
  const imagePod = (image: string) => pod(`  containers:\n    - name: app\n      image: ${image}\n`);
  const tagMissing = (): AuditDifference => ({
    resource: POD,
    container: 'app',
    code: 'ImageTagMissing',
    reportedBy: 'kubemend',
    findings: [finding('ImageTagMissing')],
  });

  it('image: a colon before the last path segment, not an image without any colon', () => {
    expect(explainers(tagMissing(), evidence(imagePod('ko://example.dev/cmd/app')))).toEqual([
      'image-colon-before-name',
    ]);
    expect(explainers(tagMissing(), evidence(imagePod('registry:5000/app')))).toEqual(['image-colon-before-name']);
    expect(explainers(tagMissing(), evidence(imagePod('nginx')))).toEqual([]);
    expect(
      explainers({ ...tagMissing(), reportedBy: 'kubeaudit' }, evidence(imagePod('ko://example.dev/cmd/app'))),
    ).toEqual([]);
  });

  it('mounts: a host path kubeaudit does not list as written, not one it does', () => {
    const mounted = (hostPath: string): AuditDifference => ({
      resource: POD,
      container: 'app',
      code: 'SensitivePathsMounted',
      reportedBy: 'kubemend',
      findings: [finding('SensitivePathsMounted', 'app', { MountVolumeHostPath: hostPath })],
    });
    const text = pod('  containers: []\n');
    expect(explainers(mounted('/proc/'), evidence(text))).toEqual(['mounts-normalised-path']);
    expect(explainers(mounted('/proc'), evidence(text))).toEqual([]);
  });

  it('split on dashes: `---` inside a document or its leading comment, not a document marker', () => {
    const spec = '  containers:\n    - name: app\n      image: nginx:1.27\n';
    const difference = { ...tagMissing(), code: 'PrivilegedNil' };
    expect(explainers(difference, evidence(`---\n${pod(spec, '# ---- Web ----\n')}`))).toEqual(['split-on-dashes']);
    expect(
      explainers(difference, evidence(`---\n${pod(`${spec}      command: ["sh", "-c", "echo ----"]\n`)}`)),
    ).toEqual(['split-on-dashes']);
    expect(explainers(difference, evidence(`--- # the pod\n${pod(spec)}---\n`))).toEqual([]);
  });

  it('undecodable document: only when kubeaudit said nothing about the resource and an env value is not a string', () => {
    const text = pod(
      '  containers:\n    - name: app\n      image: nginx:1.27\n      env:\n        - {name: DEBUG, value: true}\n',
    );
    const difference = { ...tagMissing(), code: 'PrivilegedNil' };
    expect(explainers(difference, evidence(text))).toEqual(['undecodable-document']);
    expect(explainers(difference, evidence(text, [finding('LimitsNotSet')]))).toEqual([]);
    expect(explainers(difference, evidence(text.replace('value: true', 'value: "true"')))).toEqual([]);
  });

  it("nonroot: the pod's runAsUser 0 kubeaudit keeps, not a container's", () => {
    const text = pod('  securityContext: {runAsUser: 0}\n  containers:\n    - name: app\n      image: app:1.0\n');
    const from = evidence(text, [finding('RunAsUserPSCRoot')]);
    const kept = (path: string): FixDifference => ({
      resource: POD,
      kind: 'data',
      paths: [{ path, kubeaudit: 0, kubemend: undefined }],
    });
    expect(fixExplainers(kept('spec.securityContext.runAsUser'), from)).toEqual(['nonroot-pod-run-as-user-0']);
    expect(fixExplainers(kept('spec.containers[0].securityContext.runAsUser'), from)).toEqual([]);
    expect(fixExplainers(kept('spec.securityContext.runAsUser'), evidence(text))).toEqual([]);
  });
});
