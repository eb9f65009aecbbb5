import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RULES, fixTexts, lintText, type LintOptions } from '../../src/index.js';
import { BIN, fixtureDir } from '../support/cli.js';
import { CONFORMANCE_DIR } from '../support/conformance.js';
import { failedAssertions, type Assertion, type AutofixCase } from './kubeaudit-asserts.js';

const data = JSON.parse(readFileSync(path.join(CONFORMANCE_DIR, 'expected.json'), 'utf8')) as { autofix: AutofixCase[]; inlineAutofix: AutofixCase[] };

/**
 * Autofix cases where kubemend deliberately does better than kubeaudit: the reason, and the assertions kubemend's
 * result satisfies instead (they replace the case's own).
 */
const AUTOFIX_DIVERGENCES: Record<string, { reason: string; assert: Assertion[] }> = Object.fromEntries(
  ['asat/service-account-token-nil-and-no-name-and-default-sa', 'asat/service-account-token-true-and-default-sa'].map((id) => [
    id,
    {
      reason:
        'kubeaudit takes a ServiceAccount named default from anywhere in the file; kubemend only one of the pod\'s namespace (see rules/asat/README.md). ' +
        'This ServiceAccount has no namespace while the pod has one, so it does not cover the pod: the pod spec gets automountServiceAccountToken: false itself.',
      assert: [
        { type: 'field', scope: 'eachResourceOfKind', kind: 'ServiceAccount', path: 'automountServiceAccountToken', equals: false },
        { type: 'field', scope: 'eachPodSpec', path: 'serviceAccount', equals: '', absentEquals: '' },
        { type: 'field', scope: 'eachPodSpec', path: 'serviceAccountName', equals: '', absentEquals: '' },
        { type: 'field', scope: 'eachPodSpec', path: 'automountServiceAccountToken', equals: false },
      ],
    },
  ]),
);

function lintOptionsFor(c: AutofixCase): LintOptions {
  return { rules: RULES.filter((rule) => c.auditors.includes(rule.meta.id)), ruleOptions: c.config ?? undefined };
}

function inputOf(c: AutofixCase): string {
  return c.manifest ?? readFileSync(path.join(CONFORMANCE_DIR, c.fixture!), 'utf8');
}

/** kubeaudit's own command line with a kubeaudit config naming the case's auditors and options: `autofix -f IN -o OUT -k CONFIG`. */
function fixWithCli(c: AutofixCase): Promise<{ text: string; status: number | null; stderr: string }> {
  const enabledAuditors = Object.fromEntries(RULES.map((rule) => [rule.meta.id, c.auditors.includes(rule.meta.id)]));
  const dir = fixtureDir({ 'in.yaml': inputOf(c), 'kubeaudit.yaml': stringify({ enabledAuditors, auditors: c.config ?? {} }) });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'autofix', '-f', 'in.yaml', '-o', 'out.yaml', '-k', 'kubeaudit.yaml'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      try {
        resolve({ text: readFileSync(path.join(dir, 'out.yaml'), 'utf8'), status, stderr });
      } catch (error) {
        reject(new Error(`no out.yaml (exit ${status}): ${stderr}`, { cause: error }));
      }
    });
  });
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
    const queue = cases.filter(viaCli);
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) cliResults.set(c.id, await fixWithCli(c));
    };
    await Promise.all([worker(), worker(), worker()]);
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
