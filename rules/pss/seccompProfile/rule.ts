import { asString, describeContainer, podAnnotationPath, securityContextField, type FieldValue } from '../../../src/engine/fields.js';
import { describeSetter, pssRule, type Container, type PodCheck, type Workload } from '../../../src/engine/pss.js';
import type { Patch } from '../../../src/engine/types.js';

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
    ...workload.containers.flatMap((container) => (container.name !== undefined ? [{ key: `${CONTAINER_ANNOTATION_PREFIX}${container.name}`, container }] : [])),
  ];
  for (const { key, container } of annotations) {
    const value = workload.annotations.get(key);
    if (value === undefined || allowedAnnotationValue(value)) continue;
    const path = podAnnotationPath(workload, key);
    pod.report({
      code: CODE,
      path,
      container,
      problem: `the annotation ${key} is "${value}", which runs ${describeSetter(container)} without seccomp (every system call allowed)`,
      field: `metadata.annotations[${key}]`,
      allowed: 'runtime/default, docker/default, localhost/<profile> or unset',
      fix: `remove the annotation ${key}`,
      patches: [{ op: 'delete', path }],
    });
  }
}

/** The `securityContext.seccompProfile` of the pod (`container` undefined) or of a container. */
interface Profile {
  container: Container | undefined;
  profile: FieldValue<string>;
  type: FieldValue<string>;
  localhostProfile: FieldValue<string>;
  allowed: boolean;
}

function readProfile(workload: Workload, container: Container | undefined): Profile {
  const type = securityContextField(workload, container, ['seccompProfile', 'type'], asString);
  return {
    container,
    profile: securityContextField(workload, container, ['seccompProfile'], asString),
    type,
    localhostProfile: securityContextField(workload, container, ['seccompProfile', 'localhostProfile'], asString),
    allowed: type.value !== undefined && ALLOWED_TYPES.includes(type.value),
  };
}

/** `type: RuntimeDefault`; a localhostProfile is valid only next to type Localhost, so it goes. */
function confine(profile: Profile): Patch[] {
  return [{ op: 'set', path: profile.type.path, value: RUNTIME_DEFAULT }, ...(profile.localhostProfile.present ? [{ op: 'delete' as const, path: profile.localhostProfile.path }] : [])];
}

function reportDisallowed(pod: PodCheck, profile: Profile, allowed: string): void {
  const setter = describeSetter(profile.container);
  pod.report({
    code: CODE,
    path: profile.type.present ? profile.type.path : profile.profile.path,
    container: profile.container,
    problem: `${setter} sets securityContext.seccompProfile${profile.type.value !== undefined ? ` to type ${profile.type.value}` : ' without a type'}, which runs ${profile.container ? 'it' : 'its containers'} without seccomp (every system call allowed)`,
    field: 'securityContext.seccompProfile.type',
    allowed,
    fix: `set securityContext.seccompProfile.type of ${setter} to ${RUNTIME_DEFAULT}`,
    patches: confine(profile),
  });
}

/** From v1.19 the profile is a field; baseline forbids turning seccomp off where it is set. */
function checkBaselineFields(pod: PodCheck): void {
  for (const container of [undefined, ...pod.workload.containers]) {
    const profile = readProfile(pod.workload, container);
    if (profile.profile.present && !profile.allowed) reportDisallowed(pod, profile, 'RuntimeDefault, Localhost or unset');
  }
}

/** Restricted wants a profile everywhere: set on the pod, or on every container that the pod's does not cover. */
function checkRestricted(pod: PodCheck): void {
  const { workload } = pod;
  const allowed = 'RuntimeDefault or Localhost (on the pod, or on every container)';
  const podProfile = readProfile(workload, undefined);
  if (podProfile.profile.present && !podProfile.allowed) reportDisallowed(pod, podProfile, allowed);
  for (const container of workload.containers) {
    const profile = readProfile(workload, container);
    if (profile.profile.present) {
      if (!profile.allowed) reportDisallowed(pod, profile, allowed);
    } else if (!podProfile.profile.present) {
      // Where the pod sets a disallowed profile, the pod's finding covers the containers that inherit it.
      pod.report({
        code: CODE,
        path: profile.profile.path,
        container,
        problem: `${describeContainer(container)} has no seccomp profile and neither has the pod, so it runs without seccomp (every system call allowed) unless the node's kubelet turns seccompDefault on`,
        field: 'securityContext.seccompProfile.type',
        allowed,
        fix: `set the pod's securityContext.seccompProfile.type to ${RUNTIME_DEFAULT}`,
        patches: [{ op: 'set', path: podProfile.type.path, value: RUNTIME_DEFAULT }],
      });
    }
  }
}

export const pssSeccompProfile = pssRule({
  id: 'seccompProfile',
  title: 'Seccomp',
  description: 'Pods and containers must not turn seccomp off; at restricted they must run with RuntimeDefault or a Localhost profile.',
  codes: { [CODE]: { description: 'The pod or a container runs without an allowed seccomp profile (Unconfined, or none at restricted).', fixable: true } },
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
