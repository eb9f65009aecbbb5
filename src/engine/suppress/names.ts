import { closestMatch } from '../did-you-mean.js';
import { REDUNDANT_OVERRIDE_CODE } from '../overrides.js';
import type { Finding, Rule } from '../types.js';
import { SUPPRESSIONS_RULE_ID } from './codes.js';

/** Whether a suppression naming `name` (a rule id or a code) covers `finding`. */
export function namesFinding(name: string, finding: Finding): boolean {
  return finding.rule === name || finding.code === name;
}

/**
 * The rule ids and codes a suppression may name. A name is known when any rule kubemend has declares it, so a
 * comment for a rule another profile runs is not an error; it counts as unused only when its rule ran.
 */
export class NameBook {
  /** Rule id of every known name (a rule's id maps to itself). */
  private readonly ruleOf = new Map<string, string>();
  private readonly running = new Set<string>();

  constructor(known: readonly Rule[], running: readonly Rule[]) {
    for (const rule of [...known, ...running]) {
      this.ruleOf.set(rule.meta.id, rule.meta.id);
      for (const code of Object.keys(rule.meta.codes)) this.ruleOf.set(code, rule.meta.id);
    }
    for (const rule of running) this.running.add(rule.meta.id);
    if (running.some((rule) => rule.kind !== 'engine')) this.running.add(REDUNDANT_OVERRIDE_CODE);
  }

  isKnown(name: string): boolean {
    return name === REDUNDANT_OVERRIDE_CODE || this.ruleOf.has(name);
  }

  suggest(name: string): string | undefined {
    return closestMatch(name, [...this.ruleOf.keys(), REDUNDANT_OVERRIDE_CODE]);
  }

  /** Whether findings of `name` could have been reported in this run. */
  runs(name: string): boolean {
    return this.running.has(name) || this.running.has(this.ruleOf.get(name) ?? '');
  }

  /** The `suppressions` rule's own findings are governance: only the config may turn them off. */
  isSuppressionsRule(name: string): boolean {
    return this.ruleOf.get(name) === SUPPRESSIONS_RULE_ID;
  }

  /** Whether `name`, or the rule it is a code of, is in `list`. */
  isListed(name: string, list: ReadonlySet<string>): boolean {
    return list.has(name) || list.has(this.ruleOf.get(name) ?? '');
  }
}
