import {
  describeContainer,
  podPath,
  readSecurityProfile,
  runtimeDefaultProfile,
  type SecurityProfile,
  type Patch,
  type WorkloadRule,
  type Workload,
  type Container,
} from '../../src/rule-api/index.js';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const RUNTIME_DEFAULT = 'RuntimeDefault';

type Profile = SecurityProfile;

function readProfile(workload: Workload, container: Container | undefined): Profile {
  return readSecurityProfile(workload, container, 'seccompProfile');
}

function isEnabled(profile: Profile): boolean {
  return profile.type === RUNTIME_DEFAULT || profile.type === 'Localhost';
}

function describeType(profile: Profile): string {
  return profile.type === undefined ? 'has no type' : `has type ${profile.type}`;
}

export const seccomp: WorkloadRule = {
  kind: 'workload',
  meta: {
    id: 'seccomp',
    profiles: ['kubeaudit'],
    kubeaudit: {},
    description: 'Pods and containers must run with a seccomp profile (RuntimeDefault or Localhost).',
    codes: {
      SeccompProfileMissing: {
        severity: 'error',
        description:
          'The pod sets no securityContext.seccompProfile and at least one container has no enabled profile of its own.',
        fixable: true,
        linuxOnly: true,
      },
      SeccompDisabledPod: {
        severity: 'error',
        description: "The pod's securityContext.seccompProfile type is neither RuntimeDefault nor Localhost.",
        fixable: true,
      },
      SeccompDisabledContainer: {
        severity: 'error',
        description: "A container's securityContext.seccompProfile type is neither RuntimeDefault nor Localhost.",
        fixable: true,
      },
      SeccompDeprecatedAnnotations: {
        severity: 'warning',
        description:
          'The pod uses the seccomp annotations, which Kubernetes >= 1.27 ignores, and no seccompProfile field.',
        fixable: true,
      },
    },
  },
  check({ workload, report }) {
    const pod = readProfile(workload, undefined);
    const containers = workload.containers.map((container) => ({
      container,
      profile: readProfile(workload, container),
    }));

    const annotationKeys = [...workload.annotations.keys()].filter(
      (key) => key === POD_ANNOTATION || key.startsWith(CONTAINER_ANNOTATION_PREFIX),
    );
    if (annotationKeys.length > 0 && !pod.present && containers.every(({ profile }) => !profile.present)) {
      const annotationPath = (key: string) => [...workload.templatePath, 'metadata', 'annotations', key];
      report({
        code: 'SeccompDeprecatedAnnotations',
        message: 'the pod sets its seccomp profile with deprecated annotations, which Kubernetes >= 1.27 ignores',
        details: `the pod sets its seccomp profile with the annotation${annotationKeys.length > 1 ? 's' : ''} ${annotationKeys.join(', ')}, which Kubernetes >= 1.27 ignores. Remove ${annotationKeys.length > 1 ? 'them' : 'it'} and set securityContext.seccompProfile instead`,
        path: annotationPath(annotationKeys[0]!),
        metadata: { AnnotationKeys: annotationKeys.join(',') },
        patches: annotationKeys.map((key): Patch => ({ op: 'delete', path: annotationPath(key) })),
      });
    }

    if (!pod.present) {
      const unconfined = containers.filter(({ profile }) => !isEnabled(profile));
      if (unconfined.length > 0) {
        const names = unconfined.map(({ container }) => describeContainer(container)).join(', ');
        const several = unconfined.length > 1;
        report({
          code: 'SeccompProfileMissing',
          message:
            unconfined.length === 1
              ? `${describeContainer(unconfined[0]!.container)} has no seccomp profile, nor has the pod`
              : `${unconfined.length} containers have no seccomp profile, nor has the pod`,
          details:
            `the pod sets no securityContext.seccompProfile and ${names} ${several ? 'have' : 'has'} no enabled ` +
            `profile of ${several ? 'their' : 'its'} own, so ${several ? 'they run' : 'it runs'} Unconfined (every ` +
            `system call allowed) unless the node's kubelet turns on seccompDefault. Set the pod's ` +
            'securityContext.seccompProfile.type to RuntimeDefault',
          path: pod.path,
          patches: [
            { op: 'set', path: podPath(workload, 'securityContext', 'seccompProfile', 'type'), value: RUNTIME_DEFAULT },
          ],
        });
      }
    } else if (!isEnabled(pod)) {
      report({
        code: 'SeccompDisabledPod',
        message: `the pod's seccompProfile ${describeType(pod)}`,
        details: `the pod's securityContext.seccompProfile ${describeType(pod)}, so containers without a profile of their own run without seccomp. Set its type to RuntimeDefault, or to Localhost with a localhostProfile`,
        path: pod.typePath,
        metadata: { SeccompProfileType: pod.type ?? '' },
        patches: runtimeDefaultProfile(pod),
      });
    }

    // Where the pod's profile is RuntimeDefault (or will be, by SeccompProfileMissing's fix), the container can inherit it.
    const inheritsRuntimeDefault = !pod.present || pod.type === RUNTIME_DEFAULT;
    for (const { container, profile } of containers) {
      if (!profile.present || isEnabled(profile)) continue;
      report({
        code: 'SeccompDisabledContainer',
        message: `the seccompProfile of ${describeContainer(container)} ${describeType(profile)}`,
        details: `the securityContext.seccompProfile of ${describeContainer(container)} ${describeType(profile)}, so it runs without seccomp. Set its type to RuntimeDefault, or remove it so the container uses the pod's profile`,
        path: profile.typePath,
        container,
        metadata: { SeccompProfileType: profile.type ?? '' },
        patches: inheritsRuntimeDefault ? [{ op: 'delete', path: profile.path }] : runtimeDefaultProfile(profile),
      });
    }
  },
};
