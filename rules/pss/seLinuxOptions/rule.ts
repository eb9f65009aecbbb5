import {
  asString,
  securityContextField,
  securityContextOwners,
  describeSetter,
  pssRule,
  type PodCheck,
} from '../../../src/rule-api/index.js';

const CODE = 'PssSELinuxOptions';
const TYPES_1_0 = ['container_t', 'container_init_t', 'container_kvm_t'];
const TYPES_1_31 = [...TYPES_1_0, 'container_engine_t'];

function checkSELinux(pod: PodCheck, allowedTypes: readonly string[]): void {
  const { workload } = pod;
  for (const container of securityContextOwners(workload)) {
    if (!securityContextField(workload, container, ['seLinuxOptions'], asString).present) continue;
    const type = securityContextField(workload, container, ['seLinuxOptions', 'type'], asString);
    if (type.value !== undefined && type.value !== '' && !allowedTypes.includes(type.value)) {
      pod.report({
        code: CODE,
        path: type.path,
        container,
        summary: `${describeSetter(container)} sets seLinuxOptions.type to ${type.value}`,
        problem:
          `${describeSetter(container)} sets securityContext.seLinuxOptions.type to ${type.value}, ` +
          `an SELinux type that confines containers less (or not at all)`,
        field: 'securityContext.seLinuxOptions.type',
        allowed: `${allowedTypes.join(', ')}, empty or unset`,
        fix: 'remove securityContext.seLinuxOptions.type, so the runtime assigns its container type',
        patches: [{ op: 'delete', path: type.path }],
      });
    }
    for (const key of ['user', 'role'] as const) {
      const field = securityContextField(workload, container, ['seLinuxOptions', key], asString);
      if (field.value === undefined || field.value === '') continue;
      pod.report({
        code: CODE,
        path: field.path,
        container,
        summary: `${describeSetter(container)} sets seLinuxOptions.${key} to ${field.value}`,
        problem: `${describeSetter(container)} sets securityContext.seLinuxOptions.${key} to ${field.value}, a custom SELinux ${key}`,
        field: `securityContext.seLinuxOptions.${key}`,
        allowed: 'empty or unset',
        fix: `remove securityContext.seLinuxOptions.${key}`,
        patches: [{ op: 'delete', path: field.path }],
      });
    }
  }
}

export const pssSELinuxOptions = pssRule({
  id: 'seLinuxOptions',
  title: 'SELinux',
  description:
    'Pods and containers must not set a custom SELinux user or role, nor an SELinux type outside the container types.',
  codes: {
    [CODE]: {
      description: 'The pod or a container sets a forbidden seLinuxOptions type, or any user or role.',
      fixable: true,
    },
  },
  baseline: [
    { since: 0, check: (pod) => checkSELinux(pod, TYPES_1_0) },
    { since: 31, check: (pod) => checkSELinux(pod, TYPES_1_31) },
  ],
});
