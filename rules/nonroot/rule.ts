import {
  asBoolean,
  asInteger,
  containerField,
  containerPath,
  describeContainer,
  podField,
  findOverride,
  type Patch,
  type WorkloadRule,
  type Workload,
  type Container,
} from '../../src/rule-api/index.js';

const OVERRIDE = 'allow-run-as-root';
const RUN_AS_USER = ['securityContext', 'runAsUser'];
const RUN_AS_NON_ROOT = ['securityContext', 'runAsNonRoot'];

/**
 * Patches that take `runAsUser: 0` off the pod so that the containers being fixed stop inheriting root. A container
 * that inherits it and whose label allows it to run as root gets `runAsUser: 0` of its own, so it keeps the user
 * its owner chose. (kubeaudit leaves the pod's 0 in place next to `runAsNonRoot: true`: the pod cannot start.)
 */
function releasePodRoot(workload: Workload, fixed: Container): Patch[] {
  const pins: Patch[] = workload.containers
    .filter(
      (other) =>
        other !== fixed &&
        containerField(workload, other, RUN_AS_USER, asInteger).value === undefined &&
        findOverride(workload.labels, OVERRIDE, { container: other.name }) !== undefined,
    )
    .map((other) => ({ op: 'set' as const, path: containerPath(other, ...RUN_AS_USER), value: 0 }));
  return [{ op: 'delete', path: podField(workload, RUN_AS_USER, asInteger).path }, ...pins];
}

export const nonroot: WorkloadRule = {
  kind: 'workload',
  meta: {
    id: 'nonroot',
    profiles: ['kubeaudit'],
    kubeaudit: {},
    description: 'Containers must not run as root.',
    codes: {
      RunAsUserCSCRoot: {
        severity: 'error',
        description: 'The container sets securityContext.runAsUser: 0.',
        fixable: true,
      },
      RunAsUserPSCRoot: {
        severity: 'error',
        description:
          'The pod sets securityContext.runAsUser: 0: an error for a container that inherits it, a warning for one that sets its own non-root runAsUser.',
        fixable: true,
      },
      RunAsNonRootCSCFalse: {
        severity: 'error',
        description: 'No runAsUser is set and the container sets securityContext.runAsNonRoot: false.',
        fixable: true,
      },
      RunAsNonRootPSCNilCSCNil: {
        severity: 'error',
        description: 'Neither runAsUser nor runAsNonRoot is set, on the container or the pod.',
        fixable: true,
      },
      RunAsNonRootPSCFalseCSCNil: {
        severity: 'error',
        description:
          'No runAsUser is set, the container does not set runAsNonRoot and the pod sets runAsNonRoot: false.',
        fixable: true,
      },
    },
  },
  check({ workload, report, reportRedundantOverride }) {
    const podUser = podField(workload, RUN_AS_USER, asInteger);
    const podNonRoot = podField(workload, RUN_AS_NON_ROOT, asBoolean);
    const podIsRoot = podUser.value === 0;
    const advice =
      'Set securityContext.runAsNonRoot to true (the image must then run as a numeric non-root user), or runAsUser to a non-root UID';

    for (const container of workload.containers) {
      const subject = describeContainer(container);
      const user = containerField(workload, container, RUN_AS_USER, asInteger);
      const nonRoot = containerField(workload, container, RUN_AS_NON_ROOT, asBoolean);
      const requireNonRoot: Patch = { op: 'set', path: nonRoot.path, value: true };
      const common = { container, override: OVERRIDE };

      // Precedence as in kubeaudit: a runAsUser (the container's, else the pod's) decides alone; runAsNonRoot only counts without one.
      if (user.value !== undefined) {
        if (user.value === 0) {
          report({
            ...common,
            code: 'RunAsUserCSCRoot',
            message: `${subject} runs as root (runAsUser: 0)`,
            details:
              `${subject} runs as root: its securityContext.runAsUser is 0. Remove runAsUser and set ` +
              `runAsNonRoot to true, or set runAsUser to a non-root UID`,
            path: user.path,
            patches: [
              { op: 'delete', path: user.path },
              requireNonRoot,
              ...(podIsRoot ? releasePodRoot(workload, container) : []),
            ],
          });
        } else if (podIsRoot) {
          report({
            ...common,
            code: 'RunAsUserPSCRoot',
            severity: 'warning',
            message: `the pod sets runAsUser: 0 (root), which ${subject} overrides`,
            details:
              `the pod's securityContext.runAsUser is 0 (root); ${subject} sets its own runAsUser, but ` +
              `any container without one runs as root. Remove runAsUser: 0 from the pod's securityContext`,
            path: podUser.path,
            patches: releasePodRoot(workload, container),
          });
        } else {
          reportRedundantOverride(OVERRIDE, container);
        }
      } else if (podUser.value !== undefined) {
        if (podIsRoot) {
          report({
            ...common,
            code: 'RunAsUserPSCRoot',
            message: `${subject} runs as root: it inherits runAsUser 0 from the pod`,
            details:
              `${subject} runs as root: it inherits runAsUser 0 from the pod's securityContext. Remove ` +
              `runAsUser: 0 from the pod and set the container's runAsNonRoot to true, or give the ` +
              `container a non-root runAsUser`,
            path: podUser.path,
            patches: [requireNonRoot, ...releasePodRoot(workload, container)],
          });
        } else {
          reportRedundantOverride(OVERRIDE, container);
        }
      } else if (nonRoot.value === false) {
        report({
          ...common,
          code: 'RunAsNonRootCSCFalse',
          message: `${subject} may run as root (runAsNonRoot: false)`,
          details: `${subject} may run as root: it sets securityContext.runAsNonRoot to false and no runAsUser. ${advice}`,
          path: nonRoot.path,
          patches: [requireNonRoot],
        });
      } else if (nonRoot.value === undefined && podNonRoot.value === undefined) {
        report({
          ...common,
          code: 'RunAsNonRootPSCNilCSCNil',
          message: `${subject} may run as root (runAsNonRoot unset)`,
          details: `${subject} may run as root: neither it nor the pod sets runAsNonRoot or runAsUser, so it runs as whatever user the image names. ${advice}`,
          path: nonRoot.path,
          patches: [requireNonRoot],
        });
      } else if (nonRoot.value === undefined && podNonRoot.value === false) {
        report({
          ...common,
          code: 'RunAsNonRootPSCFalseCSCNil',
          message: `${subject} may run as root (the pod sets runAsNonRoot: false)`,
          details: `${subject} may run as root: the pod sets securityContext.runAsNonRoot to false and neither sets runAsUser. ${advice}`,
          path: podNonRoot.path,
          patches: [requireNonRoot],
        });
      } else {
        reportRedundantOverride(OVERRIDE, container);
      }
    }
  },
};
