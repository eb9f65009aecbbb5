import { describe, expect, it } from 'vitest';
import { ALL_RULES, lintText } from '../../src/index.js';
import { runCli } from '../support/cli.js';
import type { JsonFinding } from '../support/cli.js';
import { PRIVILEGED, brief, lintFiles, lintStylish, podWith, privilegedContainer } from './support.js';

const DISABLE_NEXT_LINE = '# kubemend-disable-next-line';

describe('kubemend-disable-next-line (and names)', () => {
  it('suppresses the findings of the next line that is not blank or a comment, and only those', async () => {
    const text = podWith(
      `    - name: app\n      image: nginx:1.27\n      securityContext:\n        ` +
        `${DISABLE_NEXT_LINE} privileged -- the CNI plugin needs it (OPS-42)\n\n        # reviewed ` +
        `by the platform team\n        privileged: true\n${privilegedContainer('sidecar')}`,
    );
    const { status, findings, suppressed } = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(status).toBe(1);
    expect(brief(findings)).toEqual([{ code: 'PrivilegedTrue', line: 17, container: 'sidecar' }]);
    expect(suppressed).toEqual([
      expect.objectContaining({
        code: 'PrivilegedTrue',
        line: 13,
        container: 'app',
        fixable: false,
        suppression: { kind: 'comment', reason: 'the CNI plugin needs it (OPS-42)', until: null },
      }),
    ]);
  });

  it('goes above the `- name:` line for a finding about a field the container lacks', async () => {
    const text = podWith(
      `    ${DISABLE_NEXT_LINE} PrivilegedNil -- set by our admission webhook\n    - name: app\n ` +
        `     image: nginx:1.27\n    - name: other\n      image: nginx:1.27\n`,
    );
    const { findings, suppressed } = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(brief(suppressed)).toEqual([{ code: 'PrivilegedNil', line: 8, container: 'app' }]);
    expect(brief(findings)).toEqual([{ code: 'PrivilegedNil', line: 10, container: 'other' }]);
  });

  it('above a container, covers the fields it lacks but not the values it has', async () => {
    const text = podWith(
      `    ${DISABLE_NEXT_LINE} privileged -- legacy\n${privilegedContainer('app')}`.replace(
        '        privileged: true\n',
        '        runAsUser: 0\n',
      ),
    );
    const nil = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(brief(nil.suppressed)).toEqual([{ code: 'PrivilegedNil', line: 10, container: 'app' }]);
    const present = await lintFiles(
      { 'pod.yaml': podWith(`    ${DISABLE_NEXT_LINE} privileged -- legacy\n${privilegedContainer('app')}`) },
      PRIVILEGED,
    );
    expect(brief(present.findings)).toEqual([
      { code: 'SuppressionUnused', line: 7, container: null },
      { code: 'PrivilegedTrue', line: 11, container: 'app' },
    ]);
  });

  it('for a pod-level field the pod lacks, a comment above any key on its path covers it', async () => {
    const text = podWith('    - name: app\n      image: nginx:1.27\n').replace(
      'spec:\n',
      '# kubemend-disable-next-line SeccompProfileMissing -- legacy\nspec:\n  securityContext:\n    runAsUser: 1000\n',
    );
    const { findings, suppressed } = await lintFiles({ 'pod.yaml': text }, [
      '--rule',
      'seccomp',
      '--rule',
      'suppressions',
    ]);
    expect(findings).toEqual([]);
    expect(brief(suppressed)).toEqual([{ code: 'SeccompProfileMissing', line: 7, container: null }]);
  });

  it('takes rule ids and codes, several of them, separated by commas', async () => {
    const text = podWith(
      `    - name: app\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n`,
    ).replace('spec:\n', 'spec:\n  # kubemend-disable hostns,PrivilegedTrue -- legacy\n  hostNetwork: true\n');
    const { findings, suppressed } = await lintFiles({ 'pod.yaml': text }, [...PRIVILEGED, '--rule', 'hostns']);
    expect(findings).toEqual([]);
    expect(brief(suppressed)).toEqual([
      { code: 'NamespaceHostNetworkTrue', line: 7, container: null },
      { code: 'PrivilegedTrue', line: 12, container: 'app' },
    ]);
  });

  it('names a Pod Security Standards rule by its id', async () => {
    const text = podWith(
      `    - name: app\n      image: nginx:1.27\n      securityContext:\n        ${DISABLE_NEXT_LINE} pss/privileged -- legacy\n        privileged: true\n`,
    );
    const { findings, suppressed } = await lintFiles({ 'pod.yaml': text }, ['--profile', 'pss-baseline']);
    expect(findings).toEqual([]);
    expect(suppressed.map((finding) => finding.rule)).toEqual(['pss/privileged']);
  });
});

describe('kubemend-disable-line', () => {
  it('suppresses the findings of its own line until its date, then is reported as expired', async () => {
    const text = podWith(
      privilegedContainer(
        'app',
        '# kubemend-disable-line PrivilegedTrue until=2026-06-30 -- migrating to a device plugin',
      ),
    );
    const before = await lintFiles({ 'pod.yaml': text }, PRIVILEGED, { KUBEMEND_TODAY: '2026-06-30' });
    expect(before.status).toBe(0);
    expect(before.findings).toEqual([]);
    expect(before.suppressed[0]!.suppression).toEqual({
      kind: 'comment',
      reason: 'migrating to a device plugin',
      until: '2026-06-30',
    });

    const after = await lintFiles({ 'pod.yaml': text }, PRIVILEGED, { KUBEMEND_TODAY: '2026-07-01' });
    expect(after.status).toBe(1);
    expect(after.suppressed).toEqual([]);
    expect(after.findings.map(({ code, severity, line, column }) => ({ code, severity, line, column }))).toEqual([
      { code: 'PrivilegedTrue', severity: 'error', line: 10, column: 21 },
      { code: 'SuppressionExpired', severity: 'warning', line: 10, column: 27 },
    ]);
    expect(after.findings[1]!.message).toBe(
      'kubemend-disable-line expired on 2026-06-30 and no longer applies: fix what it suppressed, or move the date if the reason still holds',
    );
  });
});

describe('kubemend-disable … kubemend-enable', () => {
  const containers = ['a', 'b', 'c'].map((name) => privilegedContainer(name));

  it('suppresses up to the matching kubemend-enable', async () => {
    const text = podWith(
      `    # kubemend-disable privileged -- legacy drivers\n${containers[0]}${containers[1]}    # kubemend-enable\n${containers[2]}`,
    );
    const { findings, suppressed } = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(brief(suppressed).map((f) => f.container)).toEqual(['a', 'b']);
    expect(brief(findings)).toEqual([{ code: 'PrivilegedTrue', line: 20, container: 'c' }]);
  });

  it('a kubemend-enable with names ends the block for those names only', async () => {
    const pod = podWith(
      `    # kubemend-disable PrivilegedTrue, hostns -- legacy\n${containers[0]}    # kubemend-enable PrivilegedTrue\n${containers[1]}`,
    );
    const text = `${pod}  hostNetwork: true\n`;
    const { findings, suppressed } = await lintFiles({ 'pod.yaml': text }, [...PRIVILEGED, '--rule', 'hostns']);
    expect(brief(suppressed)).toEqual([
      { code: 'PrivilegedTrue', line: 11, container: 'a' },
      { code: 'NamespaceHostNetworkTrue', line: 17, container: null },
    ]);
    expect(brief(findings)).toEqual([{ code: 'PrivilegedTrue', line: 16, container: 'b' }]);
  });

  it('ends at the end of its YAML document', async () => {
    const text = `# kubemend-disable privileged -- legacy\n${podWith(containers[0]!)}---\n${podWith(containers[1]!)}`;
    const { findings, suppressed } = await lintFiles({ 'pods.yaml': text }, PRIVILEGED);
    expect(brief(suppressed)).toEqual([{ code: 'PrivilegedTrue', line: 11, container: 'a' }]);
    expect(brief(findings)).toEqual([{ code: 'PrivilegedTrue', line: 22, container: 'b' }]);
  });

  it('a kubemend-enable that ends nothing is unused', async () => {
    const text = podWith(`    # kubemend-enable privileged\n${containers[0]}`);
    const { findings } = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(findings.map(({ code, line, message }) => ({ code, line, message }))).toEqual([
      {
        code: 'SuppressionUnused',
        line: 7,
        message:
          'kubemend-enable privileged: no kubemend-disable of privileged is open above it in this document; remove the name',
      },
      { code: 'PrivilegedTrue', line: 11, message: expect.any(String) },
    ]);
  });
});

describe('what is not a directive', () => {
  it('a # inside a block scalar (a script) is text, not a comment', async () => {
    const text = podWith(
      `    - name: app\n      image: nginx:1.27\n      args:\n        - |\n          # ` +
        `kubemend-disable privileged -- inside a script\n          run\n      securityContext:\n   ` +
        `     privileged: true\n`,
    );
    const { findings, suppressed } = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(suppressed).toEqual([]);
    expect(brief(findings)).toEqual([{ code: 'PrivilegedTrue', line: 14, container: 'app' }]);
  });

  it('a misspelt directive is invalid, with the forms that exist', async () => {
    const text = podWith(`    # kubemend-disable-nextline privileged -- legacy\n${privilegedContainer('app')}`);
    const { findings } = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(findings[0]).toMatchObject({
      code: 'SuppressionInvalid',
      severity: 'error',
      line: 7,
      message:
        'kubemend-disable-nextline is not a kubemend directive: use kubemend-disable-next-line, kubemend-disable-line, kubemend-disable or kubemend-enable',
    });
  });
});

describe('governance: a directive that does not apply is reported at the comment and the finding stays', () => {
  const cases: [string, string, string][] = [
    [
      'no reason',
      `${DISABLE_NEXT_LINE} privileged`,
      'kubemend-disable-next-line does not apply: no reason: end it with " -- <why this is accepted>"',
    ],
    [
      'an empty reason',
      `${DISABLE_NEXT_LINE} privileged -- `,
      'kubemend-disable-next-line does not apply: no reason: end it with " -- <why this is accepted>"',
    ],
    [
      'an unknown name',
      `${DISABLE_NEXT_LINE} privilegd -- legacy`,
      'kubemend-disable-next-line does not apply: unknown rule or code "privilegd"; did you mean privileged?',
    ],
    [
      'a malformed date',
      `${DISABLE_NEXT_LINE} privileged until=2026-02-30 -- legacy`,
      'kubemend-disable-next-line does not apply: until=2026-02-30 is not a date written YYYY-MM-DD',
    ],
    [
      'no names',
      `${DISABLE_NEXT_LINE} -- legacy`,
      'kubemend-disable-next-line does not apply: it names no rule or code',
    ],
    [
      'the suppressions rule itself',
      `${DISABLE_NEXT_LINE} privileged, SuppressionUnused -- quiet`,
      'kubemend-disable-next-line does not apply: SuppressionUnused cannot be suppressed by a ' +
        'comment or annotation; turn it off in .kubemend.yaml (codes: {SuppressionUnused: off})',
    ],
  ];

  it.each(cases)('%s', async (_, comment, message) => {
    const text = podWith(
      `    - name: app\n      image: nginx:1.27\n      securityContext:\n        ${comment}\n        privileged: true\n`,
    );
    const { status, findings, suppressed } = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(status).toBe(1);
    expect(suppressed).toEqual([]);
    expect(findings.map(({ code, severity, line, column }) => ({ code, severity, line, column }))).toEqual([
      { code: 'SuppressionInvalid', severity: 'error', line: 10, column: 9 },
      { code: 'PrivilegedTrue', severity: 'error', line: 11, column: 21 },
    ]);
    expect(findings[0]!.message).toBe(message);
    expect(findings[0]!.resource).toEqual({ apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: null });
  });

  it('a directive that suppresses nothing is unused; so are the names of it that suppress nothing', async () => {
    const text = podWith(
      `    - name: app\n      image: nginx:1.27\n      securityContext:\n        ` +
        `${DISABLE_NEXT_LINE} privileged, hostns -- legacy\n        privileged: true\n        ` +
        `${DISABLE_NEXT_LINE} privileged -- legacy\n        runAsUser: 1000\n`,
    );
    const { findings } = await lintFiles({ 'pod.yaml': text }, [...PRIVILEGED, '--rule', 'hostns']);
    expect(findings.map(({ code, severity, line, message }) => ({ code, severity, line, message }))).toEqual([
      {
        code: 'SuppressionUnused',
        severity: 'warning',
        line: 10,
        message: 'kubemend-disable-next-line: "hostns" suppresses nothing here; remove that name',
      },
      {
        code: 'SuppressionUnused',
        severity: 'warning',
        line: 12,
        message: 'kubemend-disable-next-line suppresses nothing: remove it',
      },
    ]);
  });

  it('names of rules that did not run are not reported as unused', async () => {
    const text = podWith(
      `    - name: app\n      image: nginx:1.27\n      securityContext:\n        ` +
        `${DISABLE_NEXT_LINE} privileged, pss/privileged -- legacy\n        privileged: true\n`,
    );
    const { findings, suppressed } = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(findings).toEqual([]);
    expect(suppressed).toHaveLength(1);
  });

  it('a file that could not be read completely gets no SuppressionUnused', async () => {
    const text = `${podWith(privilegedContainer('app'))}---\n# kubemend-disable privileged -- the broken document below\nkind: [\n`;
    const { status, findings } = await lintFiles({ 'pod.yaml': text }, PRIVILEGED);
    expect(status).toBe(2);
    expect(findings.map((finding) => finding.code)).toEqual(['PrivilegedTrue']);
  });

  it('without the suppressions rule (--rule privileged alone) directives still apply, and nothing is said about them', async () => {
    const text = podWith(
      `${privilegedContainer('a', '# kubemend-disable-line privileged -- legacy')}${privilegedContainer('b', '# kubemend-disable-line privileged')}`,
    );
    const { findings, suppressed } = await lintFiles({ 'pod.yaml': text }, ['--rule', 'privileged']);
    expect(brief(suppressed)).toEqual([{ code: 'PrivilegedTrue', line: 10, container: 'a' }]);
    expect(brief(findings)).toEqual([{ code: 'PrivilegedTrue', line: 14, container: 'b' }]);
  });

  it('in a file of many documents, the directives of each document cover its own findings and report on its own resource', async () => {
    // Odd documents suppress with a comment, even ones with an annotation; every third one's directive is unused.
    const documents = Array.from({ length: 300 }, (_, n) => {
      const unused = n % 3 === 0;
      const annotation =
        n % 2 === 0
          ? `  annotations:\n    ignore.kubemend.io/${unused ? 'PrivilegedNil' : 'privileged'}: legacy\n`
          : '';
      const comment =
        n % 2 === 1 ? `        ${DISABLE_NEXT_LINE} ${unused ? 'PrivilegedNil' : 'privileged'} -- legacy\n` : '';
      return podWith(privilegedContainer('app').replace('        privileged', `${comment}        privileged`)).replace(
        'name: p\n',
        `name: p${n}\n${annotation}`,
      );
    });
    const { findings, suppressed } = await lintFiles({ 'pods.yaml': documents.join('---\n') }, PRIVILEGED);
    const podsOf = (list: JsonFinding[], code: string) =>
      list.filter((finding) => finding.code === code).map((finding) => finding.resource.name);
    const unused = documents.map((_, n) => `p${n}`).filter((_, n) => n % 3 === 0);
    expect(podsOf(suppressed, 'PrivilegedTrue')).toEqual(
      documents.map((_, n) => `p${n}`).filter((_, n) => n % 3 !== 0),
    );
    expect(podsOf(findings, 'PrivilegedTrue')).toEqual(unused);
    expect(podsOf(findings, 'SuppressionUnused')).toEqual(unused);
  });

  it('the config tunes the suppressions rule like any rule', async () => {
    const text = podWith(
      `    ${DISABLE_NEXT_LINE} hostns -- unused\n    ${DISABLE_NEXT_LINE} bogus -- invalid\n${privilegedContainer('app')}`,
    );
    const tuned = await lintFiles(
      { '.kubemend.yaml': 'codes:\n  SuppressionUnused: off\n  SuppressionInvalid: warning\n', 'pod.yaml': text },
      PRIVILEGED,
    );
    expect(tuned.findings.map(({ code, severity }) => ({ code, severity }))).toEqual([
      { code: 'SuppressionInvalid', severity: 'warning' },
      { code: 'PrivilegedTrue', severity: 'error' },
    ]);
    const off = await lintFiles({ '.kubemend.yaml': 'rules:\n  suppressions: off\n', 'pod.yaml': text }, []);
    expect(off.findings.filter((finding) => finding.rule === 'suppressions')).toEqual([]);
  });
});

describe('suppressionPolicy', () => {
  const text = podWith(
    `${privilegedContainer('a', '# kubemend-disable-line privileged')}${privilegedContainer('b', '# kubemend-disable-line privileged -- legacy')}`,
  );

  it('requireReason: false lets a directive without a reason apply', async () => {
    const { findings, suppressed } = await lintFiles(
      { '.kubemend.yaml': 'suppressionPolicy:\n  requireReason: false\n', 'pod.yaml': text },
      PRIVILEGED,
    );
    expect(findings).toEqual([]);
    expect(suppressed.map((finding) => finding.suppression.reason)).toEqual([null, 'legacy']);
  });

  it('inline: false and --no-inline-config ignore every comment, and say nothing about them', async () => {
    for (const [files, args] of [
      [{ '.kubemend.yaml': 'suppressionPolicy:\n  inline: false\n' }, []],
      [{}, ['--no-inline-config']],
    ] as const) {
      const { findings, suppressed } = await lintFiles({ ...files, 'pod.yaml': text }, [...PRIVILEGED, ...args]);
      expect(suppressed).toEqual([]);
      expect(findings.map((finding) => finding.code)).toEqual(['PrivilegedTrue', 'PrivilegedTrue']);
    }
  });

  it('unsuppressible: a comment naming the code, or a rule covering it, does not apply; a config entry still does', async () => {
    const policy = 'suppressionPolicy:\n  unsuppressible: [PrivilegedTrue]\n';
    const pod = podWith(
      `    ${DISABLE_NEXT_LINE} PrivilegedTrue -- legacy\n${privilegedContainer('a')}${privilegedContainer('b', '# kubemend-disable-line privileged -- legacy')}`,
    );
    const { findings, suppressed } = await lintFiles({ '.kubemend.yaml': policy, 'pod.yaml': pod }, PRIVILEGED);
    expect(suppressed).toEqual([]);
    expect(findings.map(({ code, line, message }) => ({ code, line, message }))).toEqual([
      {
        code: 'SuppressionInvalid',
        line: 7,
        message:
          'kubemend-disable-next-line does not apply: PrivilegedTrue may not be suppressed by a ' +
          'comment or annotation (suppressionPolicy.unsuppressible); fix it, or accept it in the ' +
          'suppressions of .kubemend.yaml',
      },
      { code: 'PrivilegedTrue', line: 11, message: expect.any(String) },
      { code: 'PrivilegedTrue', line: 15, message: expect.any(String) },
      {
        code: 'SuppressionInvalid',
        line: 15,
        message:
          'kubemend-disable-line cannot suppress what "privileged" found here: the policy keeps some ' +
          'of its codes unsuppressible (suppressionPolicy.unsuppressible); fix it, or accept it in ' +
          'the suppressions of .kubemend.yaml',
      },
    ]);
    const config = `${policy}suppressions:\n  - rules: [PrivilegedTrue]\n    containers: [a]\n    reason: legacy\n`;
    const withEntry = await lintFiles({ '.kubemend.yaml': config, 'pod.yaml': pod }, PRIVILEGED);
    expect(withEntry.suppressed.map(({ container, suppression }) => ({ container, kind: suppression.kind }))).toEqual([
      { container: 'a', kind: 'config' },
    ]);
  });
});

describe('the suppressions rule', () => {
  it('is listed by kubemend rules with its three codes', async () => {
    const { stdout } = await runCli(['rules', '--format', 'json']);
    const codes = (JSON.parse(stdout) as { codes: { rule: string; code: string; severity: string }[] }).codes.filter(
      (row) => row.rule === 'suppressions',
    );
    expect(codes.map(({ code, severity }) => ({ code, severity }))).toEqual([
      { code: 'SuppressionInvalid', severity: 'error' },
      { code: 'SuppressionExpired', severity: 'warning' },
      { code: 'SuppressionUnused', severity: 'warning' },
    ]);
  });

  it('works from the library: today is an option, the suppressed findings are in the result', () => {
    const rules = ALL_RULES.filter((rule) => rule.meta.id === 'privileged' || rule.meta.id === 'suppressions');
    const text = podWith(privilegedContainer('app', '# kubemend-disable-line privileged until=2026-01-31 -- legacy'));
    const current = lintText('pod.yaml', text, { rules, suppressions: { today: '2026-01-31' } });
    expect(current.findings).toEqual([]);
    expect(current.suppressed.map((finding) => finding.suppression)).toEqual([
      { kind: 'comment', reason: 'legacy', until: '2026-01-31' },
    ]);
    const later = lintText('pod.yaml', text, { rules, suppressions: { today: '2026-02-01' } });
    expect(later.findings.map((finding) => finding.code)).toEqual(['PrivilegedTrue', 'SuppressionExpired']);
  });

  it('KUBEMEND_TODAY must be a date', async () => {
    const run = await lintStylish({ 'pod.yaml': podWith(privilegedContainer('app')) }, PRIVILEGED, {
      KUBEMEND_TODAY: 'tomorrow',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('kubemend: KUBEMEND_TODAY must be a date written YYYY-MM-DD, not "tomorrow"\n');
  });
});
