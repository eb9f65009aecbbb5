import {
  asString,
  containerPath,
  describeContainer,
  readList,
  pssRule,
  type Container,
  type PodCheck,
} from '../../../src/rule-api/index.js';

const ADDED = 'PssCapabilityAdded';
const NOT_DROPPED = 'PssCapabilitiesNotDropped';

/** The capabilities baseline lets a container add: the container runtimes' defaults, which NET_RAW is not. */
const BASELINE_ALLOWED = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
const RESTRICTED_ALLOWED = ['NET_BIND_SERVICE'];
/** Pod Security Admission compares exactly: `all` is not `ALL` to it. */
const ALL = 'ALL';

function reportAdded(pod: PodCheck, container: Container, allowed: readonly string[]): void {
  const addPath = containerPath(container, 'securityContext', 'capabilities', 'add');
  for (const { value: capability, path } of readList(pod.workload, addPath, asString) ?? []) {
    if (allowed.includes(capability)) continue;
    pod.report({
      code: ADDED,
      path,
      container,
      summary: `${describeContainer(container)} adds the capability ${capability}`,
      problem: `${describeContainer(container)} adds the capability ${capability}`,
      field: 'securityContext.capabilities.add',
      allowed: `${allowed.join(', ')} or none`,
      fix:
        `remove ${capability} from securityContext.capabilities.add. If the workload cannot run ` +
        `without it, it needs a namespace that enforces a lower level`,
    });
  }
}

function checkBaseline(pod: PodCheck): void {
  for (const container of pod.workload.containers) reportAdded(pod, container, BASELINE_ALLOWED);
}

function checkRestricted(pod: PodCheck): void {
  for (const container of pod.workload.containers) {
    const dropPath = containerPath(container, 'securityContext', 'capabilities', 'drop');
    const dropped = readList(pod.workload, dropPath, asString) ?? [];
    if (!dropped.some((item) => item.value === ALL)) {
      pod.report({
        code: NOT_DROPPED,
        path: dropPath,
        container,
        summary: `${describeContainer(container)} does not drop ALL capabilities`,
        problem:
          `${describeContainer(container)} does not drop ALL capabilities, so it keeps the container ` +
          `runtime's defaults (NET_RAW, CHOWN, SETUID and more)`,
        field: 'securityContext.capabilities.drop',
        allowed: 'a list that holds ALL (in capitals)',
        fix: 'add ALL to securityContext.capabilities.drop',
        patches: [{ op: 'addToList', path: dropPath, value: ALL }],
      });
    }
    reportAdded(pod, container, RESTRICTED_ALLOWED);
  }
}

export const pssCapabilities = pssRule({
  id: 'capabilities',
  title: 'Capabilities',
  description:
    'Containers must not add capabilities beyond the allowed ones; at restricted they must drop ALL and may add back only NET_BIND_SERVICE.',
  codes: {
    [ADDED]: { description: 'A container adds a capability the level does not allow.', fixable: false },
    [NOT_DROPPED]: { description: 'A container does not drop ALL capabilities (restricted).', fixable: true },
  },
  baseline: [{ since: 0, check: checkBaseline }],
  restricted: [
    { since: 22, check: checkRestricted },
    // Pod API validation forbids capabilities in Windows pods, so Pod Security Admission does not ask for them.
    { since: 25, check: checkRestricted, exempt: 'windows' },
  ],
});
