import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RULES, fixTexts, lintText, type LintOptions } from '../../src/index.js';
import { fixtureDir, runCli } from '../support/cli.js';
import { CONFORMANCE_DIR } from '../support/conformance.js';
import { failedAssertions, type Assertion, type AutofixCase } from './kubeaudit-asserts.js';

const data = JSON.parse(readFileSync(path.join(CONFORMANCE_DIR, 'expected.json'), 'utf8')) as {
  autofix: AutofixCase[];
  inlineAutofix: AutofixCase[];
};

/**
 * Autofix cases where kubemend deliberately does better than kubeaudit: the reason, and the assertions kubemend's
 * result satisfies instead (they replace the case's own).
 */
const AUTOFIX_DIVERGENCES: Record<string, { reason: string; assert: Assertion[] }> = Object.fromEntries(
  ['asat/service-account-token-nil-and-no-name-and-default-sa', 'asat/service-account-token-true-and-default-sa'].map(
    (id) => [
      id,
      {
        reason:
          "kubeaudit takes a ServiceAccount named default from anywhere in the file; kubemend only one of the pod's namespace (see rules/asat/README.md). " +
          'This ServiceAccount has no namespace while the pod has one, so it does not cover the pod: ' +
          'the pod spec gets automountServiceAccountToken: false itself.',
        assert: [
          {
            type: 'field',
            scope: 'eachResourceOfKind',
            kind: 'ServiceAccount',
            path: 'automountServiceAccountToken',
            equals: false,
          },
          { type: 'field', scope: 'eachPodSpec', path: 'serviceAccount', equals: '', absentEquals: '' },
          { type: 'field', scope: 'eachPodSpec', path: 'serviceAccountName', equals: '', absentEquals: '' },
          { type: 'field', scope: 'eachPodSpec', path: 'automountServiceAccountToken', equals: false },
        ],
      },
    ],
  ),
);

function lintOptionsFor(c: AutofixCase): LintOptions {
  return { rules: RULES.filter((rule) => c.auditors.includes(rule.meta.id)), ruleOptions: c.config ?? undefined };
}

function inputOf(c: AutofixCase): string {
  return c.manifest ?? readFileSync(path.join(CONFORMANCE_DIR, c.fixture!), 'utf8');
}

/** kubeaudit's own command line with a kubeaudit config naming the case's auditors and options: `autofix -f IN -o OUT -k CONFIG`. */
async function fixWithCli(c: AutofixCase): Promise<{ text: string; status: number | null; stderr: string }> {
  const enabledAuditors = Object.fromEntries(RULES.map((rule) => [rule.meta.id, c.auditors.includes(rule.meta.id)]));
  const dir = fixtureDir({
    'in.yaml': inputOf(c),
    'kubeaudit.yaml': stringify({ enabledAuditors, auditors: c.config ?? {} }),
  });
  const run = await runCli(['autofix', '-f', 'in.yaml', '-o', 'out.yaml', '-k', 'kubeaudit.yaml'], {
    cwd: dir,
    env: { NO_COLOR: '1' },
  });
  try {
    return { text: readFileSync(path.join(dir, 'out.yaml'), 'utf8'), status: run.status, stderr: run.stderr };
  } catch (error) {
    throw new Error(`no out.yaml (exit ${run.status}): ${run.stderr}`, { cause: error });
  }
}

function fixWithLibrary(c: AutofixCase): { text: string; problems: string[] } {
  const { files } = fixTexts([{ file: 'in.yaml', text: inputOf(c) }], [], lintOptionsFor(c));
  return { text: files[0]!.after, problems: files[0]!.problems };
}

/** The CLI runs the cases that use every auditor and the inline ones (options through a kubeaudit config); the library the rest. */
const viaCli = (c: AutofixCase) => c.id.startsWith('all/') || c.manifest !== undefined;

const cases = [...data.autofix, ...data.inlineAutofix];

describe('kubeaudit conformance: autofix', () => {
  const cliResults = new Map<string, Awaited<ReturnType<typeof fixWithCli>>>();
  beforeAll(async () => {
    // One after another: in-process runs share the process's working directory.
    for (const c of cases.filter(viaCli)) cliResults.set(c.id, await fixWithCli(c));
  }, 120_000);

  it('has every case kubeaudit has', () => {
    expect(data.autofix).toHaveLength(100);
    expect(data.inlineAutofix).toHaveLength(10);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_, c) => {
    let text: string;
    if (viaCli(c)) {
      const run = cliResults.get(c.id)!;
      expect(run.status, run.stderr).toBe(0);
      text = run.text;
    } else {
      text = fixWithLibrary(c).text;
    }
    const reaudit = (fixed: string) => lintText('fixed.yaml', fixed, lintOptionsFor(c)).findings;
    expect(failedAssertions(text, AUTOFIX_DIVERGENCES[c.id]?.assert ?? c.assert, reaudit)).toEqual([]);
    // Stricter than kubeaudit: a second autofix changes nothing.
    expect(fixTexts([{ file: 'in.yaml', text }], [], lintOptionsFor(c)).files[0]!.after).toBe(text);
  });

  it('lists only divergences that are real cases and really differ from kubeaudit', () => {
    for (const [id, divergence] of Object.entries(AUTOFIX_DIVERGENCES)) {
      const c = cases.find((entry) => entry.id === id);
      expect(c, id).toBeDefined();
      expect(divergence.assert, id).not.toEqual(c!.assert);
      const reaudit = (fixed: string) => lintText('fixed.yaml', fixed, lintOptionsFor(c!)).findings;
      expect(failedAssertions(fixWithLibrary(c!).text, c!.assert, reaudit), id).not.toEqual([]);
    }
  });
});
