import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/index.js';
import { applyPatches, lintWith, summary } from './support.js';

const lint = (text: string) => lintWith('apparmor', text);
const KEY = 'container.apparmor.security.beta.kubernetes.io';

/** A Pod with the given metadata body (under `metadata:`, after the name) and spec body (under `spec:`). */
const podWith = (metadata: string, spec: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${metadata}spec:\n${spec}`;
const annotations = (...lines: string[]) => `  annotations:\n${lines.map((line) => `    ${line}\n`).join('')}`;

/** Lints, applies every patch, and returns the findings of the fixed manifest. */
function lintFixed(text: string) {
  return lint(applyPatches(text, lint(text)));
}

describe('apparmor: securityContext.appArmorProfile (Kubernetes >= 1.30)', () => {
  it('accepts a RuntimeDefault or Localhost profile of the container or inherited from the pod', () => {
    const own = podWith(
      '',
      '  containers:\n    - name: a\n      securityContext:\n        appArmorProfile:\n          ' +
        'type: RuntimeDefault\n    - name: b\n      securityContext:\n        appArmorProfile:\n   ' +
        '       type: Localhost\n          localhostProfile: k8s-deny-write\n',
    );
    expect(lint(own)).toEqual([]);
    const inherited = podWith(
      '',
      '  securityContext:\n    appArmorProfile:\n      type: RuntimeDefault\n  containers:\n    - name: a\n  initContainers:\n    - name: init\n',
    );
    expect(lint(inherited)).toEqual([]);
  });

  it('reports a container whose own profile is Unconfined as disabled, at the type', () => {
    const text = podWith(
      '',
      '  containers:\n    - name: a\n      securityContext:\n        appArmorProfile:\n          type: Unconfined\n',
    );
    const findings = lint(text);
    expect(summary(findings)).toEqual([{ code: 'AppArmorDisabled', severity: 'error', container: 'a', line: 10 }]);
    expect(findings[0]!.details).toMatch(/container "a" runs without AppArmor/);
  });

  it('reports every container that inherits an Unconfined pod profile, unless it sets its own', () => {
    const text = podWith(
      '',
      '  securityContext:\n    appArmorProfile:\n      type: Unconfined\n  containers:\n    - ' +
        'name: a\n    - name: b\n      securityContext:\n        appArmorProfile:\n          type: ' +
        'RuntimeDefault\n    - name: c\n',
    );
    expect(summary(lint(text))).toEqual([
      { code: 'AppArmorDisabled', severity: 'error', container: 'a', line: 8 },
      { code: 'AppArmorDisabled', severity: 'error', container: 'c', line: 8 },
    ]);
  });

  it('lets the annotation win over the pod profile, and the container profile over both, as the kubelet does', () => {
    const annotationWins = podWith(
      annotations(`${KEY}/a: unconfined`),
      '  securityContext:\n    appArmorProfile:\n      type: RuntimeDefault\n  containers:\n    - name: a\n',
    );
    expect(summary(lint(annotationWins))).toEqual([
      { code: 'AppArmorDisabled', severity: 'error', container: 'a', line: 6 },
    ]);
    const fieldWins = podWith(
      annotations(`${KEY}/a: runtime/default`),
      '  containers:\n    - name: a\n      securityContext:\n        appArmorProfile:\n          type: Unconfined\n',
    );
    expect(summary(lint(fieldWins))).toEqual([
      { code: 'AppArmorDisabled', severity: 'error', container: 'a', line: 12 },
    ]);
  });

  it('reports a profile type Kubernetes does not know as a bad value, once for the pod and per container', () => {
    const text = podWith(
      '',
      '  securityContext:\n    appArmorProfile:\n      type: runtime/default\n  containers:\n    ' +
        '- name: a\n    - name: b\n      securityContext:\n        appArmorProfile: {}\n',
    );
    const findings = lint(text);
    expect(summary(findings)).toEqual([
      { code: 'AppArmorBadValue', severity: 'error', container: null, line: 8 },
      { code: 'AppArmorBadValue', severity: 'error', container: 'b', line: 13 },
    ]);
    expect(findings[0]!.details).toContain('"runtime/default"');
    expect(findings[1]!.details).toContain('is missing');
  });
});

describe('apparmor: containers of every role', () => {
  it('reports init and ephemeral containers without a profile, and accepts an annotation naming an ephemeral container', () => {
    const text = podWith(
      annotations(`${KEY}/app: runtime/default`, `${KEY}/debug: runtime/default`),
      '  initContainers:\n    - name: init\n  containers:\n    - name: app\n  ephemeralContainers:\n    - name: debug\n    - name: shell\n',
    );
    const findings = lint(text);
    expect(findings.map((f) => [f.code, f.container])).toEqual([
      ['AppArmorAnnotationMissing', 'init'],
      ['AppArmorAnnotationMissing', 'shell'],
    ]);
    expect(findings[0]!.details).toMatch(/^init container "init" does not set an AppArmor profile/);
    expect(findings[1]!.details).toContain(`${KEY}/shell: runtime/default`);
  });

  it('reports an annotation for a container that does not exist, once per annotation', () => {
    const text = podWith(
      annotations(`${KEY}/app: runtime/default`, `${KEY}/gone: runtime/default`, `${KEY}/typo: unconfined`),
      '  containers:\n    - name: app\n',
    );
    expect(summary(lint(text))).toEqual([
      { code: 'AppArmorInvalidAnnotation', severity: 'error', container: null, line: 7 },
      { code: 'AppArmorInvalidAnnotation', severity: 'error', container: null, line: 8 },
    ]);
  });
});

describe('apparmor: override labels', () => {
  it('allows a disabled profile, from the annotation or a field, by container or pod label', () => {
    const spec =
      '  securityContext:\n    appArmorProfile:\n      type: Unconfined\n  containers:\n    - name: a\n    - name: b\n';
    const byContainer = podWith(
      '  labels:\n    container.kubeaudit.io/a.allow-disabled-apparmor: "debug build"\n',
      spec,
    );
    const findings = lint(byContainer);
    expect(findings.map((f) => [f.code, f.severity, f.container])).toEqual([
      ['AppArmorDisabled', 'error', 'b'],
      ['AppArmorDisabledAllowed', 'info', 'a'],
    ]);
    expect(findings[1]!.patches).toEqual([]);
    const byPod = podWith('  labels:\n    kubeaudit.io/allow-disabled-apparmor: "true"\n', spec);
    expect(lint(byPod).map((f) => f.code)).toEqual(['AppArmorDisabledAllowed', 'AppArmorDisabledAllowed']);
  });

  it('allows nothing else, and never reports a label as redundant (kubeaudit does not)', () => {
    const labels = '  labels:\n    kubeaudit.io/allow-disabled-apparmor: "x"\n';
    const text = podWith(`${labels}${annotations(`${KEY}/a: bad`)}`, '  containers:\n    - name: a\n    - name: b\n');
    expect(lint(text).map((f) => [f.code, f.container])).toEqual([
      ['AppArmorAnnotationMissing', 'b'],
      ['AppArmorBadValue', 'a'],
    ]);
    expect(
      lint(podWith(`${labels}${annotations(`${KEY}/a: runtime/default`)}`, '  containers:\n    - name: a\n')),
    ).toEqual([]);
  });
});

describe('apparmor: spans', () => {
  it('points a missing profile at the annotations, or at the pod metadata when there are none', () => {
    const withAnnotations = podWith(annotations('team: web'), '  containers:\n    - name: a\n');
    expect(lint(withAnnotations).map((f) => [f.line, f.column, f.endColumn])).toEqual([[5, 3, 14]]);
    const without = podWith('', '  containers:\n    - name: a\n');
    expect(lint(without).map((f) => [f.line, f.column, f.endColumn])).toEqual([[3, 1, 9]]);
  });

  it('points at the annotation value, and into the pod template of a controller', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: d',
      'spec:',
      '  template:',
      '    metadata:',
      '      annotations:',
      `        ${KEY}/app: unconfined`,
      '    spec:',
      '      containers:',
      '        - name: app',
      '',
    ].join('\n');
    const [finding] = lint(text);
    expect(finding).toMatchObject({
      code: 'AppArmorDisabled',
      line: 9,
      column: 61,
      endColumn: 71,
      metadata: { Container: 'app', Annotation: `${KEY}/app`, AnnotationValue: 'unconfined' },
    });
  });
});

describe('apparmor: fixes', () => {
  it('adds the runtime/default annotation to the pod template of a controller', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n';
    const [finding] = lint(text);
    expect(finding!.patches.map((p) => p.patch)).toEqual([
      { op: 'set', path: ['spec', 'template', 'metadata', 'annotations', `${KEY}/app`], value: 'runtime/default' },
    ]);
    expect(lintFixed(text)).toEqual([]);
  });

  it('sets a disabled or bad annotation to runtime/default and removes one for a missing container', () => {
    const text = podWith(
      annotations(`${KEY}/a: unconfined`, `${KEY}/b: bad`, `${KEY}/c: runtime/default`),
      '  containers:\n    - name: a\n    - name: b\n',
    );
    const fixed = applyPatches(text, lint(text));
    expect(lint(fixed)).toEqual([]);
    expect(fixed).toContain(`${KEY}/a: runtime/default`);
    expect(fixed).toContain(`${KEY}/b: runtime/default`);
    expect(fixed).not.toContain(`${KEY}/c`);
  });

  it('confines a container whose own or inherited profile is Unconfined with a profile of its own', () => {
    const text = podWith(
      '',
      '  securityContext:\n    appArmorProfile:\n      type: Unconfined\n  containers:\n    - ' +
        'name: a\n    - name: b\n      securityContext:\n        appArmorProfile:\n          type: ' +
        'Unconfined\n          localhostProfile: stray\n',
    );
    const findings = lint(text);
    expect(findings.flatMap((f) => f.patches.map((p) => p.patch))).toEqual([
      {
        op: 'set',
        path: ['spec', 'containers', 0, 'securityContext', 'appArmorProfile', 'type'],
        value: 'RuntimeDefault',
      },
      {
        op: 'set',
        path: ['spec', 'containers', 1, 'securityContext', 'appArmorProfile', 'type'],
        value: 'RuntimeDefault',
      },
      { op: 'delete', path: ['spec', 'containers', 1, 'securityContext', 'appArmorProfile', 'localhostProfile'] },
    ]);
    expect(lintFixed(text)).toEqual([]);
  });

  it('keeps the annotation agreeing with the field, as Kubernetes requires', () => {
    // The pod's Localhost profile applies once the contradicting annotation is gone.
    const inherits = podWith(
      annotations(`${KEY}/a: unconfined`),
      '  securityContext:\n    appArmorProfile:\n      type: Localhost\n      localhostProfile: p\n  containers:\n    - name: a\n',
    );
    expect(lint(inherits)[0]!.patches.map((p) => p.patch)).toEqual([
      { op: 'delete', path: ['metadata', 'annotations', `${KEY}/a`] },
    ]);
    expect(lintFixed(inherits)).toEqual([]);

    // The pod is Unconfined: the container gets a profile of its own that matches its annotation.
    const podUnconfined = podWith(
      annotations(`${KEY}/a: unconfined`),
      '  securityContext:\n    appArmorProfile:\n      type: Unconfined\n  containers:\n    - name: a\n',
    );
    const fixed = applyPatches(podUnconfined, lint(podUnconfined));
    expect(lint(fixed)).toEqual([]);
    expect(fixed).toContain(`${KEY}/a: runtime/default`);
    expect(fixed).toMatch(
      /containers:\n\s+- name: a\n\s+securityContext:\n\s+appArmorProfile:\n\s+type: RuntimeDefault/,
    );

    // The container's own field decides: a bad annotation goes, a contradicting one too when the field is fixed.
    const own = podWith(
      annotations(`${KEY}/a: bad`, `${KEY}/b: localhost/p`),
      '  containers:\n    - name: a\n      securityContext:\n        appArmorProfile:\n          ' +
        'type: RuntimeDefault\n    - name: b\n      securityContext:\n        appArmorProfile:\n   ' +
        '       type: Unconfined\n',
    );
    const ownFixed = applyPatches(own, lint(own));
    expect(lint(ownFixed)).toEqual([]);
    expect(ownFixed).not.toContain(KEY);
  });

  it('does not fix what an override label allows', () => {
    const text = podWith(
      `  labels:\n    container.kubeaudit.io/a.allow-disabled-apparmor: "x"\n${annotations(`${KEY}/a: unconfined`)}`,
      '  containers:\n    - name: a\n',
    );
    const [finding] = lint(text);
    expect(finding).toMatchObject({ code: 'AppArmorDisabledAllowed', fixable: false, patches: [] });
  });
});

describe('apparmor: meta', () => {
  it('declares its codes as fixable, without options', () => {
    const rule = RULES.find((r) => r.meta.id === 'apparmor')!;
    expect(Object.values(rule.meta.codes).every((code) => code.fixable)).toBe(true);
    expect(rule.meta.options).toBeUndefined();
  });
});
