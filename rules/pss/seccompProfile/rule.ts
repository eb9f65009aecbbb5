import {
  describeContainer,
  podAnnotationPath,
  readSecurityProfile,
  runtimeDefaultProfile,
  securityContextOwners,
  type SecurityProfile,
  describeSetter,
  pssRule,
  type Container,
  type PodCheck,
  type Workload,
} from '../../../src/rule-api/index.js';

const CODE = 'PssSeccompProfile';
const RUNTIME_DEFAULT = 'RuntimeDefault';
const ALLOWED_TYPES = [RUNTIME_DEFAULT, 'Localhost'];
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function allowedAnnotationValue(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

/** Before v1.19 the profile was an annotation, of the pod and of each container by name. */
function checkAnnotations(pod: PodCheck): void {
  const { workload } = pod;
  const annotations = [
    { key: POD_ANNOTATION, container: undefined },
    ...workload.containers.flatMap((container) =>
      container.name !== undefined ? [{ key: `${CONTAINER_ANNOTATION_PREFIX}${container.name}`, container }] : [],
    ),
  ];
  for (const { key, container } of annotations) {
    const value = workload.annotations.get(key);
    if (value === undefined || allowedAnnotationValue(value)) continue;
    const path = podAnnotationPath(workload, key);
    pod.report({
      code: CODE,
      path,
      container,
      summary: `the seccomp annotation for ${describeSetter(container)} is "${value}"`,
      problem: `the annotation ${key} is "${value}", which runs ${describeSetter(container)} without seccomp (every system call allowed)`,
      field: `metadata.annotations[${key}]`,
      allowed: 'runtime/default, docker/default, localhost/<profile> or unset',
      fix: `remove the annotation ${key}`,
      patches: [{ op: 'delete', path }],
    });
  }
}

/** The pod's (`container` undefined) or a container's own seccompProfile, and whether its type is an allowed one. */
interface Profile extends SecurityProfile {
  container: Container | undefined;
  allowed: boolean;
}

function readProfile(workload: Workload, container: Container | undefined): Profile {
  const profile = readSecurityProfile(workload, container, 'seccompProfile');
  return { ...profile, container, allowed: profile.type !== undefined && ALLOWED_TYPES.includes(profile.type) };
}

function reportDisallowed(pod: PodCheck, profile: Profile, allowed: string): void {
  const setter = describeSetter(profile.container);
  pod.report({
    code: CODE,
    path: profile.type !== undefined ? profile.typePath : profile.path,
    container: profile.container,
    summary: `${setter} turns seccomp off (seccompProfile${profile.type !== undefined ? ` type ${profile.type}` : ' without a type'})`,
    problem:
      `${setter} sets ` +
      `securityContext.seccompProfile${profile.type !== undefined ? ` to type ${profile.type}` : ' without a type'}, ` +
      `which runs ${profile.container ? 'it' : 'its containers'} without seccomp (every system ` +
      `call allowed)`,
    field: 'securityContext.seccompProfile.type',
    allowed,
    fix: `set securityContext.seccompProfile.type of ${setter} to ${RUNTIME_DEFAULT}`,
    patches: runtimeDefaultProfile(profile),
  });
}

/** From v1.19 the profile is a field; baseline forbids turning seccomp off where it is set. */
function checkBaselineFields(pod: PodCheck): void {
  for (const container of securityContextOwners(pod.workload)) {
    const profile = readProfile(pod.workload, container);
    if (profile.present && !profile.allowed) reportDisallowed(pod, profile, 'RuntimeDefault, Localhost or unset');
  }
}

/** Restricted wants a profile everywhere: set on the pod, or on every container that the pod's does not cover. */
function checkRestricted(pod: PodCheck): void {
  const { workload } = pod;
  const allowed = 'RuntimeDefault or Localhost (on the pod, or on every container)';
  const podProfile = readProfile(workload, undefined);
  if (podProfile.present && !podProfile.allowed) reportDisallowed(pod, podProfile, allowed);
  for (const container of workload.containers) {
    const profile = readProfile(workload, container);
    if (profile.present) {
      if (!profile.allowed) reportDisallowed(pod, profile, allowed);
    } else if (!podProfile.present) {
      // Where the pod sets a disallowed profile, the pod's finding covers the containers that inherit it.
      pod.report({
        code: CODE,
        path: profile.path,
        container,
        summary: `${describeContainer(container)} has no seccomp profile and neither has the pod`,
        problem:
          `${describeContainer(container)} has no seccomp profile and neither has the pod, so it ` +
          `runs without seccomp (every system call allowed) unless the node's kubelet turns ` +
          `seccompDefault on`,
        field: 'securityContext.seccompProfile.type',
        allowed,
        fix: `set the pod's securityContext.seccompProfile.type to ${RUNTIME_DEFAULT}`,
        patches: [{ op: 'set', path: podProfile.typePath, value: RUNTIME_DEFAULT }],
      });
    }
  }
}

export const pssSeccompProfile = pssRule({
  id: 'seccompProfile',
  title: 'Seccomp',
  description:
    'Pods and containers must not turn seccomp off; at restricted they must run with RuntimeDefault or a Localhost profile.',
  codes: {
    [CODE]: {
      description:
        'The pod or a container runs without an allowed seccomp profile (Unconfined, or none at restricted).',
      fixable: true,
    },
  },
  baseline: [
    { since: 0, check: checkAnnotations },
    { since: 19, check: checkBaselineFields },
  ],
  restricted: [
    { since: 19, check: checkRestricted },
    // Windows has no seccomp: as of v1.25 restricted does not ask Windows pods for it.
    { since: 25, check: checkRestricted, exempt: 'windows' },
  ],
});
