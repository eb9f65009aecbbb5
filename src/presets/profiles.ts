import type { LintOptions } from '../engine/run.js';
import type { PodSecuritySelection, ProfileName, Rule } from '../engine/types.js';
import { describePssVersions, parsePssVersion } from '../rule-api/pss-versions.js';

/*
 * A profile is a set of rules: each built-in rule names its profiles in `meta.profiles`; a rule without the list (a
 * plugin's) runs in every profile, and so do the engine's own rules. The pss profiles also tell the Pod Security
 * Standards rules which level and version to check (LintOptions.podSecurity).
 */

export const PROFILES = ['kubeaudit', 'pss-baseline', 'pss-restricted', 'auto'] as const;
export type Profile = (typeof PROFILES)[number];

export interface ProfileChoice {
  profile?: Profile;
  /** `latest` or `v1.<minor>`. */
  pssVersion?: string;
}

/** `auto` checks each workload at its Namespace's level: it needs every control pss-restricted has. */
function membershipOf(profile: Profile): ProfileName {
  return profile === 'auto' ? 'pss-restricted' : profile;
}

export function inProfile(rule: Rule, profile: Profile): boolean {
  if (rule.kind === 'engine' || rule.meta.profiles === undefined) return true;
  return rule.meta.profiles.includes(membershipOf(profile));
}

/**
 * The rules a profile runs, among `rules`, and what the pss rules check. `kubeaudit` runs kubeaudit's rules;
 * `pss-baseline` the controls of baseline; `pss-restricted` and `auto` every control, at restricted or at each
 * workload's namespace's level.
 */
export function selectProfile(
  rules: readonly Rule[],
  choice: ProfileChoice = {},
): Required<Pick<LintOptions, 'rules' | 'podSecurity'>> {
  const profile = choice.profile ?? 'kubeaudit';
  const minor = parsePssVersion(choice.pssVersion ?? 'latest');
  if (minor === undefined)
    throw new Error(`unknown Pod Security Standards version "${choice.pssVersion}": use ${describePssVersions()}`);
  const level: PodSecuritySelection['level'] =
    profile === 'pss-baseline' ? 'baseline' : profile === 'auto' ? 'auto' : 'restricted';
  return { rules: rules.filter((rule) => inProfile(rule, profile)), podSecurity: { level, minor } };
}

/** What applyProfile needs of a resolved config (src/config/resolve.ts). */
interface ProfiledConfig {
  rules: Rule[];
  /** Every rule the config leaves on, whatever the profile. */
  enabledRules: Rule[];
  lintOptions: LintOptions;
  profile: ProfileChoice;
}

/** The config with the profile the command line chose (or the config file's): its rules and what they check. */
export function applyProfile<C extends ProfiledConfig>(config: C, cli: ProfileChoice): C {
  const profile: ProfileChoice = {
    profile: cli.profile ?? config.profile.profile ?? 'kubeaudit',
    pssVersion: cli.pssVersion ?? config.profile.pssVersion ?? 'latest',
  };
  const { rules, podSecurity } = selectProfile(config.enabledRules, profile);
  return { ...config, profile, rules, lintOptions: { ...config.lintOptions, rules, podSecurity } };
}

/** Why a rule named with `--rule` does not run. */
export function whyNotRun(config: ProfiledConfig, rule: Rule): string {
  if (!config.enabledRules.includes(rule)) return 'the config turns this rule off';
  return `the ${config.profile.profile ?? 'kubeaudit'} profile does not include it (choose the profile with --profile)`;
}
