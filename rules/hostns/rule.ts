import { podBoolean } from '../../src/engine/fields.js';
import type { WorkloadRule } from '../../src/engine/types.js';

const NAMESPACES = [
  { field: 'hostNetwork', code: 'NamespaceHostNetworkTrue', risk: "the host's network stack: it can bind host ports and reach services listening on localhost" },
  { field: 'hostPID', code: 'NamespaceHostPIDTrue', risk: "the host's process namespace: it can see and signal every process on the node" },
  { field: 'hostIPC', code: 'NamespaceHostIPCTrue', risk: "the host's IPC namespace: it can read shared memory of processes on the node" },
] as const;

export const hostns: WorkloadRule = {
  meta: {
    id: 'hostns',
    description: 'Pods must not share the host network, PID or IPC namespace.',
    codes: {
      NamespaceHostNetworkTrue: { severity: 'error', description: 'The pod sets hostNetwork: true.' },
      NamespaceHostPIDTrue: { severity: 'error', description: 'The pod sets hostPID: true.' },
      NamespaceHostIPCTrue: { severity: 'error', description: 'The pod sets hostIPC: true.' },
    },
  },
  checkWorkload(workload, report) {
    for (const { field, code, risk } of NAMESPACES) {
      const value = podBoolean(workload, [field]);
      if (value.value === true) {
        report({ code, message: `the pod shares ${risk}. Remove ${field} or set it to false`, path: value.path });
      }
    }
  },
};
