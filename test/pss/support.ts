import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  ALL_RULES,
  NEWEST_MINOR,
  lintText,
  selectProfile,
  type FileResult,
  type ProfileChoice,
} from '../../src/index.js';

export type Obj = Record<string, any>;
export type Level = 'baseline' | 'restricted';

export const LEVELS: readonly Level[] = ['baseline', 'restricted'];
/** Every minor from v1.0 to the newest kubemend knows. */
export const MINORS: readonly number[] = Array.from({ length: NEWEST_MINOR + 1 }, (_, minor) => minor);

/** The parts of a manifest a case changes: the pod spec, the container under test and the pod's metadata. */
export interface PodParts {
  spec: Obj;
  container: Obj;
  metadata: Obj;
}

/** The minors (inclusive; `to` absent means up to the newest) at which a case fails, and the rule that reports it. */
export interface Fails {
  from: number;
  to?: number;
  /** When another control than the table's reports it at this level (hostPath volumes at restricted). */
  rule?: string;
}

export interface Case {
  name: string;
  apply(parts: PodParts): void;
  baseline?: Fails;
  restricted?: Fails;
}

/** One table per control: cases that break only that control, each with the levels and versions it fails at. */
export interface ControlTable {
  rule: string;
  cases: Case[];
}

/** The rule a case is expected to fail with at a level and version, if any. */
export function expectedRule(table: ControlTable, c: Case, level: Level, minor: number): string | undefined {
  const fails = c[level];
  if (!fails || minor < fails.from || (fails.to !== undefined && minor > fails.to)) return undefined;
  return fails.rule ?? table.rule;
}

/** The container's securityContext, created when missing. */
export function sc(container: Obj): Obj {
  container.securityContext ??= {};
  return container.securityContext;
}

export function compliantContainer(name: string): Obj {
  return {
    name,
    image: 'registry.example/app:1.0',
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  };
}

/** Passes restricted at every version: runAsNonRoot and seccomp on the pod, the rest on each container. */
function compliantSpec(): Obj {
  return { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [] };
}

export interface Shape {
  name: string;
  /** The manifest with the container under test in its place, after `apply` changed it. */
  build(apply: (parts: PodParts) => void): Obj;
}

function finish(apply: (parts: PodParts) => void, parts: PodParts, manifest: Obj): Obj {
  apply(parts);
  return manifest;
}

export const SHAPES: readonly Shape[] = [
  {
    name: 'Pod',
    build(apply) {
      const container = compliantContainer('test');
      const spec = { ...compliantSpec(), containers: [container] };
      const metadata = { name: 'p' };
      return finish(apply, { spec, container, metadata }, { apiVersion: 'v1', kind: 'Pod', metadata, spec });
    },
  },
  {
    name: 'Deployment',
    build(apply) {
      const container = compliantContainer('test');
      const spec = { ...compliantSpec(), containers: [container] };
      const metadata = { labels: { app: 'd' } };
      const manifest = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata, spec } },
      };
      return finish(apply, { spec, container, metadata }, manifest);
    },
  },
  {
    name: 'CronJob (the container under test is an init container)',
    build(apply) {
      const container = compliantContainer('test');
      const spec = {
        ...compliantSpec(),
        initContainers: [container],
        containers: [compliantContainer('main')],
        restartPolicy: 'OnFailure',
      };
      const metadata = {};
      const manifest = {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'c' },
        spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { metadata, spec } } } },
      };
      return finish(apply, { spec, container, metadata }, manifest);
    },
  },
  {
    name: 'Pod with an ephemeral container (the container under test)',
    build(apply) {
      const container = compliantContainer('test');
      const spec = { ...compliantSpec(), containers: [compliantContainer('main')], ephemeralContainers: [container] };
      const metadata = { name: 'e' };
      return finish(apply, { spec, container, metadata }, { apiVersion: 'v1', kind: 'Pod', metadata, spec });
    },
  },
];

/** A string value ending in this marker is written as a plain scalar without it: YAML 1.1 forms such as `yes` or `00`. */
const PLAIN = '!!plain';

export function yamlOf(manifests: readonly Obj[]): string {
  return manifests
    .map((manifest) => stringify(manifest))
    .join('---\n')
    .replaceAll(PLAIN, '');
}

/** Lints in-process with a profile, as `kubemend --profile … --pss-version …` would. */
export function lintProfile(text: string, choice: ProfileChoice, file = 'pss.yaml'): FileResult {
  return lintText(file, text, selectProfile(ALL_RULES, choice));
}

/**
 * Acceptance 1, generated for one level (one test file per level, so they run in parallel): at every version from
 * v1.0 to the newest, a compliant pod passes, and a pod that breaks one control fails with that control's finding
 * exactly where Pod Security Admission rejects it — for a Pod, a Deployment, a CronJob (container under test in
 * initContainers) and a pod with an ephemeral container.
 */
export function describeControls(level: Level, tables: readonly ControlTable[]): void {
  const lint = (text: string, minor: number) => {
    const result = lintProfile(text, { profile: `pss-${level}`, pssVersion: `v1.${minor}` });
    expect(result.errors).toEqual([]);
    for (const finding of result.findings) {
      expect(finding.severity).toBe('error');
      expect(finding.details).toContain(`Pod Security Standards ${level}:v1.${minor}`);
    }
    return result.findings;
  };

  describe(`${level}: a compliant pod passes at every version`, () => {
    for (const shape of SHAPES) {
      it(shape.name, () => {
        const text = yamlOf([shape.build(() => undefined)]);
        for (const minor of MINORS) expect(lint(text, minor), `v1.${minor}`).toEqual([]);
      });
    }
  });

  for (const table of tables) {
    describe(`${level}: ${table.rule}`, () => {
      for (const shape of SHAPES) {
        it(`${shape.name}, v1.0 to v1.${NEWEST_MINOR}`, () => {
          const text = yamlOf(table.cases.map((c) => shape.build(c.apply)));
          for (const minor of MINORS) {
            const findings = lint(text, minor);
            table.cases.forEach((c, index) => {
              const rules = [
                ...new Set(
                  findings.filter((finding) => finding.documentIndex === index).map((finding) => finding.rule),
                ),
              ];
              const expected = expectedRule(table, c, level, minor);
              expect(rules, `${level}:v1.${minor}, ${c.name}`).toEqual(expected ? [expected] : []);
            });
          }
        });
      }
    });
  }
}
