import { describe, expect, it } from 'vitest';
import { RULES, fixTexts, type Rule } from '../../src/index.js';

/*
 * What autofix guarantees even when a rule's fix is wrong: rules written here for the test ask for fixes that
 * cannot work, and the file must come out exactly as it went in, with the reason.
 */

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: x:1\n    securityContext:\n      privileged: true\n';

type WorkloadCheck = Extract<Rule, { kind: 'workload' }>['check'];
type Patches = NonNullable<Parameters<Parameters<WorkloadCheck>[0]['report']>[0]['patches']>;

/** A workload rule that always reports `Broken`, with the given patches as its fix. */
function brokenRule(patches: Patches): Rule {
  return {
    kind: 'workload',
    meta: {
      id: 'broken',
      description: 'A rule whose fix does not work.',
      codes: { Broken: { severity: 'error', description: 'Always found.', fixable: true } },
    },
    check({ report }) {
      report({ code: 'Broken', message: 'always there', path: ['metadata'], patches });
    },
  };
}

const privileged = RULES.find((rule) => rule.meta.id === 'privileged')!;

describe('autofix guarantees', () => {
  it('leaves a file as it was when a fix does not clear its finding, and says so', () => {
    const report = fixTexts([{ file: 'pod.yaml', text: POD }], [], {
      rules: [privileged, brokenRule([{ op: 'set', path: ['metadata', 'labels', 'fixed'], value: 'yes' }])],
    });
    const [file] = report.files;
    expect(file!.after).toBe(POD);
    expect(file!.fixed).toEqual([]);
    expect(report.unfixed.map(({ finding, reason }) => [finding.code, reason])).toEqual([
      ['Broken', 'the fix for Broken (Pod/p) did not clear it, so the file is left as it was'],
      ['PrivilegedTrue', 'the fix for Broken (Pod/p) did not clear it, so the file is left as it was'],
    ]);
    expect(file!.problems).toEqual([
      'the fix for Broken (Pod/p) did not clear it, so the file is left as it was: Broken (Pod/p), PrivilegedTrue (Pod/p, container a)',
    ]);
  });

  it('leaves a file as it was when the fixed text would not read back as the fixes ask', () => {
    // NaN has no YAML spelling that reads back as the number: the text and the expected data disagree.
    const report = fixTexts([{ file: 'pod.yaml', text: POD }], [], {
      rules: [privileged, brokenRule([{ op: 'set', path: ['metadata', 'labels', 'n'], value: Number.NaN }])],
    });
    expect(report.files[0]!.after).toBe(POD);
    expect(report.unfixed.map(({ reason }) => reason)).toEqual([
      'fixing document 1 would change more than the fixes ask for',
      'fixing document 1 would change more than the fixes ask for',
    ]);
  });

  it('refuses contradicting fixes, keeps the others, and names both sides', () => {
    const rule = brokenRule([
      { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'privileged'], value: true },
    ]);
    const report = fixTexts([{ file: 'pod.yaml', text: POD.replace('privileged: true', 'privileged: yes') }], [], {
      rules: [privileged, rule, RULES.find((r) => r.meta.id === 'rootfs')!],
    });
    expect(report.files[0]!.after).toBe(
      POD.replace('privileged: true', 'privileged: yes\n      readOnlyRootFilesystem: true'),
    );
    const reasons = report.unfixed.map(({ finding, reason }) => `${finding.code}: ${reason}`);
    expect(reasons).toHaveLength(2);
    const conflict =
      /^conflicting fixes for spec\.containers\.0\.securityContext\.privileged: set (false|true) \(for (.*)\) and set (false|true) \(for (.*)\); fix it by hand$/;
    for (const reason of reasons) {
      const [, first, firstFor, second, secondFor] = conflict.exec(reason.replace(/^\w+: /, '')) ?? [];
      expect([first, second].sort(), reason).toEqual(['false', 'true']);
      expect([firstFor, secondFor].sort(), reason).toEqual(['Broken (Pod/p)', 'PrivilegedTrue (Pod/p, container a)']);
    }
  });

  it('does not half-fix a finding: when one of its patches cannot be made, none is', () => {
    const rule = brokenRule([
      { op: 'set', path: ['metadata', 'labels', 'ok'], value: 'yes' },
      { op: 'set', path: ['spec', 'containers', 0, 'image', 'tag'], value: 'v1' },
    ]);
    const report = fixTexts([{ file: 'pod.yaml', text: POD }], [], { rules: [privileged, rule] });
    expect(report.files[0]!.after).toBe(POD.replace('privileged: true', 'privileged: false'));
    expect(report.unfixed.map(({ finding, reason }) => `${finding.code}: ${reason}`)).toEqual([
      'Broken: spec.containers.0.image is a scalar, not a mapping',
    ]);
  });
});
