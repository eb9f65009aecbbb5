/**
 * Orders texts (codes, rule ids, container names, paths) by their UTF-16 code units. Not `localeCompare`: its first call
 * loads ICU's collation data (~11 ms, a tenth of a one-file lint), and its order follows the user's locale, so the
 * same files could be reported in another order on another machine.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
