import { asBoolean, podField, pssRule, type PodCheck } from '../../../src/rule-api/index.js';

const CODE = 'PssHostNamespace';

const NAMESPACES = [
  {
    field: 'hostNetwork',
    shares: "the node's network: it can bind the node's ports and reach services listening on the node's loopback",
  },
  { field: 'hostPID', shares: "the node's process table: it can see and signal every process on the node" },
  { field: 'hostIPC', shares: "the node's IPC namespace: it can read shared memory of other processes on the node" },
] as const;

function checkHostNamespaces(pod: PodCheck): void {
  for (const { field: name, shares } of NAMESPACES) {
    const field = podField(pod.workload, [name], asBoolean);
    if (field.value !== true) continue;
    pod.report({
      code: CODE,
      path: field.path,
      summary: `the pod sets ${name}: true`,
      problem: `the pod sets ${name}: true, so it shares ${shares}`,
      field: name,
      allowed: 'false or unset',
      fix: `set ${name} to false`,
      patches: [{ op: 'set', path: field.path, value: false }],
    });
  }
}

export const pssHostNamespaces = pssRule({
  id: 'hostNamespaces',
  title: 'Host Namespaces',
  description: "Pods must not share the node's network, process or IPC namespace.",
  codes: { [CODE]: { description: 'The pod sets hostNetwork, hostPID or hostIPC to true.', fixable: true } },
  baseline: [{ since: 0, check: checkHostNamespaces }],
});
