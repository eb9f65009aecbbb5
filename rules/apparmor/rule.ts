import {
  containerPath,
  describeContainer,
  readSecurityProfile,
  runtimeDefaultProfile,
  type SecurityProfile,
  type Patch,
  type WorkloadRule,
  type Workload,
  type Container,
  type NodePath,
} from '../../src/rule-api/index.js';

const OVERRIDE = 'allow-disabled-apparmor';
const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const RUNTIME_DEFAULT = 'runtime/default';
const UNCONFINED = 'unconfined';
const FIELD_RUNTIME_DEFAULT = 'RuntimeDefault';
const FIELD_UNCONFINED = 'Unconfined';
const FIELD_TYPES = new Set([FIELD_RUNTIME_DEFAULT, 'Localhost', FIELD_UNCONFINED]);

type Verdict = 'enabled' | 'disabled' | 'bad';

/** The annotation's three forms; anything else is rejected by the API server. */
function annotationVerdict(value: string): Verdict {
  if (value === UNCONFINED) return 'disabled';
  if (value === RUNTIME_DEFAULT || value.startsWith('localhost/')) return 'enabled';
  return 'bad';
}

function fieldVerdict(type: string | undefined): Verdict {
  if (type === FIELD_UNCONFINED) return 'disabled';
  return type !== undefined && FIELD_TYPES.has(type) ? 'enabled' : 'bad';
}

/** A `securityContext.appArmorProfile` (Kubernetes >= 1.30), of the pod or of a container. */
function readProfile(workload: Workload, container: Container | undefined): SecurityProfile {
  return readSecurityProfile(workload, container, 'appArmorProfile');
}

export const apparmor: WorkloadRule = {
  kind: 'workload',
  meta: {
    id: 'apparmor',
    profiles: ['kubeaudit'],
    kubeaudit: {},
    description: 'Every container must run confined by an AppArmor profile (runtime/default or a localhost profile).',
    codes: {
      AppArmorAnnotationMissing: {
        severity: 'error',
        description:
          'The container has no AppArmor profile: no annotation ' +
          'container.apparmor.security.beta.kubernetes.io/<container> and no ' +
          'securityContext.appArmorProfile of its own or of the pod.',
        fixable: true,
        linuxOnly: true,
      },
      AppArmorDisabled: {
        severity: 'error',
        description:
          'The container runs unconfined: its AppArmor annotation is unconfined or its appArmorProfile type is Unconfined.',
        fixable: true,
      },
      AppArmorBadValue: {
        severity: 'error',
        description: 'An AppArmor annotation or appArmorProfile type has a value Kubernetes does not accept.',
        fixable: true,
      },
      AppArmorInvalidAnnotation: {
        severity: 'error',
        description: 'An AppArmor annotation names a container the pod does not have.',
        fixable: true,
      },
    },
  },
  check({ workload, report }) {
    const annotationsPath = [...workload.templatePath, 'metadata', 'annotations'];
    const annotationPath = (key: string) => [...annotationsPath, key];
    const pod = readProfile(workload, undefined);
    const podVerdict = pod.present ? fieldVerdict(pod.type) : undefined;

    if (podVerdict === 'bad') {
      report({
        code: 'AppArmorBadValue',
        message: `the pod's appArmorProfile.type is ${pod.type === undefined ? 'missing' : `"${pod.type}"`}, which Kubernetes rejects`,
        details:
          `the pod's securityContext.appArmorProfile.type is ` +
          `${pod.type === undefined ? 'missing' : `"${pod.type}"`}, which Kubernetes rejects. Set it ` +
          `to RuntimeDefault, or to Localhost with a localhostProfile`,
        path: pod.typePath,
        metadata: { AppArmorProfileType: pod.type ?? '' },
        patches: runtimeDefaultProfile(pod),
      });
    }

    for (const container of workload.containers) {
      const subject = describeContainer(container);
      const own = readProfile(workload, container);
      const key = container.name !== undefined ? `${ANNOTATION_PREFIX}${container.name}` : undefined;
      const value = key !== undefined ? workload.annotations.get(key) : undefined;
      const annotation =
        key !== undefined && value !== undefined
          ? { key, value, path: annotationPath(key), verdict: annotationVerdict(value) }
          : undefined;

      /*
       * Kubernetes rejects a pod whose annotation disagrees with the container's field (its own, else the pod's),
       * so a fix to one must leave the other agreeing with it.
       */
      const fixAnnotation = (path: NodePath): Patch[] => {
        if (own.present || podVerdict === 'enabled') return [{ op: 'delete', path }];
        const patches: Patch[] = [{ op: 'set', path, value: RUNTIME_DEFAULT }];
        if (pod.present) patches.push({ op: 'set', path: own.typePath, value: FIELD_RUNTIME_DEFAULT });
        return patches;
      };

      if (annotation?.verdict === 'bad') {
        report({
          code: 'AppArmorBadValue',
          message: `the AppArmor annotation of ${subject} is "${annotation.value}", which Kubernetes rejects`,
          details:
            `the AppArmor annotation ${annotation.key} of ${subject} is "${annotation.value}", which ` +
            `Kubernetes rejects. Use runtime/default, or localhost/<profile> for a profile loaded on ` +
            `the node`,
          path: annotation.path,
          container,
          metadata: { Annotation: annotation.key, AnnotationValue: annotation.value },
          patches: fixAnnotation(annotation.path),
        });
      }

      // The profile the kubelet applies: the container's field, else the annotation, else the pod's field.
      if (own.present) {
        const verdict = fieldVerdict(own.type);
        if (verdict === 'enabled') continue;
        const patches = runtimeDefaultProfile(own);
        if (annotation && annotation.verdict !== 'bad' && annotation.value !== RUNTIME_DEFAULT)
          patches.push({ op: 'delete', path: annotation.path });
        if (verdict === 'disabled') {
          report({
            code: 'AppArmorDisabled',
            message: `${subject} runs without AppArmor (appArmorProfile.type: Unconfined)`,
            details:
              `${subject} runs without AppArmor (securityContext.appArmorProfile.type: Unconfined). Set ` +
              `the type to RuntimeDefault, or to Localhost with a profile loaded on the node`,
            path: own.typePath,
            container,
            override: OVERRIDE,
            metadata: { AppArmorProfileType: FIELD_UNCONFINED },
            patches,
          });
        } else {
          report({
            code: 'AppArmorBadValue',
            message: `the appArmorProfile.type of ${subject} is ${own.type === undefined ? 'missing' : `"${own.type}"`}, which Kubernetes rejects`,
            details:
              `the securityContext.appArmorProfile.type of ${subject} is ` +
              `${own.type === undefined ? 'missing' : `"${own.type}"`}, which Kubernetes rejects. Set it ` +
              `to RuntimeDefault, or to Localhost with a localhostProfile`,
            path: own.typePath,
            container,
            metadata: { AppArmorProfileType: own.type ?? '' },
            patches,
          });
        }
        continue;
      }

      if (annotation) {
        if (annotation.verdict === 'disabled') {
          report({
            code: 'AppArmorDisabled',
            message: `${subject} runs without AppArmor (its annotation is unconfined)`,
            details:
              `${subject} runs without AppArmor (annotation ${annotation.key}: unconfined). Set it to ` +
              `runtime/default, or to localhost/<profile> for a profile loaded on the node`,
            path: annotation.path,
            container,
            override: OVERRIDE,
            metadata: { Annotation: annotation.key, AnnotationValue: annotation.value },
            patches: fixAnnotation(annotation.path),
          });
        }
        continue;
      }

      if (pod.present) {
        if (podVerdict === 'disabled') {
          report({
            code: 'AppArmorDisabled',
            message: `${subject} runs without AppArmor (the pod's appArmorProfile.type: Unconfined)`,
            details:
              `${subject} runs without AppArmor: it inherits the pod's ` +
              `securityContext.appArmorProfile.type: Unconfined. Set the pod's type to RuntimeDefault, ` +
              `or give the container its own securityContext.appArmorProfile`,
            path: pod.typePath,
            container,
            override: OVERRIDE,
            metadata: { AppArmorProfileType: FIELD_UNCONFINED },
            // Per container, so that a container allowed by an override label keeps its profile.
            patches: [{ op: 'set', path: own.typePath, value: FIELD_RUNTIME_DEFAULT }],
          });
        }
        continue;
      }

      const missing = key ?? `${ANNOTATION_PREFIX}<container>`;
      report({
        code: 'AppArmorAnnotationMissing',
        message: `${subject} has no AppArmor profile`,
        details:
          `${subject} does not set an AppArmor profile, so whether it is confined depends on the ` +
          `node's container runtime. Add the pod annotation ${missing}: runtime/default (or, on ` +
          `Kubernetes >= 1.30, set securityContext.appArmorProfile.type: RuntimeDefault)`,
        path: key !== undefined ? annotationPath(key) : containerPath(container, 'securityContext', 'appArmorProfile'),
        container,
        metadata: { MissingAnnotation: missing },
        patches: key !== undefined ? [{ op: 'set', path: annotationPath(key), value: RUNTIME_DEFAULT }] : [],
      });
    }

    const names = new Set(workload.containers.map((container) => container.name));
    for (const key of workload.annotations.keys()) {
      if (!key.startsWith(ANNOTATION_PREFIX) || names.has(key.slice(ANNOTATION_PREFIX.length))) continue;
      report({
        code: 'AppArmorInvalidAnnotation',
        message: `the AppArmor annotation for "${key.slice(ANNOTATION_PREFIX.length)}" names no container of this pod`,
        details: `the AppArmor annotation ${key} names no container of this pod, and Kubernetes rejects such a pod. Remove it, or correct the container name`,
        path: annotationPath(key),
        metadata: { Annotation: key },
        patches: [{ op: 'delete', path: annotationPath(key) }],
      });
    }
  },
};
