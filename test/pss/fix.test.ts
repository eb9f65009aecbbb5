import { describe, expect, it } from 'vitest';
import { ALL_RULES, NEWEST_MINOR, fixTexts, lintText, selectProfile } from '../../src/index.js';
import { TABLES } from './tables.js';
import { LEVELS, SHAPES, expectedRule, yamlOf } from './support.js';

/*
 * Every failing case of the tables, fixed where it fails (at the first and the last version that rejects it): the
 * findings of fixable controls are gone after `--fix`; those that cannot be fixed without changing what the workload
 * needs (restricted volume types, host ports, unsafe sysctls, added capabilities, probe hosts) stay, untouched.
 */

const UNFIXABLE = new Set([
  'PssHostProcess',
  'PssHostPathVolume',
  'PssRestrictedVolume',
  'PssHostPort',
  'PssSysctl',
  'PssCapabilityAdded',
  'PssProbeOrLifecycleHost',
]);

/**
 * Before v1.25 restricted asks Windows pods too for fields that the API server rejects in a Windows pod
 * (pkg/apis/core/validation/validation.go, validateWindows): such a finding cannot be fixed, and says why.
 */
const LINUX_ONLY_FIX = new Set(['PssAllowPrivilegeEscalation', 'PssCapabilitiesNotDropped', 'PssSeccompProfile']);
const isWindowsPod = (text: string) => /\n *os:\n *name: windows\n/.test(text);

describe('--fix, case by case', () => {
  for (const table of TABLES) {
    describe(table.rule, () => {
      for (const c of table.cases) {
        for (const level of LEVELS) {
          const fails = c[level];
          if (!fails) continue;
          const minors = [...new Set([fails.from, fails.to ?? NEWEST_MINOR])];
          it(`${c.name}, ${level} at ${minors.map((minor) => `v1.${minor}`).join(' and ')}`, () => {
            for (const shape of SHAPES) {
              const text = yamlOf([shape.build(c.apply)]);
              const windowsBlocked = (code: string) => isWindowsPod(text) && LINUX_ONLY_FIX.has(code);
              for (const minor of minors) {
                const where = `${shape.name}, v1.${minor}`;
                const options = selectProfile(ALL_RULES, { profile: `pss-${level}`, pssVersion: `v1.${minor}` });
                const before = lintText('pod.yaml', text, options).findings;
                expect(before.length, where).toBeGreaterThan(0);
                for (const finding of before) {
                  expect(finding.rule, where).toBe(expectedRule(table, c, level, minor));
                  expect(finding.fixable, `${where}: ${finding.code}`).toBe(
                    !UNFIXABLE.has(finding.code) && !windowsBlocked(finding.code),
                  );
                  if (windowsBlocked(finding.code))
                    expect(finding.details, where).toMatch(/Not fixable automatically: the pod is a Windows pod/);
                }
                const { files, results } = fixTexts([{ file: 'pod.yaml', text }], [], options);
                expect(files[0]!.problems, where).toEqual([]);
                const unfixable = before.filter((finding) => !finding.fixable);
                expect(
                  results[0]!.findings.map((finding) => finding.details),
                  where,
                ).toEqual(unfixable.map((finding) => finding.details));
                if (unfixable.length === before.length) expect(files[0]!.after, where).toBe(text);
              }
            }
          });
        }
      }
    });
  }
});
