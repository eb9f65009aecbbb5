import {
  asBoolean,
  asString,
  podField,
  readField,
  type FieldValue,
  type Located,
  type ResourceSetRule,
  type SetContext,
  type SetReport,
  type TargetedPatch,
} from '../../src/rule-api/index.js';

const OVERRIDE = 'allow-automount-service-account-token';
const DEFAULT_ACCOUNT = 'default';

type Span = SetReport['span'];

/** A field read while its document was in memory, with the span a finding about it shows. */
interface SpannedField<T> extends FieldValue<T> {
  span: Span;
}

interface PodFact {
  kind: 'pod';
  at: Located;
  namespace: string | undefined;
  serviceAccount: SpannedField<string>;
  serviceAccountName: SpannedField<string>;
  automount: SpannedField<boolean>;
}

/** A ServiceAccount named `default`: the one pods without a serviceAccountName run as, in its namespace. */
interface AccountFact {
  kind: 'account';
  at: Located;
  namespace: string | undefined;
  automount: SpannedField<boolean>;
}

type Fact = PodFact | AccountFact;

function spanned<T>(at: Located, field: FieldValue<T>): SpannedField<T> {
  return { ...field, span: at.spanOf(field.path) };
}

function isServiceAccount(apiVersion: string, kind: string): boolean {
  return apiVersion === 'v1' && kind === 'ServiceAccount';
}

/** `namespace: ""` is no namespace, as for the API server. */
function namespaceKey(namespace: string | undefined): string {
  return namespace ?? '';
}

function describeNamespace(namespace: string | undefined): string {
  return namespace ? `namespace "${namespace}"` : 'the namespace it is applied to';
}

function targetOf(at: Located): TargetedPatch['target'] {
  return { file: at.file, documentIndex: at.documentIndex };
}

/** Whether the pod runs as its namespace's default ServiceAccount. */
function runsAsDefault(pod: PodFact): boolean {
  // Kubernetes reads serviceAccount as serviceAccountName when the latter is empty, so `serviceAccount: default`
  // runs as default too.
  const accountName = (pod.serviceAccountName.value || undefined) ?? (pod.serviceAccount.value || undefined);
  return accountName === undefined || accountName === DEFAULT_ACCOUNT;
}

function checkPod(
  pod: PodFact,
  account: AccountFact | undefined,
  { report, reportRedundantOverride }: SetContext,
): void {
  const ownName = pod.serviceAccountName.value || undefined;
  const alias = pod.serviceAccount.value || undefined;
  const podTarget = targetOf(pod.at);
  let reported = false;

  if (alias !== undefined && ownName === undefined) {
    reported = true;
    report({
      at: pod.at,
      code: 'AutomountServiceAccountTokenDeprecated',
      message: `the pod uses the deprecated field serviceAccount ("${alias}")`,
      details:
        `the pod names its ServiceAccount with the deprecated field serviceAccount ("${alias}"). ` +
        `Set serviceAccountName: ${alias} and remove serviceAccount`,
      span: pod.serviceAccount.span,
      override: OVERRIDE,
      metadata: { DeprecatedServiceAccount: alias },
      patches: [
        { target: podTarget, patch: { op: 'set', path: pod.serviceAccountName.path, value: alias } },
        { target: podTarget, patch: { op: 'delete', path: pod.serviceAccount.path } },
      ],
    });
  }

  if (!runsAsDefault(pod)) {
    if (!reported) reportRedundantOverride(OVERRIDE, pod.at);
    return;
  }

  const podSetting = pod.automount.value;
  const mounted = podSetting !== undefined ? podSetting : account?.automount.value !== false;
  if (!mounted) {
    if (!reported) reportRedundantOverride(OVERRIDE, pod.at);
    return;
  }

  const inNamespace = describeNamespace(pod.namespace);
  const why =
    podSetting === true
      ? 'the pod sets automountServiceAccountToken: true'
      : account
        ? `the default ServiceAccount of ${inNamespace} (${account.at.file}:${account.automount.span.line}) does not set automountServiceAccountToken: false`
        : `the pod does not set automountServiceAccountToken and no default ServiceAccount of ${inNamespace} in the linted files turns it off`;
  const patches: TargetedPatch[] = [];
  // A ServiceAccount read as project context may not be changed: the pod then turns its own token off.
  if (account && !account.at.context) {
    // kubeaudit's fix: turn the token off on the ServiceAccount, and drop the pod's explicit true that would win over it.
    if (account.automount.value !== false)
      patches.push({ target: targetOf(account.at), patch: { op: 'set', path: account.automount.path, value: false } });
    if (podSetting === true) patches.push({ target: podTarget, patch: { op: 'delete', path: pod.automount.path } });
  } else {
    patches.push({ target: podTarget, patch: { op: 'set', path: pod.automount.path, value: false } });
  }
  const span = pod.automount.present
    ? pod.automount.span
    : pod.serviceAccountName.present
      ? pod.serviceAccountName.span
      : pod.automount.span;
  report({
    at: pod.at,
    code: 'AutomountServiceAccountTokenTrueAndDefaultSA',
    message: "the pod mounts the default ServiceAccount's API token",
    details:
      `the pod runs as the default ServiceAccount of ${inNamespace} with its API token mounted ` +
      `(${why}): anything running in the pod can call the Kubernetes API as that account. Set ` +
      `automountServiceAccountToken: false, or run the pod as a dedicated ServiceAccount`,
    span,
    override: OVERRIDE,
    patches,
  });
}

export const asat: ResourceSetRule<Fact> = {
  kind: 'resource-set',
  meta: {
    id: 'asat',
    profiles: ['kubeaudit'],
    kubeaudit: { aliases: ['sat'] },
    description:
      "Pods must not get the API token of their namespace's default ServiceAccount, nor name their ServiceAccount with the deprecated serviceAccount field.",
    codes: {
      AutomountServiceAccountTokenDeprecated: {
        severity: 'warning',
        description: 'The pod names its ServiceAccount with the deprecated serviceAccount field.',
        fixable: true,
      },
      AutomountServiceAccountTokenTrueAndDefaultSA: {
        severity: 'error',
        description: 'The pod runs as the default ServiceAccount and its API token is mounted.',
        fixable: true,
      },
    },
  },
  contextKinds: ['ServiceAccount'],
  // Findings are on pods; the default ServiceAccount of their namespace decides those that run as it and do not
  // set automountServiceAccountToken themselves.
  contextQueries(facts) {
    return facts.flatMap((fact) =>
      fact.kind === 'pod' && runsAsDefault(fact) && fact.automount.value === undefined
        ? [{ kind: 'ServiceAccount', name: DEFAULT_ACCOUNT, namespace: namespaceKey(fact.namespace) }]
        : [],
    );
  },
  readsType: isServiceAccount,
  collect(resource, at, workload) {
    if (workload) {
      return {
        kind: 'pod',
        at,
        namespace: resource.namespace || undefined,
        serviceAccount: spanned(at, podField(workload, ['serviceAccount'], asString)),
        serviceAccountName: spanned(at, podField(workload, ['serviceAccountName'], asString)),
        automount: spanned(at, podField(workload, ['automountServiceAccountToken'], asBoolean)),
      };
    }
    if (isServiceAccount(resource.apiVersion, resource.kind) && resource.name === DEFAULT_ACCOUNT) {
      return {
        kind: 'account',
        at,
        namespace: resource.namespace || undefined,
        automount: spanned(at, readField(resource, [...resource.path, 'automountServiceAccountToken'], asBoolean)),
      };
    }
    return undefined;
  },
  check(facts, context) {
    // Two default ServiceAccounts of one namespace are one object applied twice: the last one applied wins.
    const accounts = new Map<string, AccountFact>();
    for (const fact of facts) if (fact.kind === 'account') accounts.set(namespaceKey(fact.namespace), fact);
    for (const fact of facts)
      if (fact.kind === 'pod') checkPod(fact, accounts.get(namespaceKey(fact.namespace)), context);
  },
};
