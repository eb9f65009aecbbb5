import {
  asString,
  countEntries,
  podField,
  podPath,
  describeVolume,
  pssRule,
  type PodCheck,
} from '../../../src/rule-api/index.js';

const CODE = 'PssHostPathVolume';

function checkHostPathVolumes(pod: PodCheck): void {
  const volumes = podPath(pod.workload, 'volumes');
  for (let index = 0; index < countEntries(pod.workload, volumes); index++) {
    const hostPath = podField(pod.workload, ['volumes', index, 'hostPath'], asString);
    if (!hostPath.present) continue;
    pod.report({
      code: CODE,
      path: hostPath.path,
      summary: `${describeVolume(pod.workload, index)} is a hostPath volume`,
      problem:
        `${describeVolume(pod.workload, index)} is a hostPath volume: it mounts a directory of the ` +
        `node, from which a container can read secrets of other pods or change the node`,
      field: 'volumes[].hostPath',
      allowed: 'unset (no hostPath volumes)',
      fix: 'replace the hostPath volume with an emptyDir, configMap, secret, persistentVolumeClaim or CSI volume that holds what the workload needs',
    });
  }
}

export const pssHostPathVolumes = pssRule({
  id: 'hostPathVolumes',
  title: 'HostPath Volumes',
  description: 'Pods must not mount directories of the node (hostPath volumes).',
  codes: { [CODE]: { description: 'The pod has a hostPath volume.', fixable: false } },
  baseline: [{ since: 0, check: checkHostPathVolumes }],
  // Restricted forbids hostPath among other volume types: pss/restrictedVolumes reports it there.
  replacedAtRestrictedSince: 0,
});
