/*
 * "Did you mean …?" for names a person typed: config keys, rule ids and codes, profiles, commands. One place, so
 * every typo gets the same help.
 */

/** Levenshtein distance, ignoring case: `privilegd` is 1 from `privileged`. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      const same = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase();
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (same ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * The candidate closest to `typed`, when it is close enough to be a typo of it (a third of its letters wrong, at
 * least 2) or starts with it; undefined when nothing is.
 */
export function closestMatch(typed: string, candidates: Iterable<string>): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate);
    const close = distance <= Math.max(2, Math.floor(typed.length / 3));
    if (!close && !candidate.toLowerCase().startsWith(typed.toLowerCase())) continue;
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best?.candidate;
}

/** `; did you mean privileged?`, or nothing when no candidate is close. */
export function didYouMean(typed: string, candidates: Iterable<string>): string {
  const closest = closestMatch(typed, candidates);
  return closest === undefined ? '' : `; did you mean ${closest}?`;
}
