/*
 * The `suppressions` rule's id and codes. The engine reports them (only it sees every suppression and what each
 * one accepted); rules/suppressions declares them with their severities and README, like any rule.
 */
export const SUPPRESSIONS_RULE_ID = 'suppressions';

/** A comment or annotation that does not apply: no reason, an unknown name, a malformed date, a forbidden name. */
export const SUPPRESSION_INVALID = 'SuppressionInvalid';
/** A comment or annotation whose `until` date has passed: it no longer applies. */
export const SUPPRESSION_EXPIRED = 'SuppressionExpired';
/** A comment or annotation that suppresses nothing. */
export const SUPPRESSION_UNUSED = 'SuppressionUnused';

export const SUPPRESSION_CODES = [SUPPRESSION_INVALID, SUPPRESSION_EXPIRED, SUPPRESSION_UNUSED] as const;
