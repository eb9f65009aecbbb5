import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES, lintInputs, selectProfile, type Finding, type ProfileChoice } from '../../src/index.js';
import { fixtureDir } from '../support/cli.js';
import { compliantContainer, lintProfile, yamlOf, type Obj } from './support.js';

/*
 * --profile auto: each workload is checked at the level and version its Namespace's pod-security.kubernetes.io
 * labels enforce, wherever that Namespace is among the inputs; --pss-version is the cluster's version.
 */

function namespace(name: string, labels: Record<string, string> = {}): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function enforce(level: string, version?: string): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    ...(version !== undefined ? { 'pod-security.kubernetes.io/enforce-version': version } : {}),
  };
}

/** Baseline-clean at v1.32 and later only (net.ipv4.tcp_rmem joined the safe sysctls then); restricted-clean otherwise too. */
function pod(name: string, namespaceName: string | undefined, extra: Obj = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(namespaceName !== undefined ? { namespace: namespaceName } : {}) },
    spec: {
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }],
      },
      containers: [compliantContainer('app')],
      ...extra,
    },
  };
}

/** `<resource name> <code> <level:version>` of each finding. */
function summary(findings: readonly Finding[]): string[] {
  return findings.map(
    (finding) =>
      `${finding.resource.name} ${finding.code} ${/(baseline|restricted):v1\.\d+/.exec(finding.details)![0]}`,
  );
}

function auto(manifests: Obj[], pssVersion?: string): Finding[] {
  const result = lintProfile(yamlOf(manifests), {
    profile: 'auto',
    ...(pssVersion !== undefined ? { pssVersion } : {}),
  });
  expect(result.errors).toEqual([]);
  return result.findings;
}

describe('--profile auto', () => {
  it('checks a workload at the level and version of its Namespace, which may come after it', () => {
    const findings = auto([
      pod('old', 'legacy'),
      pod('new', 'current'),
      namespace('legacy', enforce('baseline', 'v1.31')),
      namespace('current', enforce('baseline', 'v1.32')),
    ]);
    expect(summary(findings)).toEqual(['old PssSysctl baseline:v1.31']);
    expect(findings[0]!.details).toContain('(enforced by namespace "legacy")');
  });

  it('finds the Namespace in another file of the run', async () => {
    const dir = fixtureDir({
      'a-pod.yaml': yamlOf([pod('p', 'shop', { hostPID: true })]),
      'z-ns.yaml': yamlOf([namespace('shop', enforce('restricted', 'v1.30'))]),
    });
    const results = await lintInputs(
      [path.join(dir, 'a-pod.yaml'), path.join(dir, 'z-ns.yaml')],
      selectProfile(ALL_RULES, { profile: 'auto' }),
    );
    expect(results.map((result) => [path.basename(result.file), summary(result.findings)])).toEqual([
      ['a-pod.yaml', ['p PssSysctl restricted:v1.30', 'p PssHostNamespace restricted:v1.30']],
      ['z-ns.yaml', []],
    ]);
  });

  it('checks nothing where the Namespace is unknown, enforces privileged or sets no enforce label, nor a workload without a namespace', () => {
    const insecure = { hostPID: true };
    const findings = auto([
      pod('elsewhere', 'unknown', insecure),
      pod('open', 'open', insecure),
      pod('audited', 'audited', insecure),
      pod('nowhere', undefined, insecure),
      namespace('open', enforce('privileged', 'v1.30')),
      namespace('audited', {
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.30',
      }),
    ]);
    expect(findings).toEqual([]);
  });

  it("without enforce-version, or with latest, uses --pss-version (the cluster's version); a newer label gets no more than it", () => {
    const manifests = (version?: string) => [pod('p', 'ns'), namespace('ns', enforce('baseline', version))];
    expect(summary(auto(manifests()))).toEqual([]);
    expect(summary(auto(manifests(), 'v1.31'))).toEqual(['p PssSysctl baseline:v1.31']);
    expect(summary(auto(manifests('latest'), 'v1.31'))).toEqual(['p PssSysctl baseline:v1.31']);
    expect(summary(auto(manifests('v1.33'), 'v1.31'))).toEqual(['p PssSysctl baseline:v1.31']);
    expect(summary(auto(manifests('v1.99')))).toEqual([]);
    expect(auto(manifests(), 'v1.31')[0]!.details).toContain(
      'it sets no pod-security.kubernetes.io/enforce-version, so latest',
    );
  });

  it('reads labels that are not a level or a version as restricted and latest, as Pod Security Admission does, and says so', () => {
    const findings = auto([pod('p', 'typo', { hostPID: true }), namespace('typo', enforce('restrcted', 'v1.3o'))]);
    expect(summary(findings)).toEqual(['p PssHostNamespace restricted:v1.37']);
    expect(findings[0]!.details).toContain(
      'its pod-security.kubernetes.io/enforce label "restrcted" is not a level, which Pod Security Admission reads as restricted',
    );
    expect(findings[0]!.details).toContain(
      'its pod-security.kubernetes.io/enforce-version label "v1.3o" is not a version, which Pod Security Admission reads as latest',
    );
  });

  it('takes the last of two Namespaces of one name, as applying them would', () => {
    const findings = auto([
      namespace('ns', enforce('restricted')),
      pod('p', 'ns', { hostPID: true }),
      namespace('ns', enforce('privileged')),
    ]);
    expect(findings).toEqual([]);
  });

  it('a pss level on the command line wins over the labels', () => {
    const manifests = [pod('p', 'ns', { hostPID: true }), namespace('ns', enforce('privileged'))];
    const choice: ProfileChoice = { profile: 'pss-baseline', pssVersion: 'v1.36' };
    expect(summary(lintProfile(yamlOf(manifests), choice).findings)).toEqual(['p PssHostNamespace baseline:v1.36']);
  });

  it('checks Deployments and CronJobs by their own namespace', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns' },
      spec: { template: pod('x', undefined, { hostIPC: true }) },
    };
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c', namespace: 'other' },
      spec: { jobTemplate: { spec: { template: pod('y', undefined, { hostIPC: true }) } } },
    };
    const findings = auto([
      deployment,
      cronJob,
      namespace('ns', enforce('baseline', 'v1.32')),
      namespace('other', enforce('privileged')),
    ]);
    expect(summary(findings)).toEqual(['d PssHostNamespace baseline:v1.32']);
  });
});

describe('the library', () => {
  it('refuses a version it does not know', () => {
    expect(() => selectProfile(ALL_RULES, { profile: 'pss-restricted', pssVersion: 'v1.38' })).toThrow(
      'unknown Pod Security Standards version "v1.38": use latest or v1.0 to v1.37 (latest is v1.37)',
    );
  });
});
