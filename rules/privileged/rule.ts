import { containerBoolean, containerRef, describeContainer } from '../../src/engine/fields.js';
import type { WorkloadRule } from '../../src/engine/types.js';

export const privileged: WorkloadRule = {
  meta: {
    id: 'privileged',
    description: 'Containers must not run privileged.',
    codes: {
      PrivilegedTrue: { severity: 'error', description: 'The container sets securityContext.privileged: true.' },
      PrivilegedNil: { severity: 'warning', description: 'The container does not set securityContext.privileged (it defaults to false).' },
    },
  },
  checkWorkload(workload, report) {
    for (const container of workload.containers) {
      const field = containerBoolean(workload, container, ['securityContext', 'privileged']);
      const subject = describeContainer(container);
      if (field.value === true) {
        report({
          code: 'PrivilegedTrue',
          message: `${subject} runs privileged: it gets every Linux capability and the host's devices. Set securityContext.privileged to false`,
          path: field.path,
          container: containerRef(container),
        });
      } else if (field.value === undefined) {
        report({
          code: 'PrivilegedNil',
          message: `${subject} does not set securityContext.privileged; set it to false so the intent is explicit`,
          path: field.path,
          container: containerRef(container),
        });
      }
    }
  },
};
