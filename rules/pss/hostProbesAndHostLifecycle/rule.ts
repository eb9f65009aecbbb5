import { asString, containerField, describeContainer, pssRule, type PodCheck } from '../../../src/rule-api/index.js';

const CODE = 'PssProbeOrLifecycleHost';
const HANDLERS = [
  ['livenessProbe'],
  ['readinessProbe'],
  ['startupProbe'],
  ['lifecycle', 'postStart'],
  ['lifecycle', 'preStop'],
] as const;
const ACTIONS = ['httpGet', 'tcpSocket'] as const;

function checkHosts(pod: PodCheck): void {
  for (const container of pod.workload.containers) {
    for (const handler of HANDLERS) {
      for (const action of ACTIONS) {
        const host = containerField(pod.workload, container, [...handler, action, 'host'], asString);
        if (host.value === undefined || host.value === '') continue;
        const field = [...handler, action, 'host'].join('.');
        pod.report({
          code: CODE,
          path: host.path,
          container,
          summary: `${describeContainer(container)} sets ${field} to ${host.value}`,
          problem:
            `${describeContainer(container)} sets ${field} to ${host.value}: the kubelet would connect ` +
            `from the node to that host, which can reach services only the node can`,
          field,
          allowed: "empty or unset (the pod's own IP)",
          fix: `remove ${field} and make the ${handler.join('.')} target the container itself`,
        });
      }
    }
  }
}

export const pssHostProbesAndHostLifecycle = pssRule({
  id: 'hostProbesAndHostLifecycle',
  title: 'Host Probes / Lifecycle Hooks',
  description: 'Probes and lifecycle hooks must not name a host: the kubelet makes those connections from the node.',
  codes: {
    [CODE]: {
      description: 'A probe or lifecycle hook of a container sets httpGet.host or tcpSocket.host.',
      fixable: false,
    },
  },
  baseline: [{ since: 34, check: checkHosts }],
});
