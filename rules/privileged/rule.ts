import { asBoolean, containerField, describeContainer, type WorkloadRule } from '../../src/rule-api/index.js';

const OVERRIDE = 'allow-privileged';

export const privileged: WorkloadRule = {
  kind: 'workload',
  meta: {
    id: 'privileged',
    profiles: ['kubeaudit'],
    kubeaudit: { aliases: ['priv'] },
    description: 'Containers must not run privileged.',
    codes: {
      PrivilegedTrue: {
        severity: 'error',
        description: 'The container sets securityContext.privileged: true.',
        fixable: true,
      },
      PrivilegedNil: {
        severity: 'warning',
        description: 'The container does not set securityContext.privileged (it defaults to false).',
        fixable: true,
        linuxOnly: true,
      },
    },
  },
  check({ workload, report, reportRedundantOverride }) {
    for (const container of workload.containers) {
      const field = containerField(workload, container, ['securityContext', 'privileged'], asBoolean);
      const subject = describeContainer(container);
      const fix = [{ op: 'set' as const, path: field.path, value: false }];
      if (field.value === true) {
        report({
          code: 'PrivilegedTrue',
          message: `${subject} runs privileged`,
          details: `${subject} runs privileged: it gets every Linux capability and the host's devices. Set securityContext.privileged to false`,
          path: field.path,
          container,
          override: OVERRIDE,
          patches: fix,
        });
      } else if (field.value === undefined) {
        report({
          code: 'PrivilegedNil',
          message: `${subject} does not set privileged: false`,
          details: `${subject} does not set securityContext.privileged; set it to false so the intent is explicit`,
          path: field.path,
          container,
          override: OVERRIDE,
          patches: fix,
        });
      } else {
        reportRedundantOverride(OVERRIDE, container);
      }
    }
  },
};
