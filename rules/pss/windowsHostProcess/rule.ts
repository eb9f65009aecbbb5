import {
  asBoolean,
  securityContextField,
  securityContextOwners,
  describeSetter,
  pssRule,
  type PodCheck,
} from '../../../src/rule-api/index.js';

const CODE = 'PssHostProcess';

function checkHostProcess(pod: PodCheck): void {
  for (const container of securityContextOwners(pod.workload)) {
    const field = securityContextField(pod.workload, container, ['windowsOptions', 'hostProcess'], asBoolean);
    if (field.value !== true) continue;
    pod.report({
      code: CODE,
      path: field.path,
      container,
      summary: `${describeSetter(container)} sets windowsOptions.hostProcess to true`,
      problem:
        `${describeSetter(container)} sets securityContext.windowsOptions.hostProcess to true, so ` +
        `it would run as a process on the Windows host, with the host's privileges`,
      field: 'securityContext.windowsOptions.hostProcess',
      allowed: 'false or unset',
      // A HostProcess container is a host process by design (a node agent, a CNI or CSI plugin): turned into an
      // ordinary container it loses the node it exists to manage, and its host account may not exist in a container.
      fix: 'run it in a namespace that enforces privileged, or, if it does not need the node, as an ordinary Windows container (without hostProcess)',
    });
  }
}

export const pssWindowsHostProcess = pssRule({
  id: 'windowsHostProcess',
  title: 'HostProcess',
  description: 'Windows pods and containers must not run as HostProcess containers.',
  codes: {
    [CODE]: {
      description: 'The pod or a container sets securityContext.windowsOptions.hostProcess: true.',
      fixable: false,
    },
  },
  baseline: [{ since: 0, check: checkHostProcess }],
});
