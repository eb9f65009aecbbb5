import {
  podAnnotationPath,
  readSecurityProfile,
  securityContextOwners,
  describeSetter,
  pssRule,
  type PodCheck,
} from '../../../src/rule-api/index.js';

const CODE = 'PssAppArmorProfile';
const ALLOWED_TYPES = ['RuntimeDefault', 'Localhost'];
const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

function checkAppArmor(pod: PodCheck): void {
  const { workload } = pod;
  for (const container of securityContextOwners(workload)) {
    const profile = readSecurityProfile(workload, container, 'appArmorProfile');
    if (!profile.present || (profile.type !== undefined && ALLOWED_TYPES.includes(profile.type))) continue;
    pod.report({
      code: CODE,
      path: profile.type !== undefined ? profile.typePath : profile.path,
      container,
      summary: `${describeSetter(container)} turns AppArmor off (appArmorProfile${profile.type !== undefined ? ` type ${profile.type}` : ' without a type'})`,
      problem:
        `${describeSetter(container)} sets ` +
        `securityContext.appArmorProfile${profile.type !== undefined ? ` to type ${profile.type}` : ' without a type'}, ` +
        `which turns AppArmor confinement off`,
      field: 'securityContext.appArmorProfile.type',
      allowed: 'RuntimeDefault, Localhost or unset',
      fix: `remove securityContext.appArmorProfile from ${describeSetter(container)}, so the runtime's default profile applies`,
      patches: [{ op: 'delete', path: profile.path }],
    });
  }
  for (const [key, value] of workload.annotations) {
    if (!key.startsWith(ANNOTATION_PREFIX) || allowedAnnotationValue(value)) continue;
    const name = key.slice(ANNOTATION_PREFIX.length);
    const path = podAnnotationPath(workload, key);
    pod.report({
      code: CODE,
      path,
      container: workload.containers.find((candidate) => candidate.name === name),
      summary: `the AppArmor annotation for container "${name}" is "${value}"`,
      problem: `the annotation ${key} is "${value}", which is neither the runtime's default profile nor one loaded on the node`,
      field: `metadata.annotations[${ANNOTATION_PREFIX}*]`,
      allowed: 'runtime/default, localhost/<profile>, empty or unset',
      fix: `remove the annotation ${key}`,
      patches: [{ op: 'delete', path }],
    });
  }
}

export const pssAppArmorProfile = pssRule({
  id: 'appArmorProfile',
  title: 'AppArmor',
  description:
    "Pods and containers must not turn off AppArmor or override the runtime's default profile with anything but a node-local one.",
  codes: {
    [CODE]: {
      description:
        'The pod, a container or an AppArmor annotation sets a profile other than RuntimeDefault or Localhost.',
      fixable: true,
    },
  },
  // Pod Security Admission checks the fields (API v1.30) from policy v1.0 on: it patched them into its v1.0 check.
  baseline: [{ since: 0, check: checkAppArmor }],
});
