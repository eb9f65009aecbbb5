import { asString, containerField, describeContainer, pssRule, type PodCheck } from '../../../src/rule-api/index.js';

const CODE = 'PssProcMount';

function checkProcMount(pod: PodCheck): void {
  for (const container of pod.workload.containers) {
    const field = containerField(pod.workload, container, ['securityContext', 'procMount'], asString);
    if (field.value === undefined || field.value === 'Default') continue;
    pod.report({
      code: CODE,
      path: field.path,
      container,
      summary: `${describeContainer(container)} sets procMount to ${field.value}`,
      problem:
        `${describeContainer(container)} sets securityContext.procMount to ${field.value}, which ` +
        `unmasks /proc paths the runtime hides from containers (kernel and other processes' information)`,
      field: 'securityContext.procMount',
      allowed: 'Default or unset',
      fix: 'remove securityContext.procMount',
      patches: [{ op: 'delete', path: field.path }],
    });
  }
}

export const pssProcMount = pssRule({
  id: 'procMount',
  title: '/proc Mount Type',
  description: "Containers must keep the runtime's default /proc masks.",
  codes: {
    [CODE]: {
      description: 'A container sets securityContext.procMount to something other than Default.',
      fixable: true,
    },
  },
  baseline: [
    { since: 0, check: checkProcMount },
    // In its own user namespace the unmasked /proc belongs to the pod, not the node.
    { since: 35, check: checkProcMount, exempt: 'userNamespace' },
  ],
  restricted: [{ since: 35, check: checkProcMount }],
});
