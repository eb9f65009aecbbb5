import {
  asBoolean,
  asString,
  containerField,
  containerPath,
  describeContainer,
  readList,
  type Patch,
  type WorkloadRule,
  type Workload,
  type Container,
} from '../../src/rule-api/index.js';

const OVERRIDE = 'allow-privilege-escalation';

/**
 * The API server rejects `allowPrivilegeEscalation: false` next to `privileged: true` or an added `CAP_SYS_ADMIN`
 * (such a container can always escalate), so the fix would turn a finding into a pod that cannot be created.
 */
function escalationIsForced(workload: Workload, container: Container): boolean {
  if (containerField(workload, container, ['securityContext', 'privileged'], asBoolean).value === true) return true;
  const added = readList(workload, containerPath(container, 'securityContext', 'capabilities', 'add'), asString) ?? [];
  return added.some((item) => item.value === 'CAP_SYS_ADMIN');
}

export const privesc: WorkloadRule = {
  kind: 'workload',
  meta: {
    id: 'privesc',
    profiles: ['kubeaudit'],
    kubeaudit: { aliases: ['allowpe'] },
    description: 'Containers must not allow privilege escalation.',
    codes: {
      AllowPrivilegeEscalationTrue: {
        severity: 'error',
        description: 'The container sets securityContext.allowPrivilegeEscalation: true.',
        fixable: true,
      },
      AllowPrivilegeEscalationNil: {
        severity: 'error',
        description: 'The container does not set securityContext.allowPrivilegeEscalation (it defaults to true).',
        fixable: true,
        linuxOnly: true,
      },
    },
  },
  check({ workload, report, reportRedundantOverride }) {
    for (const container of workload.containers) {
      const field = containerField(workload, container, ['securityContext', 'allowPrivilegeEscalation'], asBoolean);
      if (field.value === false) {
        reportRedundantOverride(OVERRIDE, container);
        continue;
      }
      const subject = describeContainer(container);
      const forced = escalationIsForced(workload, container);
      const patches: Patch[] = forced ? [] : [{ op: 'set', path: field.path, value: false }];
      const advice = forced
        ? 'It is privileged or adds CAP_SYS_ADMIN, so it can always escalate: remove that first, then set securityContext.allowPrivilegeEscalation to false'
        : 'Set securityContext.allowPrivilegeEscalation to false';
      report({
        code: field.value === true ? 'AllowPrivilegeEscalationTrue' : 'AllowPrivilegeEscalationNil',
        message:
          field.value === true
            ? `${subject} allows privilege escalation`
            : `${subject} does not set allowPrivilegeEscalation`,
        details:
          field.value === true
            ? `${subject} allows privilege escalation: a setuid binary or file capability can give its ` +
              `processes more privileges than it started with. ${advice}`
            : `${subject} does not set securityContext.allowPrivilegeEscalation, which defaults to true: ` +
              `a setuid binary or file capability can give its processes more privileges than it started ` +
              `with. ${advice}`,
        path: field.path,
        container,
        override: OVERRIDE,
        patches,
      });
    }
  },
};
