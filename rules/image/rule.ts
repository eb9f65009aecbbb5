import { asString, containerField, describeContainer, type WorkloadRule } from '../../src/rule-api/index.js';

interface Options {
  /** `name:tag` every container of that image must use; null or '' = no requirement. */
  image: string | null;
}

/** An image reference as container runtimes read it: `[registry[:port]/]path[:tag][@digest]`. */
interface ImageReference {
  /** The repository with Docker Hub's defaults filled in, so `nginx` and `docker.io/library/nginx` are equal. */
  name: string;
  tag: string | undefined;
  digest: string | undefined;
}

const DOCKER_HUB = 'docker.io';

/** The option must name a tag; a registry port (`registry:5000/app:1.2`) and a digest may come with it. */
const OPTION_PATTERN = '^$|^(\\S+/)?[^/\\s:@]+:[^/\\s:@]+(@\\S+)?$';

function normaliseName(name: string): string {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  // As in Docker: only a first component that looks like a host (a dot, a port, `localhost`) is a registry.
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const registry = !hasRegistry || first === 'index.docker.io' ? DOCKER_HUB : first;
  let repository = hasRegistry ? name.slice(slash + 1) : name;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return `${registry}/${repository}`;
}

function parseImage(reference: string): ImageReference {
  const at = reference.indexOf('@');
  const named = at === -1 ? reference : reference.slice(0, at);
  const digest = at === -1 ? '' : reference.slice(at + 1);
  const colon = named.lastIndexOf(':');
  // A colon before the last slash separates a registry host from its port (`registry:5000/app`): it is no tag.
  const hasTag = colon > named.lastIndexOf('/');
  const tag = hasTag ? named.slice(colon + 1) : '';
  return {
    name: normaliseName(hasTag ? named.slice(0, colon) : named),
    tag: tag || undefined,
    digest: digest || undefined,
  };
}

function requiredImage(option: string | null): (ImageReference & { text: string }) | undefined {
  if (!option) return undefined;
  const wanted = parseImage(option);
  if (wanted.tag === undefined)
    throw new Error(`image option "${option}" names no tag: give it as name:tag, e.g. "${option}:1.2.3"`);
  return { ...wanted, text: option };
}

export const image: WorkloadRule<Options> = {
  kind: 'workload',
  meta: {
    id: 'image',
    profiles: ['kubeaudit'],
    kubeaudit: {
      flags: [
        {
          flags: '-i, --image <name:tag>',
          description: 'the image and tag containers should use',
          option: 'image',
          all: true,
        },
      ],
    },
    description: 'Container images must be pinned to a tag or digest, and to the required tag when one is configured.',
    codes: {
      ImageTagMissing: {
        severity: 'warning',
        description:
          'The container image has neither a tag nor a digest, so it runs whatever `latest` is at pull time.',
      },
      ImageTagIncorrect: {
        severity: 'error',
        description: 'The container uses the configured image with a different tag.',
      },
      ImageCorrect: { severity: 'info', description: 'The container uses the configured image with the required tag.' },
    },
    options: {
      image: {
        description:
          'An image as "name:tag" (e.g. "registry.example.com/app:1.4"): containers of that image must use that tag. Unset: only missing tags are reported.',
        schema: { type: ['string', 'null'], pattern: OPTION_PATTERN },
        default: null,
      },
    },
  },
  check({ workload, options, report }) {
    const wanted = requiredImage(options.image);
    for (const container of workload.containers) {
      const field = containerField(workload, container, ['image'], asString);
      const subject = describeContainer(container);
      const text = field.value ?? '';
      const reference = parseImage(text);

      if (reference.tag === undefined && reference.digest === undefined) {
        // `nginx:` and `nginx@` have an empty tag or digest: the example pins the name alone, not `nginx::1.2.3`.
        const example = `${text.replace(/[:@]+$/, '')}:1.2.3`;
        report({
          code: 'ImageTagMissing',
          message: text ? `${subject} uses an image without a tag or digest` : `${subject} sets no image`,
          details: text
            ? `${subject} uses image "${text}" without a tag or digest, so each node pulls whatever ` +
              `"latest" is at that moment. Pin a version tag (e.g. "${example}") or a digest`
            : `${subject} sets no image, so nothing pins what it runs. Set image to a reference with a version tag or a digest`,
          path: field.path,
          container,
        });
        continue;
      }
      if (!wanted || reference.name !== wanted.name) continue;

      if (reference.tag === wanted.tag && (wanted.digest === undefined || reference.digest === wanted.digest)) {
        report({
          code: 'ImageCorrect',
          message: `${subject} uses "${text}", the required image`,
          path: field.path,
          container,
        });
      } else {
        report({
          code: 'ImageTagIncorrect',
          message:
            reference.tag === undefined
              ? `${subject} pins "${text}" by digest only, not the required tag "${wanted.tag}"`
              : `${subject} uses "${text}", not the required "${wanted.text}"`,
          details:
            reference.tag === undefined
              ? `${subject} pins "${text}" by digest only, so it cannot be checked against the required ` +
                `tag "${wanted.tag}". Write it as "${wanted.digest === undefined ? `${wanted.text}@${reference.digest}` : wanted.text}"`
              : `${subject} uses "${text}", but the required image is "${wanted.text}". Set the image to "${wanted.text}"`,
          path: field.path,
          container,
        });
      }
    }
  },
};
