import { asString, countEntries, podField, podPath, pssRule, type PodCheck } from '../../../src/rule-api/index.js';

const CODE = 'PssSysctl';

/** The safe set: namespaced to the pod and isolated from other pods on the node; it grows with Kubernetes. */
const SAFE_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SAFE_1_27 = [...SAFE_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SAFE_1_29 = [
  ...SAFE_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SAFE_1_32 = [...SAFE_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SAFE_1_37 = [...SAFE_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function checkSysctls(pod: PodCheck, safe: readonly string[]): void {
  const sysctls = podPath(pod.workload, 'securityContext', 'sysctls');
  for (let index = 0; index < countEntries(pod.workload, sysctls); index++) {
    const name = podField(pod.workload, ['securityContext', 'sysctls', index, 'name'], asString);
    if (name.value !== undefined && safe.includes(name.value)) continue;
    pod.report({
      code: CODE,
      path: name.present ? name.path : [...sysctls, index],
      summary: `the pod sets the unsafe sysctl ${name.value ?? '(without a name)'}`,
      problem: `the pod sets the sysctl ${name.value ?? '(without a name)'}, which is not in the safe set: it can affect the node or other pods`,
      field: 'securityContext.sysctls[].name',
      allowed: safe.join(', '),
      fix: `remove it from spec.securityContext.sysctls; if the workload needs it, tune the node instead`,
    });
  }
}

export const pssSysctls = pssRule({
  id: 'sysctls',
  title: 'Sysctls',
  description: 'Pods may set only the safe sysctls, which are isolated from the node and other pods.',
  codes: { [CODE]: { description: 'The pod sets a sysctl outside the safe set of the version.', fixable: false } },
  baseline: [
    { since: 0, check: (pod) => checkSysctls(pod, SAFE_1_0) },
    { since: 27, check: (pod) => checkSysctls(pod, SAFE_1_27) },
    { since: 29, check: (pod) => checkSysctls(pod, SAFE_1_29) },
    { since: 32, check: (pod) => checkSysctls(pod, SAFE_1_32) },
    { since: 37, check: (pod) => checkSysctls(pod, SAFE_1_37) },
  ],
});
