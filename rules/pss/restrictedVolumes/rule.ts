import {
  asString,
  countEntries,
  podField,
  podPath,
  describeVolume,
  pssRule,
  type PodCheck,
} from '../../../src/rule-api/index.js';

const CODE = 'PssRestrictedVolume';

/** `image` was added in Kubernetes v1.33 to Pod Security Admission's v1.0 check, so it is allowed at every version. */
const ALLOWED = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
const FORBIDDEN = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

function checkVolumes(pod: PodCheck): void {
  const volumes = podPath(pod.workload, 'volumes');
  for (let index = 0; index < countEntries(pod.workload, volumes); index++) {
    const present = (type: string) => podField(pod.workload, ['volumes', index, type], asString).present;
    // A volume without a known source is an emptyDir to the API server, which fills it in before admission.
    const type = ALLOWED.some(present) ? undefined : FORBIDDEN.find(present);
    if (type === undefined) continue;
    pod.report({
      code: CODE,
      path: [...volumes, index, type],
      summary: `${describeVolume(pod.workload, index)} is a ${type} volume`,
      problem:
        `${describeVolume(pod.workload, index)} is a ${type} volume, which restricted does not ` +
        `allow: it reaches storage of the node or outside the cluster directly`,
      field: 'volumes[]',
      allowed: `${ALLOWED.join(', ')} volumes`,
      fix:
        `replace the ${type} volume with a persistentVolumeClaim (an administrator can provide the ` +
        `same storage as a PersistentVolume) or another allowed type`,
    });
  }
}

export const pssRestrictedVolumes = pssRule({
  id: 'restrictedVolumes',
  title: 'Volume Types',
  description:
    'At restricted, pods may use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes.',
  codes: {
    [CODE]: {
      description: 'The pod has a volume of a type restricted does not allow (hostPath among them).',
      fixable: false,
    },
  },
  restricted: [{ since: 0, check: checkVolumes }],
});
