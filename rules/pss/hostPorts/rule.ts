import {
  asBoolean,
  asInteger,
  containerField,
  containerPath,
  countEntries,
  describeContainer,
  podField,
  pssRule,
  type PodCheck,
} from '../../../src/rule-api/index.js';

const CODE = 'PssHostPort';

function checkHostPorts(pod: PodCheck): void {
  const { workload } = pod;
  const hostNetwork = podField(workload, ['hostNetwork'], asBoolean).value === true;
  for (const container of workload.containers) {
    const ports = containerPath(container, 'ports');
    for (let index = 0; index < countEntries(workload, ports); index++) {
      const hostPort = containerField(workload, container, ['ports', index, 'hostPort'], asInteger);
      const containerPort = containerField(workload, container, ['ports', index, 'containerPort'], asInteger);
      if (hostPort.value !== undefined && hostPort.value !== 0) {
        pod.report({
          code: CODE,
          path: hostPort.path,
          container,
          summary: `${describeContainer(container)} opens host port ${hostPort.value} on the node`,
          problem: `${describeContainer(container)} opens host port ${hostPort.value} on the node`,
          field: 'ports[].hostPort',
          allowed: '0 or unset',
          fix: 'remove hostPort and reach the container through a Service',
        });
      } else if (hostNetwork && container.role !== 'ephemeralContainer' && containerPort.value) {
        // The API server defaults hostPort to containerPort in a pod on the host network, before admission.
        pod.report({
          code: CODE,
          path: containerPort.path,
          container,
          summary: `${describeContainer(container)} declares port ${containerPort.value} with hostNetwork: true`,
          problem:
            `${describeContainer(container)} declares port ${containerPort.value} in a pod with ` +
            `hostNetwork: true, where Kubernetes sets hostPort to the containerPort`,
          field: 'ports[].hostPort',
          allowed: '0 or unset',
          fix: 'take the pod off the host network (hostNetwork: false) and reach the container through a Service',
        });
      }
    }
  }
}

export const pssHostPorts = pssRule({
  id: 'hostPorts',
  title: 'Host Ports',
  description: 'Containers must not open ports on the node.',
  codes: {
    [CODE]: {
      description: 'A container sets ports[].hostPort (or declares a port in a pod on the host network).',
      fixable: false,
    },
  },
  baseline: [{ since: 0, check: checkHostPorts }],
});
