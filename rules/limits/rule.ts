import {
  asInteger,
  asString,
  containerField,
  containerPath,
  describeContainer,
  isPresent,
  type ScalarReader,
  type WorkloadRule,
} from '../../src/rule-api/index.js';

interface Options {
  /** Highest CPU limit a container may set, as a Kubernetes quantity; null, '' or 0 = no maximum. */
  cpu: string | number | null;
  /** Highest memory limit a container may set, as a Kubernetes quantity; null, '' or 0 = no maximum. */
  memory: string | number | null;
}

/**
 * A Kubernetes quantity as an exact number, `mantissa × 10^exp10 × 2^exp2`: limits are compared the way the API
 * server's resource.Quantity compares them, without floating-point rounding (`0.1` CPU is exactly 100m).
 */
interface Quantity {
  mantissa: bigint;
  exp10: number;
  exp2: number;
  /** As written, for messages. */
  text: string;
}

const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** sign, integer digits, fraction digits, then one of: binary suffix, decimal exponent (`e3`, `E-2`), decimal suffix. */
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(?:([KMGTPE]i)|[eE]([+-]?\d+)|([numkMGTPE]?))$/;
const QUANTITY_SCHEMA_PATTERN = '^$|^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([KMGTPE]i|[eE][+-]?\\d+|[numkMGTPE])?$';

function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', binary, exponent, decimal] = match;
  if (whole.length + fraction.length === 0) return undefined;
  const magnitude = BigInt(`${whole}${fraction}`);
  return {
    mantissa: sign === '-' ? -magnitude : magnitude,
    exp10: -fraction.length + (exponent !== undefined ? Number(exponent) : DECIMAL_SUFFIX[decimal ?? '']!),
    exp2: binary !== undefined ? BINARY_SUFFIX[binary]! : 0,
    text,
  };
}

/**
 * A limit as the API server decodes it. A plain YAML integer is a number to Kubernetes, with YAML 1.1 spelling
 * (`0400` is octal, 256); anything else — `500m`, `0.5`, `1e3`, `"0400"` — is parsed as a quantity string.
 */
const asQuantity: ScalarReader<Quantity> = (scalar) => {
  const text = asString(scalar);
  if (text === undefined) return undefined;
  const integer = asInteger(scalar);
  if (integer !== undefined && Number.isSafeInteger(integer))
    return { mantissa: BigInt(integer), exp10: 0, exp2: 0, text };
  return parseQuantity(text);
};

/** `ceil(quantity × 10^scale)`: milli-CPU for scale 3 and bytes for 0, rounded up as Quantity.MilliValue/Value do. */
function scaled(quantity: Quantity, scale: number): bigint {
  const exp10 = quantity.exp10 + scale;
  let numerator = quantity.mantissa * 2n ** BigInt(quantity.exp2);
  let denominator = 1n;
  if (exp10 >= 0) numerator *= 10n ** BigInt(exp10);
  else denominator = 10n ** BigInt(-exp10);
  return numerator >= 0n ? (numerator + denominator - 1n) / denominator : numerator / denominator;
}

const RESOURCES = [
  {
    key: 'cpu',
    label: 'CPU',
    scale: 3,
    notSet: 'LimitsCPUNotSet',
    exceeded: 'LimitsCPUExceeded',
    limitKey: 'ContainerCpuLimit',
    maxKey: 'MaxCPU',
    risk: 'it can use every core of the node and slow down every other pod there',
    example: '500m',
  },
  {
    key: 'memory',
    label: 'memory',
    scale: 0,
    notSet: 'LimitsMemoryNotSet',
    exceeded: 'LimitsMemoryExceeded',
    limitKey: 'ContainerMemoryLimit',
    maxKey: 'MaxMemory',
    risk: "it can use all of the node's memory until the kernel starts killing processes of other pods",
    example: '512Mi',
  },
] as const;

/** The configured maximum in milli-CPU or bytes; undefined when there is none (kubeaudit: not greater than 0). */
function maximum(
  option: string | number | null,
  name: string,
  scale: number,
): { value: bigint; text: string } | undefined {
  if (option === null || option === '') return undefined;
  const text = String(option);
  const quantity = parseQuantity(text);
  if (!quantity)
    throw new Error(`limits option ${name} "${text}" is not a Kubernetes quantity (e.g. 500m, 1.5, 512Mi, 1G)`);
  const value = scaled(quantity, scale);
  return value > 0n ? { value, text } : undefined;
}

export const limits: WorkloadRule<Options> = {
  kind: 'workload',
  meta: {
    id: 'limits',
    profiles: ['kubeaudit'],
    kubeaudit: {
      flags: [
        { flags: '--cpu <quantity>', description: 'the largest CPU limit allowed', option: 'cpu', all: true },
        { flags: '--memory <quantity>', description: 'the largest memory limit allowed', option: 'memory', all: true },
      ],
    },
    description: 'Containers must set CPU and memory limits, at most the configured maxima.',
    codes: {
      LimitsNotSet: { severity: 'warning', description: 'The container has no resources.limits.' },
      LimitsCPUNotSet: {
        severity: 'warning',
        description: 'The container sets resources.limits but no CPU limit (or 0).',
      },
      LimitsMemoryNotSet: {
        severity: 'warning',
        description: 'The container sets resources.limits but no memory limit (or 0).',
      },
      LimitsCPUExceeded: { severity: 'warning', description: "The container's CPU limit is above the cpu option." },
      LimitsMemoryExceeded: {
        severity: 'warning',
        description: "The container's memory limit is above the memory option.",
      },
    },
    options: {
      cpu: {
        description:
          'Highest CPU limit a container may set, as a Kubernetes quantity (e.g. "750m", "2", "0.5"). Unset or 0: no maximum.',
        schema: { type: ['string', 'number', 'null'], pattern: QUANTITY_SCHEMA_PATTERN },
        default: null,
      },
      memory: {
        description:
          'Highest memory limit a container may set, as a Kubernetes quantity (e.g. "512Mi", "1G", "1e9"). Unset or 0: no maximum.',
        schema: { type: ['string', 'number', 'null'], pattern: QUANTITY_SCHEMA_PATTERN },
        default: null,
      },
    },
  },
  check({ workload, options, report }) {
    const maxima = RESOURCES.map((resource) => maximum(options[resource.key], resource.key, resource.scale));
    for (const container of workload.containers) {
      // The API server rejects resources on ephemeral containers: a finding there could never be fixed.
      if (container.role === 'ephemeralContainer') continue;
      const subject = describeContainer(container);
      const limitsPath = containerPath(container, 'resources', 'limits');
      if (!isPresent(workload, limitsPath)) {
        report({
          code: 'LimitsNotSet',
          message: `${subject} sets no resources.limits`,
          details:
            `${subject} sets no resources.limits, so it can take the node's CPU and memory from every ` +
            `other pod there. Set resources.limits.cpu and resources.limits.memory`,
          path: limitsPath,
          container,
        });
        continue;
      }
      RESOURCES.forEach((resource, index) => {
        const field = containerField(workload, container, ['resources', 'limits', resource.key], asQuantity);
        const limit = field.value;
        if (limit === undefined || limit.mantissa === 0n) {
          const problem =
            limit !== undefined
              ? `sets resources.limits.${resource.key} to ${limit.text}, which limits nothing`
              : field.present
                ? `sets resources.limits.${resource.key} to something that is not a Kubernetes quantity, which the API server rejects`
                : `sets no ${resource.label} limit (resources.limits.${resource.key})`;
          report({
            code: resource.notSet,
            message: `${subject} ${problem}`,
            details: `${subject} ${problem}; without one ${resource.risk}. Set it, e.g. ${resource.key}: ${resource.example}`,
            path: field.path,
            container,
          });
          return;
        }
        const max = maxima[index];
        if (max && scaled(limit, resource.scale) > max.value) {
          report({
            code: resource.exceeded,
            message: `${subject} has a ${resource.label} limit of ${limit.text}, above the maximum of ${max.text}`,
            details:
              `${subject} has a ${resource.label} limit of ${limit.text}, above the maximum of ` +
              `${max.text} set by the limits rule's ${resource.key} option. Lower ` +
              `resources.limits.${resource.key} to ${max.text} or less`,
            path: field.path,
            container,
            metadata: { [resource.limitKey]: limit.text, [resource.maxKey]: max.text },
          });
        }
      });
    }
  },
};
