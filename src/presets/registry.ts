import { apparmor } from '../../rules/apparmor/rule.js';
import { asat } from '../../rules/asat/rule.js';
import { capabilities } from '../../rules/capabilities/rule.js';
import { deprecatedapis } from '../../rules/deprecatedapis/rule.js';
import { hostns } from '../../rules/hostns/rule.js';
import { image } from '../../rules/image/rule.js';
import { limits } from '../../rules/limits/rule.js';
import { mounts } from '../../rules/mounts/rule.js';
import { netpols } from '../../rules/netpols/rule.js';
import { nonroot } from '../../rules/nonroot/rule.js';
import { privesc } from '../../rules/privesc/rule.js';
import { privileged } from '../../rules/privileged/rule.js';
import { pssAllowPrivilegeEscalation } from '../../rules/pss/allowPrivilegeEscalation/rule.js';
import { pssAppArmorProfile } from '../../rules/pss/appArmorProfile/rule.js';
import { pssCapabilities } from '../../rules/pss/capabilities/rule.js';
import { pssHostNamespaces } from '../../rules/pss/hostNamespaces/rule.js';
import { pssHostPathVolumes } from '../../rules/pss/hostPathVolumes/rule.js';
import { pssHostPorts } from '../../rules/pss/hostPorts/rule.js';
import { pssHostProbesAndHostLifecycle } from '../../rules/pss/hostProbesAndHostLifecycle/rule.js';
import { pssPrivileged } from '../../rules/pss/privileged/rule.js';
import { pssProcMount } from '../../rules/pss/procMount/rule.js';
import { pssRestrictedVolumes } from '../../rules/pss/restrictedVolumes/rule.js';
import { pssRunAsNonRoot } from '../../rules/pss/runAsNonRoot/rule.js';
import { pssRunAsUser } from '../../rules/pss/runAsUser/rule.js';
import { pssSeccompProfile } from '../../rules/pss/seccompProfile/rule.js';
import { pssSELinuxOptions } from '../../rules/pss/seLinuxOptions/rule.js';
import { pssSysctls } from '../../rules/pss/sysctls/rule.js';
import { pssWindowsHostProcess } from '../../rules/pss/windowsHostProcess/rule.js';
import { rootfs } from '../../rules/rootfs/rule.js';
import { seccomp } from '../../rules/seccomp/rule.js';
import { suppressions } from '../../rules/suppressions/rule.js';
import type { Rule } from '../engine/types.js';

/** kubeaudit's rules: the default profile (`kubeaudit`), and what runs when no profile is chosen. */
export const RULES: readonly Rule[] = [
  apparmor,
  asat,
  capabilities,
  deprecatedapis,
  hostns,
  image,
  limits,
  mounts,
  netpols,
  nonroot,
  privesc,
  privileged,
  rootfs,
  seccomp,
];

/** The Pod Security Standards controls, one rule each (`pss/<control>`), in the standard's order; see src/rule-api/pss-rule.ts. */
export const PSS_RULES: readonly Rule[] = [
  pssWindowsHostProcess,
  pssHostNamespaces,
  pssPrivileged,
  pssCapabilities,
  pssHostPathVolumes,
  pssHostPorts,
  pssAppArmorProfile,
  pssSELinuxOptions,
  pssProcMount,
  pssSeccompProfile,
  pssSysctls,
  pssHostProbesAndHostLifecycle,
  pssRestrictedVolumes,
  pssAllowPrivilegeEscalation,
  pssRunAsNonRoot,
  pssRunAsUser,
];

/** Rules whose findings the engine reports itself, in every profile: `suppressions` (src/engine/suppress/). */
export const ENGINE_RULES: readonly Rule[] = [suppressions];

/** Every rule kubemend has, listed by hand: no directory scanning at start-up. Profiles choose among them. */
export const ALL_RULES: readonly Rule[] = [...RULES, ...PSS_RULES, ...ENGINE_RULES];

export function findRule(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.meta.id === id);
}
