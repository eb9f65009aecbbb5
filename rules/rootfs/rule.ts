import { asBoolean, containerField, describeContainer, type WorkloadRule } from '../../src/rule-api/index.js';

const OVERRIDE = 'allow-read-only-root-filesystem-false';

export const rootfs: WorkloadRule = {
  kind: 'workload',
  meta: {
    id: 'rootfs',
    profiles: ['kubeaudit'],
    kubeaudit: {},
    description: 'Containers must run with a read-only root filesystem.',
    codes: {
      ReadOnlyRootFilesystemFalse: {
        severity: 'error',
        description: 'The container sets securityContext.readOnlyRootFilesystem: false.',
        fixable: true,
      },
      ReadOnlyRootFilesystemNil: {
        severity: 'error',
        description: 'The container does not set securityContext.readOnlyRootFilesystem (it defaults to false).',
        fixable: true,
        linuxOnly: true,
      },
    },
  },
  check({ workload, report, reportRedundantOverride }) {
    for (const container of workload.containers) {
      const field = containerField(workload, container, ['securityContext', 'readOnlyRootFilesystem'], asBoolean);
      if (field.value === true) {
        reportRedundantOverride(OVERRIDE, container);
        continue;
      }
      const subject = describeContainer(container);
      const advice =
        'Set securityContext.readOnlyRootFilesystem to true and mount an emptyDir volume where the program must write';
      report({
        code: field.value === false ? 'ReadOnlyRootFilesystemFalse' : 'ReadOnlyRootFilesystemNil',
        message:
          field.value === false
            ? `${subject} has a writable root filesystem`
            : `${subject} does not set readOnlyRootFilesystem`,
        details:
          field.value === false
            ? `${subject} has a writable root filesystem: an intruder can replace its binaries or drop tools. ${advice}`
            : `${subject} does not set securityContext.readOnlyRootFilesystem, so its root filesystem is ` +
              `writable: an intruder can replace its binaries or drop tools. ${advice}`,
        path: field.path,
        container,
        override: OVERRIDE,
        patches: [{ op: 'set', path: field.path, value: true }],
      });
    }
  },
};
