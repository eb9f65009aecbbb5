import {
  asString,
  countEntries,
  readList,
  findOverride,
  type ContextQuery,
  type Located,
  type ResourceSetRule,
  type SetContext,
  type TargetedPatch,
  type FindingSpan,
  type Resource,
  type NodePath,
} from '../../src/rule-api/index.js';

type PolicyType = 'Ingress' | 'Egress';

interface Direction {
  type: PolicyType;
  /** The rules' key in a NetworkPolicy spec, and the peers' key in a rule. */
  rules: 'ingress' | 'egress';
  peers: 'from' | 'to';
  missingCode: string;
  allowAllCode: string;
  override: string;
  /** For messages: what a rule without peers allows. */
  openRule: string;
  /** For messages: what an unprotected pod is open to. */
  exposure: string;
}

const INGRESS: Direction = {
  type: 'Ingress',
  rules: 'ingress',
  peers: 'from',
  missingCode: 'MissingDefaultDenyIngressNetworkPolicy',
  allowAllCode: 'AllowAllIngressNetworkPolicyExists',
  override: 'allow-non-default-deny-ingress-network-policy',
  openRule: 'it lets every source reach the pods the policy selects',
  exposure: 'accepts traffic from every source',
};

const EGRESS: Direction = {
  type: 'Egress',
  rules: 'egress',
  peers: 'to',
  missingCode: 'MissingDefaultDenyEgressNetworkPolicy',
  allowAllCode: 'AllowAllEgressNetworkPolicyExists',
  override: 'allow-non-default-deny-egress-network-policy',
  openRule: 'it lets the pods the policy selects reach every destination',
  exposure: 'can send traffic to every destination',
};

const DIRECTIONS = [INGRESS, EGRESS] as const;
const DEFAULT_DENY_NAME = 'default-deny';

interface NamespaceFact {
  kind: 'namespace';
  at: Located;
  name: string;
  span: FindingSpan;
}

interface RulesFact {
  count: number;
  /** Spans of the rules without peers, which admit all traffic of their direction. */
  open: FindingSpan[];
}

interface PolicyFact {
  kind: 'policy';
  at: Located;
  name: string | undefined;
  namespace: string | undefined;
  /** An empty podSelector selects every pod of the namespace. */
  catchAll: boolean;
  /** `spec.policyTypes` as written; undefined when absent or empty. */
  listedTypes: PolicyType[] | undefined;
  typesPath: NodePath;
  ingress: RulesFact;
  egress: RulesFact;
}

type Fact = NamespaceFact | PolicyFact;

function isNamespace(apiVersion: string, kind: string): boolean {
  return apiVersion === 'v1' && kind === 'Namespace';
}

function isNetworkPolicy(apiVersion: string, kind: string): boolean {
  return kind === 'NetworkPolicy' && apiVersion.startsWith('networking.k8s.io/');
}

/** The API server fills an empty policyTypes with Ingress, plus Egress when the policy has egress rules. */
function effectiveTypes(policy: PolicyFact): PolicyType[] {
  if (policy.listedTypes) return policy.listedTypes;
  return policy.egress.count > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function deniesAll(policy: PolicyFact, direction: Direction): boolean {
  return policy.catchAll && effectiveTypes(policy).includes(direction.type) && policy[direction.rules].count === 0;
}

function targetOf(at: Located): TargetedPatch['target'] {
  return { file: at.file, documentIndex: at.documentIndex };
}

function collectPolicy(resource: Resource, at: Located): PolicyFact {
  const spec = [...resource.path, 'spec'];
  const rulesOf = (direction: Direction): RulesFact => {
    const count = countEntries(resource, [...spec, direction.rules]);
    const open: FindingSpan[] = [];
    for (let index = 0; index < count; index++) {
      const rule = [...spec, direction.rules, index];
      if (countEntries(resource, [...rule, direction.peers]) === 0) open.push(at.spanOf(rule));
    }
    return { count, open };
  };
  const typesPath = [...spec, 'policyTypes'];
  const listed = (readList(resource, typesPath, asString) ?? [])
    .map((item) => item.value)
    .filter((type): type is PolicyType => type === 'Ingress' || type === 'Egress');
  return {
    kind: 'policy',
    at,
    name: resource.name,
    namespace: resource.namespace || undefined,
    catchAll:
      countEntries(resource, [...spec, 'podSelector', 'matchLabels']) === 0 &&
      countEntries(resource, [...spec, 'podSelector', 'matchExpressions']) === 0,
    listedTypes: listed.length > 0 ? listed : undefined,
    typesPath,
    ingress: rulesOf(INGRESS),
    egress: rulesOf(EGRESS),
  };
}

/**
 * Names for created NetworkPolicies that never replace an existing one on apply. A name depends on the namespace
 * and the policy types only, not on how often the run created one: a namespace declared in several files (one per
 * install variant, or one file reached twice) gets the same policy under the same name in each.
 */
class PolicyNames {
  private readonly taken = new Map<string, Set<string>>();
  private readonly created = new Map<string, string>();

  constructor(policies: readonly PolicyFact[]) {
    for (const policy of policies) if (policy.namespace && policy.name) this.namesOf(policy.namespace).add(policy.name);
  }

  claim(namespace: string, types: readonly PolicyType[]): string {
    const key = JSON.stringify([namespace, [...types].sort()]);
    const known = this.created.get(key);
    if (known !== undefined) return known;
    const names = this.namesOf(namespace);
    const base = types.length === 1 ? `${DEFAULT_DENY_NAME}-${types[0]!.toLowerCase()}` : DEFAULT_DENY_NAME;
    const candidates = [DEFAULT_DENY_NAME, base];
    let name = candidates.find((candidate) => !names.has(candidate));
    for (let suffix = 2; name === undefined; suffix++) if (!names.has(`${base}-${suffix}`)) name = `${base}-${suffix}`;
    names.add(name);
    this.created.set(key, name);
    return name;
  }

  private namesOf(namespace: string): Set<string> {
    let names = this.taken.get(namespace);
    if (!names) this.taken.set(namespace, (names = new Set()));
    return names;
  }
}

function newDefaultDeny(namespace: NamespaceFact, types: PolicyType[], names: PolicyNames): TargetedPatch {
  return {
    target: targetOf(namespace.at),
    patch: {
      op: 'appendDocument',
      value: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: names.claim(namespace.name, types), namespace: namespace.name },
        spec: { podSelector: {}, policyTypes: types },
      },
    },
  };
}

/**
 * A catch-all policy without rules for the direction denies all of it once the type is listed; one with rules would
 * only allow those (kubeaudit added the type to the first catch-all policy regardless), so then a new policy is made.
 */
function fixDirection(
  namespace: NamespaceFact,
  catchAll: readonly PolicyFact[],
  direction: Direction,
  names: PolicyNames,
): TargetedPatch {
  // A policy read as project context may not be changed: a new policy does the job then.
  const policy = catchAll.find((candidate) => candidate[direction.rules].count === 0 && !candidate.at.context);
  if (!policy) return newDefaultDeny(namespace, [direction.type], names);
  const patch = policy.listedTypes
    ? { op: 'addToList' as const, path: policy.typesPath, value: direction.type }
    : // Listing one type replaces the implied ones, so they are written out too.
      { op: 'set' as const, path: policy.typesPath, value: [...effectiveTypes(policy), direction.type] };
  return { target: targetOf(policy.at), patch };
}

function isAllowed(namespace: NamespaceFact, direction: Direction): boolean {
  return findOverride(namespace.at.labels, direction.override, {}) !== undefined;
}

function reportAllowAll(policy: PolicyFact, { report }: SetContext): void {
  for (const direction of DIRECTIONS) {
    if (!effectiveTypes(policy).includes(direction.type)) continue;
    for (const span of policy[direction.rules].open) {
      report({
        at: policy.at,
        code: direction.allowAllCode,
        message: `NetworkPolicy "${policy.name ?? ''}" has an ${direction.rules} rule without "${direction.peers}"`,
        details:
          `NetworkPolicy "${policy.name ?? ''}" has an ${direction.rules} rule without ` +
          `"${direction.peers}": ${direction.openRule} (on the rule's ports, if it lists any). List ` +
          `the allowed peers in "${direction.peers}"`,
        span,
        metadata: { Namespace: policy.namespace ?? '', PolicyName: policy.name ?? '' },
      });
    }
  }
}

function checkNamespace(
  namespace: NamespaceFact,
  policies: readonly PolicyFact[],
  names: PolicyNames,
  { report }: SetContext,
): void {
  const metadata = { Namespace: namespace.name };
  const catchAll = policies.filter((policy) => policy.catchAll);
  if (catchAll.length > 0) {
    for (const direction of DIRECTIONS) {
      if (catchAll.some((policy) => deniesAll(policy, direction))) continue;
      report({
        at: namespace.at,
        code: direction.missingCode,
        message: `no NetworkPolicy of the namespace denies all ${direction.rules}`,
        details:
          `namespace "${namespace.name}" has no NetworkPolicy that denies all ${direction.rules} ` +
          `traffic by default, so every pod without a policy of its own ${direction.exposure}. Add a ` +
          `NetworkPolicy with podSelector: {}, policyTypes: [${direction.type}] and no ` +
          `${direction.rules} rules`,
        span: namespace.span,
        override: direction.override,
        metadata,
        patches: isAllowed(namespace, direction) ? [] : [fixDirection(namespace, catchAll, direction, names)],
      });
    }
    return;
  }

  const allowedIngress = isAllowed(namespace, INGRESS);
  const allowedEgress = isAllowed(namespace, EGRESS);
  if (allowedIngress === allowedEgress) {
    report({
      at: namespace.at,
      code: 'MissingDefaultDenyIngressAndEgressNetworkPolicy',
      message: 'the namespace has no default-deny NetworkPolicy',
      details:
        `namespace "${namespace.name}" has no default-deny NetworkPolicy: every pod in it accepts ` +
        `traffic from, and sends traffic to, anywhere unless a policy of its own says otherwise. ` +
        `Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress, Egress]`,
      span: namespace.span,
      // Both labels allow it together; kubeaudit reports that at warning, not info.
      override: allowedIngress ? INGRESS.override : undefined,
      allowedSeverity: 'warning',
      metadata,
      patches: allowedIngress ? [] : [newDefaultDeny(namespace, ['Ingress', 'Egress'], names)],
    });
    return;
  }
  for (const direction of DIRECTIONS) {
    report({
      at: namespace.at,
      code: direction.missingCode,
      message: `the namespace has no default-deny ${direction.rules} NetworkPolicy`,
      details:
        `namespace "${namespace.name}" has no default-deny ${direction.rules} NetworkPolicy, so ` +
        `every pod without a policy of its own ${direction.exposure}. Add a NetworkPolicy with ` +
        `podSelector: {} and policyTypes: [${direction.type}]`,
      span: namespace.span,
      override: direction.override,
      metadata,
      patches: isAllowed(namespace, direction) ? [] : [newDefaultDeny(namespace, [direction.type], names)],
    });
  }
}

export const netpols: ResourceSetRule<Fact> = {
  kind: 'resource-set',
  meta: {
    id: 'netpols',
    profiles: ['kubeaudit'],
    kubeaudit: { aliases: ['np'] },
    description:
      'Every Namespace must have NetworkPolicies that deny all ingress and egress traffic by default, and no policy may allow all traffic.',
    codes: {
      MissingDefaultDenyIngressAndEgressNetworkPolicy: {
        severity: 'error',
        description: 'The Namespace has no NetworkPolicy selecting all its pods (a default-deny policy).',
        fixable: true,
      },
      MissingDefaultDenyIngressNetworkPolicy: {
        severity: 'error',
        description: 'No NetworkPolicy of the Namespace denies all ingress traffic by default.',
        fixable: true,
      },
      MissingDefaultDenyEgressNetworkPolicy: {
        severity: 'error',
        description: 'No NetworkPolicy of the Namespace denies all egress traffic by default.',
        fixable: true,
      },
      AllowAllIngressNetworkPolicyExists: {
        severity: 'warning',
        description: 'A NetworkPolicy has an ingress rule without "from", which allows traffic from everywhere.',
      },
      AllowAllEgressNetworkPolicyExists: {
        severity: 'warning',
        description: 'A NetworkPolicy has an egress rule without "to", which allows traffic to everywhere.',
      },
    },
  },
  contextKinds: ['Namespace', 'NetworkPolicy'],
  // Findings are on Namespaces, from the policies of their namespace, and on policies whose Namespace is known.
  contextQueries(facts) {
    return facts.flatMap((fact): ContextQuery[] => {
      if (fact.kind === 'namespace') return [{ kind: 'NetworkPolicy', namespace: fact.name }];
      return fact.namespace !== undefined ? [{ kind: 'Namespace', name: fact.namespace }] : [];
    });
  },
  readsType: (apiVersion, kind) => isNamespace(apiVersion, kind) || isNetworkPolicy(apiVersion, kind),
  collect(resource, at) {
    if (isNamespace(resource.apiVersion, resource.kind)) {
      // Without a name the API server rejects the Namespace: there is nothing to protect.
      if (!resource.name) return undefined;
      return { kind: 'namespace', at, name: resource.name, span: at.spanOf([...resource.path, 'metadata', 'name']) };
    }
    if (isNetworkPolicy(resource.apiVersion, resource.kind)) return collectPolicy(resource, at);
    return undefined;
  },
  check(facts, context) {
    const policies = facts.filter((fact): fact is PolicyFact => fact.kind === 'policy');
    const names = new PolicyNames(policies);
    const reported = new Set<PolicyFact>();
    for (const fact of facts) {
      if (fact.kind !== 'namespace') continue;
      const inNamespace = policies.filter((policy) => policy.namespace === fact.name);
      for (const policy of inNamespace) {
        if (reported.has(policy)) continue;
        reported.add(policy);
        reportAllowAll(policy, context);
      }
      checkNamespace(fact, inNamespace, names, context);
    }
  },
};
