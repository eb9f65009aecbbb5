import { asBoolean, containerField, describeContainer, pssRule, type PodCheck } from '../../../src/rule-api/index.js';

const CODE = 'PssPrivileged';

function checkPrivileged(pod: PodCheck): void {
  for (const container of pod.workload.containers) {
    const field = containerField(pod.workload, container, ['securityContext', 'privileged'], asBoolean);
    if (field.value !== true) continue;
    pod.report({
      code: CODE,
      path: field.path,
      container,
      summary: `${describeContainer(container)} runs privileged`,
      problem: `${describeContainer(container)} runs privileged (securityContext.privileged: true): it gets every capability and the node's devices`,
      field: 'securityContext.privileged',
      allowed: 'false or unset',
      fix: 'set securityContext.privileged to false',
      patches: [{ op: 'set', path: field.path, value: false }],
    });
  }
}

export const pssPrivileged = pssRule({
  id: 'privileged',
  title: 'Privileged Containers',
  description: 'Containers must not run privileged.',
  codes: { [CODE]: { description: 'A container sets securityContext.privileged: true.', fixable: true } },
  baseline: [{ since: 0, check: checkPrivileged }],
});
