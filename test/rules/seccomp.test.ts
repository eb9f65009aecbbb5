import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/index.js';
import { CONFORMANCE_DIR } from '../support/conformance.js';
import { pod } from '../support/manifests.js';
import { applyPatches, lintWith, summary } from './support.js';

const lint = (text: string) => lintWith('seccomp', text);
const profile = (type: string, indent: string) =>
  `${indent}securityContext:\n${indent}  seccompProfile:\n${indent}    type: ${type}\n`;

describe('seccomp: which containers count', () => {
  it('needs a pod profile unless every container, init and ephemeral included, has an enabled one', () => {
    const allOwn = pod(
      `  initContainers:\n    - name: init\n${profile('RuntimeDefault', '      ')}  ` +
        `containers:\n    - name: app\n${profile('Localhost', '      ')}  ephemeralContainers:\n   ` +
        ` - name: debug\n${profile('RuntimeDefault', '      ')}`,
    );
    expect(lint(allOwn)).toEqual([]);

    const ephemeralWithout = pod(
      `  containers:\n    - name: app\n${profile('RuntimeDefault', '      ')}  ephemeralContainers:\n    - name: debug\n`,
    );
    const findings = lint(ephemeralWithout);
    expect(summary(findings)).toEqual([{ code: 'SeccompProfileMissing', severity: 'error', container: null, line: 5 }]);
    expect(findings[0]!.details).toContain('ephemeral container "debug" has no enabled profile of its own');
  });

  it('reports a disabled profile of an init or ephemeral container, at its type', () => {
    const text = pod(
      `${profile('RuntimeDefault', '  ')}  initContainers:\n    - name: ` +
        `init\n${profile('Unconfined', '      ')}  containers:\n    - name: app\n  ` +
        `ephemeralContainers:\n    - name: debug\n${profile('Unconfined', '      ')}`,
    );
    expect(summary(lint(text))).toEqual([
      { code: 'SeccompDisabledContainer', severity: 'error', container: 'init', line: 13 },
      { code: 'SeccompDisabledContainer', severity: 'error', container: 'debug', line: 20 },
    ]);
  });

  it('treats a profile without a type as disabled, as kubeaudit does', () => {
    const text = pod('  securityContext:\n    seccompProfile: {}\n  containers:\n    - name: app\n');
    const findings = lint(text);
    expect(summary(findings)).toEqual([{ code: 'SeccompDisabledPod', severity: 'error', container: null, line: 7 }]);
    expect(findings[0]!.details).toContain('has no type');
  });

  it('ignores override labels: seccomp has none in kubeaudit', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    kubeaudit.io/allow-seccomp: "x"\nspec:\n  containers:\n    - name: app\n`;
    expect(lint(text).map((f) => f.code)).toEqual(['SeccompProfileMissing']);
  });
});

describe('seccomp: deprecated annotations', () => {
  const annotated = (spec: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    owner: web\n    ` +
    `seccomp.security.alpha.kubernetes.io/pod: runtime/default\n    ` +
    `container.seccomp.security.alpha.kubernetes.io/app: runtime/default\nspec:\n${spec}`;

  it('warns once, at the first annotation, listing them all, when no seccompProfile field exists', () => {
    const findings = lint(annotated('  containers:\n    - name: app\n'));
    expect(summary(findings)).toEqual([
      { code: 'SeccompDeprecatedAnnotations', severity: 'warning', container: null, line: 7 },
      { code: 'SeccompProfileMissing', severity: 'error', container: null, line: 9 },
    ]);
    expect(findings[0]!.metadata).toEqual({
      AnnotationKeys: 'seccomp.security.alpha.kubernetes.io/pod,container.seccomp.security.alpha.kubernetes.io/app',
    });
  });

  it('stays quiet about them once any seccompProfile field is set, as kubeaudit does', () => {
    expect(lint(annotated(`  containers:\n    - name: app\n${profile('RuntimeDefault', '      ')}`))).toEqual([]);
  });
});

describe('seccomp: fixes', () => {
  /** The fixed manifest's data, after applying every patch; it must lint clean. */
  function fix(text: string) {
    const fixed = applyPatches(text, lint(text));
    expect(lint(fixed)).toEqual([]);
    return parse(fixed) as { metadata: { annotations?: Record<string, string> }; spec: Record<string, any> };
  }

  it('sets the pod profile to RuntimeDefault and removes the disabled container profile, which then inherits it', () => {
    const data = fix(pod(`  containers:\n    - name: a\n${profile('Unconfined', '      ')}    - name: b\n`));
    expect(data.spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(data.spec.containers[0].securityContext).toEqual({});
  });

  it('removes the deprecated annotations and keeps the others', () => {
    const text =
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    ` +
      `seccomp.security.alpha.kubernetes.io/pod: runtime/default\n    owner: web\n    ` +
      `container.seccomp.security.alpha.kubernetes.io/a: localhost/a.json\nspec:\n  ` +
      `containers:\n    - name: a\n`;
    const data = fix(text);
    expect(data.metadata.annotations).toEqual({ owner: 'web' });
    expect(data.spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
  });

  it('replaces a disabled pod profile by {type: RuntimeDefault}, dropping a localhostProfile', () => {
    const text = pod(
      '  securityContext:\n    seccompProfile:\n      type: Unconfined\n      localhostProfile: stray.json\n  containers:\n    - name: a\n',
    );
    expect(fix(text).spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
  });

  it('gives a disabled container RuntimeDefault where the pod profile is Localhost, to keep the pod profile', () => {
    const text = pod(
      `  securityContext:\n    seccompProfile:\n      type: Localhost\n      localhostProfile: ` +
        `p.json\n  containers:\n    - name: a\n${profile('Unconfined', '      ')}`,
    );
    const data = fix(text);
    expect(data.spec.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'p.json' });
    expect(data.spec.containers[0].securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  it("satisfies kubeaudit's autofix assertions for its seccomp fixtures", () => {
    const fixtures = [
      'seccomp-profile-missing',
      'seccomp-profile-missing-disabled-container',
      'seccomp-profile-missing-annotations',
      'seccomp-disabled-pod',
      'seccomp-disabled',
      'seccomp-disabled-localhost',
    ];
    const podTypes: string[] = [];
    for (const name of fixtures) {
      const data = fix(readFileSync(path.join(CONFORMANCE_DIR, 'fixtures', 'seccomp', `${name}.yml`), 'utf8'));
      podTypes.push(data.spec.securityContext.seccompProfile.type);
      expect(
        Object.keys(data.metadata.annotations ?? {}).filter((key) => key.includes('seccomp')),
        name,
      ).toEqual([]);
    }
    expect(podTypes).toEqual([
      'RuntimeDefault',
      'RuntimeDefault',
      'RuntimeDefault',
      'RuntimeDefault',
      'RuntimeDefault',
      'Localhost',
    ]);
  });
});

describe('seccomp: meta', () => {
  it('declares its codes as fixable, without options or override', () => {
    const rule = RULES.find((r) => r.meta.id === 'seccomp')!;
    expect(Object.values(rule.meta.codes).every((code) => code.fixable)).toBe(true);
    expect(rule.meta.options).toBeUndefined();
  });
});
