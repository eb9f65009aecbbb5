import type { ResourceSetRule, WorkloadRule } from '../engine/types.js';

/**
 * What a plugin module exports as its default: a name and rules. `.kubemend.yaml` loads it with
 * `plugins: ["./policies/registries.mjs"]`; each rule runs as `<name>/<meta.id>`, in every profile, and takes its
 * options, severity and codes from the config like a built-in rule. `meta.docs` is its help (SARIF, explain).
 */
export interface Plugin {
  /** Lowercase letters, digits and dashes: the prefix of the plugin's rule ids. */
  name: string;
  // The rules' option types are the plugin's own; the config checks options against each rule's JSON Schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rules: readonly (WorkloadRule<any> | ResourceSetRule<any, any>)[];
}
