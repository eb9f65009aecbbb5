import {
  asInteger,
  securityContextField,
  securityContextOwners,
  describeSetter,
  pssRule,
  type PodCheck,
} from '../../../src/rule-api/index.js';

const CODE = 'PssRunAsUser';

function checkRunAsUser(pod: PodCheck): void {
  for (const container of securityContextOwners(pod.workload)) {
    const field = securityContextField(pod.workload, container, ['runAsUser'], asInteger);
    if (field.value !== 0) continue;
    pod.report({
      code: CODE,
      path: field.path,
      container,
      summary: `${describeSetter(container)} sets runAsUser to 0 (root)`,
      problem: `${describeSetter(container)} sets securityContext.runAsUser to 0, which is root`,
      field: 'securityContext.runAsUser',
      allowed: 'a non-zero user ID or unset',
      fix: `remove securityContext.runAsUser: 0 from ${describeSetter(container)}, so the image's non-root user applies`,
      patches: [{ op: 'delete', path: field.path }],
    });
  }
}

export const pssRunAsUser = pssRule({
  id: 'runAsUser',
  title: 'Running as Non-root user',
  description: 'The pod and its containers must not set runAsUser: 0.',
  codes: { [CODE]: { description: 'The pod or a container sets securityContext.runAsUser: 0.', fixable: true } },
  restricted: [
    { since: 23, check: checkRunAsUser },
    // Root in a pod with its own user namespace is not root on the node.
    { since: 35, check: checkRunAsUser, exempt: 'userNamespace' },
  ],
});
