import type { NodePath } from '../load/nodes.js';
import type { Container, Workload } from '../load/workloads.js';
import type {
  FindingSpan,
  Located,
  Patch,
  PodSecuritySelection,
  ProfileName,
  ResourceSetRule,
} from '../engine/types.js';
import { declaredOs } from '../engine/windows.js';
import { asBoolean, asString, describeContainer, podField } from '../engine/fields.js';
import { formatVersion, NEWEST_MINOR, parseVersionLabel, type Level } from './pss-versions.js';

/*
 * The Pod Security Standards as the Pod Security Admission controller enforces them (kubernetes/kubernetes,
 * staging/src/k8s.io/pod-security-admission/policy). Each control is a rule `pss/<check id>`; its definitions carry
 * the Kubernetes minor they start at, and a definition applies to every later version until the next one, as
 * `pod-security.kubernetes.io/enforce-version` does. At restricted, a control's restricted definition (when one
 * exists for the version) replaces its baseline one, as Pod Security Admission's OverrideCheckIDs do.
 *
 * The rules are resource-set rules: which level and version apply to a workload can depend on a Namespace that
 * comes later, in this file or another. So `collect` evaluates every definition of the control (each check once)
 * while the workload's AST is alive, taking spans and patches then; `check` picks, once every Namespace is known,
 * the result of the definition that applies to the workload's level and version.
 */

// ---------------------------------------------------------------------------------------------------------------
// Controls

/** One problem a control finds in a pod. */
export interface Violation {
  code: string;
  /** From the document root: the offending node, or where the missing field belongs. */
  path: NodePath;
  container?: Container;
  /** What is wrong, in a few words for a terminal line: `container "app" runs privileged`. */
  summary: string;
  /** What is wrong and why, naming the pod or container and the field: `container "app" runs privileged (…): it gets …`. */
  problem: string;
  /** The field as the standard names it, relative to the pod spec or container: `securityContext.privileged`. */
  field: string;
  /** What the standard allows there: `false or unset`. */
  allowed: string;
  /** What to do, as an imperative: what the patches do, or the manual fix when there are none. */
  fix: string;
  /** Patches that make this violation go away without changing what the workload needs; none when no such fix exists. */
  patches?: Patch[];
}

/** What a control's check sees. */
export interface PodCheck {
  workload: Workload;
  report(violation: Violation): void;
}

/**
 * Pods a definition does not check: `windows` (`spec.os.name: windows`, exempt from the Linux-only restricted
 * controls as of v1.25) and `userNamespace` (`spec.hostUsers: false`, whose root is not the node's, as of v1.35).
 */
export type Exemption = 'windows' | 'userNamespace';

/** A control as defined from one Kubernetes minor on. */
export interface ControlVersion {
  since: number;
  check(pod: PodCheck): void;
  exempt?: Exemption;
}

export interface Control {
  /** Pod Security Admission's check id without its level suffix; the rule id is `pss/<id>`. */
  id: string;
  /** The control's name in the standard, e.g. `Privileged Containers`. */
  title: string;
  description: string;
  codes: Record<string, { description: string; fixable: boolean }>;
  /** Definitions at baseline (which restricted includes), oldest first; none for a restricted-only control. */
  baseline?: readonly ControlVersion[];
  /** Definitions at restricted, oldest first; each replaces the baseline definition from its version on. */
  restricted?: readonly ControlVersion[];
  /** As of this minor, another restricted control checks these fields instead (hostPath volumes: restrictedVolumes). */
  replacedAtRestrictedSince?: number;
}

function latestAt(versions: readonly ControlVersion[] | undefined, minor: number): ControlVersion | undefined {
  let found: ControlVersion | undefined;
  for (const version of versions ?? []) if (version.since <= minor) found = version;
  return found;
}

/** The definition that applies at a level and version, as Pod Security Admission's registry picks it. */
function definitionAt(control: Control, level: Level, minor: number): ControlVersion | undefined {
  if (level === 'restricted') {
    const restricted = latestAt(control.restricted, minor);
    if (restricted) return restricted;
    if (control.replacedAtRestrictedSince !== undefined && minor >= control.replacedAtRestrictedSince) return undefined;
  }
  return latestAt(control.baseline, minor);
}

// ---------------------------------------------------------------------------------------------------------------
// Which level and version a workload is checked at

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';

/** What a run without a Pod Security Standards selection (no pss profile chose one) checks. */
const DEFAULT_SELECTION: PodSecuritySelection = { level: 'restricted', minor: NEWEST_MINOR };

interface Target {
  level: Level;
  minor: number;
  /** Why this level and version, when a Namespace's labels chose them. */
  source?: string;
}

interface NamespaceFact {
  kind: 'namespace';
  name: string;
  enforce: string | undefined;
  enforceVersion: string | undefined;
}

/**
 * The level a Namespace's labels enforce, as Pod Security Admission reads them: no `enforce` label is the
 * cluster's default (privileged unless its admission configuration says otherwise; kubemend cannot know, so it
 * checks nothing); a label that is not a level or version is read as restricted and latest.
 */
function namespaceTarget(namespace: NamespaceFact | undefined, cluster: number): Target | undefined {
  if (!namespace || namespace.enforce === undefined) return undefined;
  const enforce = namespace.enforce;
  if (enforce === 'privileged') return undefined;
  const level: Level = enforce === 'baseline' ? 'baseline' : 'restricted';
  const label = namespace.enforceVersion !== undefined ? parseVersionLabel(namespace.enforceVersion) : 'latest';
  const minor = typeof label === 'number' ? Math.min(label, cluster) : cluster;
  const notes = [
    ...(enforce !== 'baseline' && enforce !== 'restricted'
      ? [`its ${ENFORCE_LABEL} label "${enforce}" is not a level, which Pod Security Admission reads as restricted`]
      : []),
    ...(namespace.enforceVersion === undefined ? [`it sets no ${ENFORCE_VERSION_LABEL}, so latest`] : []),
    ...(namespace.enforceVersion !== undefined && label === undefined
      ? [
          `its ${ENFORCE_VERSION_LABEL} label "${namespace.enforceVersion}" is not a version, which Pod Security Admission reads as latest`,
        ]
      : []),
    ...(typeof label === 'number' && label > cluster
      ? [
          `its ${ENFORCE_VERSION_LABEL} ${namespace.enforceVersion} is newer than ` +
            `${formatVersion(cluster)}, which Pod Security Admission reads as its latest (here ` +
            `${formatVersion(cluster)}: --pss-version)`,
        ]
      : []),
  ];
  return { level, minor, source: [`enforced by namespace "${namespace.name}"`, ...notes].join('; ') };
}

/**
 * Why `--profile auto` did not check a workload that would fail at some level, so that a run which checked nothing
 * does not pass in silence. A Namespace that enforces `privileged` asked for that: nothing to say.
 */
function whyAutoSkipped(fact: WorkloadFact, namespaces: ReadonlyMap<string, NamespaceFact>): string | undefined {
  if (![...namespaces.values()].some((namespace) => namespace.enforce !== undefined)) {
    return (
      `--profile auto checked no workload: no Namespace among the inputs sets ${ENFORCE_LABEL} ` +
      `(lint the Namespace manifests with the workloads, or choose --profile pss-baseline or pss-restricted)`
    );
  }
  if (fact.namespace === undefined)
    return '--profile auto did not check workloads without metadata.namespace: their namespace is chosen when they are applied';
  const namespace = namespaces.get(fact.namespace);
  if (!namespace)
    return `--profile auto did not check the workloads of namespace "${fact.namespace}": that Namespace is not among the inputs`;
  if (namespace.enforce === undefined)
    return `--profile auto did not check the workloads of namespace "${fact.namespace}": it sets no ${ENFORCE_LABEL} label`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The rule a control becomes

function isNamespace(apiVersion: string, kind: string): boolean {
  return apiVersion === 'v1' && kind === 'Namespace';
}

/** A violation as kept after `collect`: the span taken, the patches kept as data. */
interface Draft {
  code: string;
  summary: string;
  problem: string;
  field: string;
  allowed: string;
  fix: string;
  span: FindingSpan;
  path: NodePath;
  container: string | undefined;
  patches: Patch[];
}

interface WorkloadFact {
  kind: 'workload';
  at: Located;
  namespace: string | undefined;
  /** Violations per definition, in the order of `definitions`; undefined where there are none. */
  results: (Draft[] | undefined)[];
}

type Fact = NamespaceFact | WorkloadFact;

export interface PssRule extends ResourceSetRule<Fact> {
  control: Control;
}

/** A control of baseline is in both pss profiles; a restricted-only one in pss-restricted alone. */
function profilesOf(control: Control): ProfileName[] {
  return (control.baseline?.length ?? 0) > 0 ? ['pss-baseline', 'pss-restricted'] : ['pss-restricted'];
}

function exemptions(workload: Workload): Record<Exemption, boolean> {
  return {
    windows: declaredOs(workload) === 'windows',
    userNamespace: podField(workload, ['hostUsers'], asBoolean).value === false,
  };
}

function shortMessageOf(draft: Draft, target: Target): string {
  return `${draft.summary} (${target.level}:${formatVersion(target.minor)})`;
}

function messageOf(draft: Draft, target: Target): string {
  const where = `Pod Security Standards ${target.level}:${formatVersion(target.minor)}${target.source ? ` (${target.source})` : ''}`;
  const fix =
    draft.patches.length > 0 ? `${draft.fix[0]!.toUpperCase()}${draft.fix.slice(1)}` : `Fix by hand: ${draft.fix}`;
  return `${draft.problem}; ${where} allow ${draft.field}: ${draft.allowed}. ${fix}`;
}

/** The rule `pss/<id>` that checks a control. */
export function pssRule(control: Control): PssRule {
  const definitions = [...(control.baseline ?? []), ...(control.restricted ?? [])];
  return {
    kind: 'resource-set',
    control,
    meta: {
      id: `pss/${control.id}`,
      description: `Pod Security Standards, ${control.title}: ${control.description}`,
      codes: Object.fromEntries(
        Object.entries(control.codes).map(([code, { description, fixable }]) => [
          code,
          { severity: 'error' as const, description, fixable },
        ]),
      ),
      profiles: profilesOf(control),
    },
    readsType: isNamespace,
    // A Namespace's enforce label in another file chooses the level of this file's workloads (--profile auto).
    contextKinds: ['Namespace'],
    // Only the Namespace of a workload found to fail some level can choose whether it is reported; whether any
    // Namespace sets the enforce label changes what --profile auto says of the workloads it did not check.
    contextQueries(facts) {
      const namespaces = facts.flatMap((fact) =>
        fact.kind === 'workload' && fact.namespace !== undefined ? [{ kind: 'Namespace', name: fact.namespace }] : [],
      );
      const workloads = facts.some((fact) => fact.kind === 'workload');
      return workloads ? [{ kind: 'Namespace', label: ENFORCE_LABEL }, ...namespaces] : [];
    },
    collect(resource, at, workload) {
      if (!workload) {
        if (!isNamespace(resource.apiVersion, resource.kind) || !resource.name) return undefined;
        return {
          kind: 'namespace',
          name: resource.name,
          enforce: at.labels.get(ENFORCE_LABEL),
          enforceVersion: at.labels.get(ENFORCE_VERSION_LABEL),
        };
      }
      const exempt = exemptions(workload);
      // Definitions often share a check and differ in their exemptions: each check runs once.
      const checked = new Map<ControlVersion['check'], Draft[]>();
      const run = (check: ControlVersion['check']): Draft[] => {
        let drafts = checked.get(check);
        if (drafts) return drafts;
        const found: Draft[] = [];
        check({
          workload,
          report(violation) {
            const { code, summary, problem, field, allowed, fix, container, patches } = violation;
            const span = at.spanOf(violation.path);
            found.push({
              code,
              summary,
              problem,
              field,
              allowed,
              fix,
              span,
              path: violation.path,
              container: container?.name,
              patches: patches ?? [],
            });
          },
        });
        checked.set(check, (drafts = found));
        return drafts;
      };
      const results = definitions.map((definition) => {
        const drafts = definition.exempt && exempt[definition.exempt] ? [] : run(definition.check);
        return drafts.length > 0 ? drafts : undefined;
      });
      const found = results.some((drafts) => drafts !== undefined);
      return found ? { kind: 'workload', at, namespace: resource.namespace || undefined, results } : undefined;
    },
    check(facts, context) {
      const selection = context.podSecurity ?? DEFAULT_SELECTION;
      const namespaces = new Map<string, NamespaceFact>();
      // Two Namespaces of one name are one object applied twice: the last one applied wins.
      for (const fact of facts) if (fact.kind === 'namespace') namespaces.set(fact.name, fact);
      for (const fact of facts) {
        if (fact.kind !== 'workload') continue;
        const target =
          selection.level === 'auto'
            ? namespaceTarget(
                fact.namespace !== undefined ? namespaces.get(fact.namespace) : undefined,
                selection.minor,
              )
            : { level: selection.level, minor: selection.minor };
        if (!target) {
          const why = whyAutoSkipped(fact, namespaces);
          if (why) context.note(why);
          continue;
        }
        const definition = definitionAt(control, target.level, target.minor);
        const drafts = definition ? fact.results[definitions.indexOf(definition)] : undefined;
        const document = { file: fact.at.file, documentIndex: fact.at.documentIndex };
        for (const draft of drafts ?? []) {
          context.report({
            at: fact.at,
            code: draft.code,
            message: shortMessageOf(draft, target),
            details: messageOf(draft, target),
            span: draft.span,
            path: draft.path,
            ...(draft.container !== undefined ? { container: draft.container } : {}),
            metadata: {
              Control: control.id,
              Level: target.level,
              Version: formatVersion(target.minor),
              Field: draft.field,
              Allowed: draft.allowed,
            },
            patches: draft.patches.map((patch) => ({ target: document, patch })),
          });
        }
      }
    },
  };
}

/** `volume "data"`, or `volume #2` for one without a name. */
export function describeVolume(workload: Workload, index: number): string {
  const name = podField(workload, ['volumes', index, 'name'], asString).value;
  return name !== undefined ? `volume "${name}"` : `volume #${index + 1}`;
}

/** `container "app"` or `the pod`, for messages about a field that both may set. */
export function describeSetter(container: Container | undefined): string {
  return container ? describeContainer(container) : 'the pod';
}
