/*
 * `until` dates are calendar days, YYYY-MM-DD. A suppression applies through its `until` day and expires the day
 * after. "Today" is the UTC date, so a CI runner and a laptop agree; callers (tests, KUBEMEND_TODAY) may fix it.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real day written YYYY-MM-DD (2027-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Both dates are YYYY-MM-DD, which order as strings. */
export function hasExpired(until: string, today: string): boolean {
  return until < today;
}
