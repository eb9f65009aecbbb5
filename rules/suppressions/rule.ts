import {
  SUPPRESSION_EXPIRED,
  SUPPRESSION_INVALID,
  SUPPRESSION_UNUSED,
  SUPPRESSIONS_RULE_ID,
  type EngineRule,
} from '../../src/rule-api/index.js';

/** Findings about suppression comments and annotations; the engine's suppression layer reports them. */
export const suppressions: EngineRule = {
  kind: 'engine',
  meta: {
    id: SUPPRESSIONS_RULE_ID,
    description: 'Suppression comments and annotations must be valid, current and needed.',
    codes: {
      [SUPPRESSION_INVALID]: {
        severity: 'error',
        description:
          'A kubemend-disable comment or ignore.kubemend.io annotation does not apply: no reason, an ' +
          'unknown rule or code, a malformed date, or a name the policy keeps unsuppressible.',
      },
      [SUPPRESSION_EXPIRED]: {
        severity: 'warning',
        description: "A suppression's until= date has passed, so it no longer applies.",
      },
      [SUPPRESSION_UNUSED]: {
        severity: 'warning',
        description: 'A suppression (or a kubemend-enable) suppresses nothing.',
      },
    },
  },
};
