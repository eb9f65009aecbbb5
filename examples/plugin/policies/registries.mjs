// A kubemend plugin: images only from the registries a team allows, and pinned by digest in production namespaces.
// It is written against `kubemend/rule`, the same surface kubemend's own rules use. See README.md beside it.
import { readFileSync } from 'node:fs';
import { asString, containerField, describeContainer } from 'kubemend/rule';

/** `registry.example.com/team/app:1.2` → `registry.example.com`; an image without a registry is Docker Hub's. */
function registryOf(image) {
  const first = image.split('/')[0];
  const isHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first : 'docker.io';
}

/** @type {import('kubemend/rule').WorkloadRule<{ registries: string[]; digestNamespaces: string[]; mirror: string | null }>} */
const allowedRegistries = {
  kind: 'workload',
  meta: {
    id: 'allowed-registries',
    description: 'Images come from an allowed registry, pinned by digest in production namespaces.',
    codes: {
      ImageRegistryNotAllowed: {
        severity: 'error',
        description: 'The image comes from a registry that is not in the allowed list.',
        fixable: true,
      },
      ImageDigestMissing: {
        severity: 'error',
        description: 'In a production namespace, the image is not pinned by digest (@sha256:...).',
      },
    },
    options: {
      registries: {
        description: 'Registries images may come from (host names, as in the image reference).',
        schema: { type: 'array', items: { type: 'string' } },
        default: ['registry.example.com'],
      },
      digestNamespaces: {
        description: 'Namespaces whose images must be pinned by digest.',
        schema: { type: 'array', items: { type: 'string' } },
        default: ['production'],
      },
      mirror: {
        description: 'An allowed mirror of Docker Hub: the fix pulls Docker Hub images through it.',
        schema: { type: ['string', 'null'] },
        default: null,
      },
    },
    docs: {
      markdown: readFileSync(new URL('../README.md', import.meta.url), 'utf8'),
      url: 'https://github.com/kubemend/kubemend/blob/main/examples/plugin/README.md',
    },
  },
  check({ workload, options, report }) {
    for (const container of workload.containers) {
      const image = containerField(workload, container, ['image'], asString);
      if (image.value === undefined) continue;
      const registry = registryOf(image.value);
      const subject = describeContainer(container);
      if (!options.registries.includes(registry)) {
        const mirrored = registry === 'docker.io' && options.mirror ? `${options.mirror}/${image.value}` : undefined;
        report({
          code: 'ImageRegistryNotAllowed',
          message: `${subject} pulls ${image.value} from ${registry}, which is not allowed`,
          details:
            `${subject} pulls ${image.value} from ${registry}; allowed registries: ${options.registries.join(', ')}. ` +
            (mirrored ? `Pull it through the mirror: ${mirrored}` : 'Push the image to an allowed registry.'),
          path: image.path,
          container,
          patches: mirrored ? [{ op: 'set', path: image.path, value: mirrored }] : [],
        });
      }
      const namespace = workload.resource.namespace;
      if (namespace && options.digestNamespaces.includes(namespace) && !image.value.includes('@sha256:')) {
        report({
          code: 'ImageDigestMissing',
          message: `${subject} runs ${image.value} in namespace "${namespace}" without a digest`,
          details:
            `${subject} runs ${image.value} in namespace "${namespace}", where images are pinned by digest so ` +
            'that what runs is what was reviewed. Append @sha256:<digest> to the image reference.',
          path: image.path,
          container,
        });
      }
    }
  },
};

/** @type {import('kubemend/rule').Plugin} */
export default { name: 'acme', rules: [allowedRegistries] };
