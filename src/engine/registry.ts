import { hostns } from '../../rules/hostns/rule.js';
import { privileged } from '../../rules/privileged/rule.js';
import type { Rule } from './types.js';

/** Every rule kubemend has, listed by hand: no directory scanning at start-up. */
export const RULES: readonly Rule[] = [hostns, privileged];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
