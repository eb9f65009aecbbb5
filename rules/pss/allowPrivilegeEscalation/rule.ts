import { asBoolean, containerField, describeContainer, pssRule, type PodCheck } from '../../../src/rule-api/index.js';

const CODE = 'PssAllowPrivilegeEscalation';

function checkEscalation(pod: PodCheck): void {
  for (const container of pod.workload.containers) {
    const field = containerField(pod.workload, container, ['securityContext', 'allowPrivilegeEscalation'], asBoolean);
    if (field.value === false) continue;
    pod.report({
      code: CODE,
      path: field.path,
      container,
      summary: `${describeContainer(container)} ${field.value === true ? 'sets allowPrivilegeEscalation to true' : 'does not set allowPrivilegeEscalation'}`,
      problem:
        `${describeContainer(container)} ` +
        `${field.value === true ? 'sets securityContext.allowPrivilegeEscalation to true' : 'does not set securityContext.allowPrivilegeEscalation, which defaults to true'}: ` +
        `a setuid binary can give its processes more privileges than the container started with`,
      field: 'securityContext.allowPrivilegeEscalation',
      allowed: 'false',
      fix: 'set securityContext.allowPrivilegeEscalation to false',
      patches: [{ op: 'set', path: field.path, value: false }],
    });
  }
}

export const pssAllowPrivilegeEscalation = pssRule({
  id: 'allowPrivilegeEscalation',
  title: 'Privilege Escalation',
  description: 'Containers must set allowPrivilegeEscalation: false.',
  codes: {
    [CODE]: { description: 'A container does not set securityContext.allowPrivilegeEscalation: false.', fixable: true },
  },
  restricted: [
    // The field exists since Kubernetes v1.8.
    { since: 8, check: checkEscalation },
    // Windows has no setuid: as of v1.25 restricted does not ask Windows pods for it.
    { since: 25, check: checkEscalation, exempt: 'windows' },
  ],
});
