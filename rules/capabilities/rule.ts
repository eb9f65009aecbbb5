import {
  asString,
  containerPath,
  describeContainer,
  isPresent,
  readList,
  type Patch,
  type WorkloadRule,
} from '../../src/rule-api/index.js';

interface Options {
  allowAddList: string[];
}

const ALL = 'ALL';

/** `ALL` is a keyword, not a capability name: container runtimes (containerd, CRI-O) accept it in any case. */
function isAll(capability: string): boolean {
  return capability.toUpperCase() === ALL;
}

/** kubeaudit's per-capability override identifier: `NET_ADMIN` → `allow-capability-net-admin`. */
function overrideFor(capability: string): string {
  return `allow-capability-${capability.toLowerCase().replace(/_/g, '-')}`;
}

function isAllowed(capability: string, allowAddList: readonly string[]): boolean {
  return allowAddList.some((allowed) => allowed === capability || (isAll(allowed) && isAll(capability)));
}

export const capabilities: WorkloadRule<Options> = {
  kind: 'workload',
  meta: {
    id: 'capabilities',
    profiles: ['kubeaudit'],
    kubeaudit: {
      aliases: ['caps'],
      flags: [
        {
          flags: '--allow-add-list <caps>',
          description: 'comma-separated capabilities that may be added',
          option: 'allowAddList',
          all: true,
        },
      ],
      unreadOptions: {
        add:
          'kubeaudit never read this key and neither does kubemend; capabilities a container may add go in ' +
          'auditors.capabilities.allowAddList',
        drop:
          'kubeaudit never read this key and neither does kubemend; the capabilities rule always expects ' +
          'drop: [ALL]',
      },
    },
    description: 'Containers must drop all Linux capabilities and add back none but those allowed.',
    codes: {
      CapabilityOrSecurityContextMissing: {
        severity: 'error',
        description:
          "The container has no securityContext.capabilities, so it keeps the runtime's default capabilities.",
        fixable: true,
        linuxOnly: true,
      },
      CapabilityShouldDropAll: {
        severity: 'error',
        description: "The container's securityContext.capabilities.drop does not contain ALL.",
        fixable: true,
        linuxOnly: true,
      },
      CapabilityAdded: {
        severity: 'error',
        description:
          'The container adds a capability that is neither in allowAddList nor allowed by an override label.',
        fixable: true,
      },
    },
    options: {
      allowAddList: {
        description:
          'Capabilities a container may add without a finding, e.g. ["NET_BIND_SERVICE"]. Names are compared exactly, except ALL, which matches in any case.',
        schema: { type: 'array', items: { type: 'string' } },
        default: [],
      },
    },
  },
  check({ workload, options, report, reportRedundantOverride }) {
    for (const container of workload.containers) {
      const subject = describeContainer(container);
      const capabilitiesPath = containerPath(container, 'securityContext', 'capabilities');
      const dropPath = [...capabilitiesPath, 'drop'];
      const addPath = [...capabilitiesPath, 'add'];
      const dropAll: Patch[] = [{ op: 'set', path: dropPath, value: [ALL] }];

      if (!isPresent(workload, capabilitiesPath)) {
        report({
          code: 'CapabilityOrSecurityContextMissing',
          message: `${subject} does not drop any capabilities`,
          details:
            `${subject} does not set securityContext.capabilities, so it keeps the container runtime's ` +
            `default capabilities (such as NET_RAW, which allows spoofing packets). Set ` +
            `securityContext.capabilities.drop to [ALL] and add back only what it needs`,
          path: capabilitiesPath,
          container,
          patches: dropAll,
        });
        // kubeaudit audits such a container as if it dropped ALL, so a label allowing ALL is redundant.
        if (!isAllowed(ALL, options.allowAddList)) reportRedundantOverride(overrideFor(ALL), container);
        continue;
      }

      const dropped = readList(workload, dropPath, asString) ?? [];
      if (!dropped.some((item) => isAll(item.value))) {
        report({
          code: 'CapabilityShouldDropAll',
          message: `${subject} does not drop ALL capabilities`,
          details:
            `${subject} does not drop ALL capabilities, so it keeps every default capability it does ` +
            `not list. Set securityContext.capabilities.drop to [ALL] and add back only what it needs`,
          path: dropPath,
          container,
          patches: dropAll,
        });
      }

      const reported = new Set<string>();
      for (const { value: capability, path } of readList(workload, addPath, asString) ?? []) {
        if (reported.has(capability) || isAllowed(capability, options.allowAddList)) continue;
        reported.add(capability);
        const override = overrideFor(capability);
        report({
          code: 'CapabilityAdded',
          message: `${subject} adds capability ${capability}`,
          details:
            `${subject} adds capability ${capability}. Remove it from ` +
            `securityContext.capabilities.add, or if the container really needs it, record why with ` +
            `the label container.kubeaudit.io/${container.name ?? '<container>'}.${override}: "<reason>"`,
          path,
          container,
          override,
          metadata: { Metadata: capability },
          patches: [{ op: 'removeFromList', path: addPath, value: capability }],
        });
      }
    }
  },
};
