import {
  asBoolean,
  containerField,
  describeContainer,
  podField,
  pssRule,
  type PodCheck,
} from '../../../src/rule-api/index.js';

const CODE = 'PssRunAsNonRoot';
const FIELD = ['securityContext', 'runAsNonRoot'];
const ALLOWED = 'true, or unset in a container when the pod sets it to true';

function checkRunAsNonRoot(pod: PodCheck): void {
  const { workload } = pod;
  const podValue = podField(workload, FIELD, asBoolean);
  if (podValue.value === false) {
    pod.report({
      code: CODE,
      path: podValue.path,
      summary: 'the pod sets runAsNonRoot to false',
      problem: 'the pod sets securityContext.runAsNonRoot to false, so its containers may run as root',
      field: 'securityContext.runAsNonRoot',
      allowed: ALLOWED,
      fix: "set the pod's securityContext.runAsNonRoot to true",
      patches: [{ op: 'set', path: podValue.path, value: true }],
    });
  }
  for (const container of workload.containers) {
    const field = containerField(workload, container, FIELD, asBoolean);
    if (field.value === false) {
      pod.report({
        code: CODE,
        path: field.path,
        container,
        summary: `${describeContainer(container)} sets runAsNonRoot to false`,
        problem: `${describeContainer(container)} sets securityContext.runAsNonRoot to false, so it may run as root`,
        field: 'securityContext.runAsNonRoot',
        allowed: ALLOWED,
        fix: `set securityContext.runAsNonRoot of ${describeContainer(container)} to true`,
        patches: [{ op: 'set', path: field.path, value: true }],
      });
    } else if (field.value === undefined && podValue.value === undefined) {
      // Where the pod sets false, the pod's finding covers the containers that inherit it.
      pod.report({
        code: CODE,
        path: field.path,
        container,
        summary: `${describeContainer(container)} may run as root (no runAsNonRoot)`,
        problem:
          `${describeContainer(container)} does not set securityContext.runAsNonRoot and neither ` +
          `does the pod, so it runs as root whenever its image says so`,
        field: 'securityContext.runAsNonRoot',
        allowed: ALLOWED,
        fix: "set the pod's securityContext.runAsNonRoot to true",
        patches: [{ op: 'set', path: podValue.path, value: true }],
      });
    }
  }
}

export const pssRunAsNonRoot = pssRule({
  id: 'runAsNonRoot',
  title: 'Running as Non-root',
  description: 'Containers must run as non-root users: runAsNonRoot: true on the pod or on every container.',
  codes: {
    [CODE]: {
      description:
        'The pod or a container sets runAsNonRoot: false, or a container is not covered by runAsNonRoot: true.',
      fixable: true,
    },
  },
  restricted: [
    { since: 0, check: checkRunAsNonRoot },
    // Root in a pod with its own user namespace is not root on the node.
    { since: 35, check: checkRunAsNonRoot, exempt: 'userNamespace' },
  ],
});
