import { asBoolean, podField, type WorkloadRule } from '../../src/rule-api/index.js';

const NAMESPACES = [
  {
    field: 'hostNetwork',
    code: 'NamespaceHostNetworkTrue',
    override: 'allow-namespace-host-network',
    shares: "the host's network",
    risk: "the host's network stack: it can bind host ports and reach services listening on localhost",
  },
  {
    field: 'hostPID',
    code: 'NamespaceHostPIDTrue',
    override: 'allow-namespace-host-PID',
    shares: "the host's process namespace",
    risk: "the host's process namespace: it can see and signal every process on the node",
  },
  {
    field: 'hostIPC',
    code: 'NamespaceHostIPCTrue',
    override: 'allow-namespace-host-IPC',
    shares: "the host's IPC namespace",
    risk: "the host's IPC namespace: it can read shared memory of processes on the node",
  },
] as const;

export const hostns: WorkloadRule = {
  kind: 'workload',
  meta: {
    id: 'hostns',
    profiles: ['kubeaudit'],
    kubeaudit: { aliases: ['namespaces'] },
    description: 'Pods must not share the host network, PID or IPC namespace.',
    codes: {
      NamespaceHostNetworkTrue: { severity: 'error', description: 'The pod sets hostNetwork: true.', fixable: true },
      NamespaceHostPIDTrue: { severity: 'error', description: 'The pod sets hostPID: true.', fixable: true },
      NamespaceHostIPCTrue: { severity: 'error', description: 'The pod sets hostIPC: true.', fixable: true },
    },
    podOverrideFromAnyContainer: true,
  },
  check({ workload, report, reportRedundantOverride }) {
    for (const { field, code, override, shares, risk } of NAMESPACES) {
      const value = podField(workload, [field], asBoolean);
      if (value.value === true) {
        report({
          code,
          message: `the pod shares ${shares} (${field}: true)`,
          details: `the pod shares ${risk}. Remove ${field} or set it to false`,
          path: value.path,
          override,
          patches: [{ op: 'set', path: value.path, value: false }],
        });
      } else {
        reportRedundantOverride(override);
      }
    }
  },
};
