import { createHash } from 'node:crypto';

/*
 * GitHub code scanning tells alerts apart by `partialFingerprints.primaryLocationLineHash`. Its upload action
 * (github/codeql-action, src/fingerprints.ts) fills that value in from the file when it is absent, and logs a warning
 * for every result whose value differs from its own. So kubemend computes it the same way: a rolling hash
 * (multiplier 37, modulo 2^64) over the 100 characters that start at the line, not counting spaces and tabs, with CR
 * and CRLF read as LF, a 65535 sentinel at the end of the file and zeros after it; the value is `<hex>:<n>`, where n
 * counts the lines so far, this one included, that hash to the same hex.
 *
 * The 64-bit state is kept in two 32-bit halves as plain numbers: every intermediate product stays below 2^53, so
 * the arithmetic is exact and much faster than BigInt on large files.
 */

const BLOCK_SIZE = 100;
const TWO_32 = 2 ** 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const END_OF_FILE = 65535;

/** 37^100 mod 2^64 as [high, low] 32-bit halves: the weight of the character that leaves the window. */
const FIRST_MOD = (() => {
  let value = 1n;
  for (let i = 0; i < BLOCK_SIZE; i++) value = BigInt.asUintN(64, value * 37n);
  return [Number(value >> 32n), Number(value & 0xffffffffn)] as const;
})();

/**
 * upload-sarif's `primaryLocationLineHash` for each of `lines` (1-based, counted as upload-sarif counts them) in
 * `text`, the file decoded as UTF-8 with any BOM kept. Stops once the last wanted line is hashed.
 */
export function lineHashes(text: string, lines: Iterable<number>): Map<number, string> {
  const wanted = new Set(lines);
  const found = new Map<number, string>();
  if (wanted.size === 0) return found;
  let lastWanted = 0;
  for (const line of wanted) lastWanted = Math.max(lastWanted, line);
  const window = new Uint16Array(BLOCK_SIZE);
  const lineAt = new Int32Array(BLOCK_SIZE).fill(-1);
  /** How many lines so far hashed to each value, by high then low half (numbers, not hex: this runs for every line). */
  const counts = new Map<number, Map<number, number>>();
  const [modHigh, modLow] = FIRST_MOD;
  let high = 0;
  let low = 0;
  let index = 0;
  let lineNumber = 0;
  let lineStart = true;
  let previousCR = false;

  /** Counts the hash of the line that started BLOCK_SIZE characters ago; true once nothing more is wanted. */
  const emit = (): boolean => {
    let byLow = counts.get(high);
    if (!byLow) counts.set(high, (byLow = new Map()));
    const count = (byLow.get(low) ?? 0) + 1;
    byLow.set(low, count);
    const line = lineAt[index]!;
    lineAt[index] = -1;
    if (wanted.has(line))
      found.set(
        line,
        `${high === 0 ? low.toString(16) : high.toString(16) + low.toString(16).padStart(8, '0')}:${count}`,
      );
    return line >= lastWanted;
  };

  const update = (current: number): void => {
    const leaving = window[index]!;
    window[index] = current;
    const lowSum = low * 37 + current - modLow * leaving;
    const carry = Math.floor(lowSum / TWO_32);
    low = lowSum - carry * TWO_32;
    const highSum = high * 37 + carry - modHigh * leaving;
    high = highSum - Math.floor(highSum / TWO_32) * TWO_32;
    if (++index === BLOCK_SIZE) index = 0;
  };

  for (let i = 0; i <= text.length; i++) {
    let current = i === text.length ? END_OF_FILE : text.charCodeAt(i);
    if (current === SPACE || current === TAB || (previousCR && current === LF)) {
      previousCR = false;
      continue;
    }
    previousCR = current === CR;
    if (current === CR) current = LF;
    if (lineAt[index] !== -1 && emit()) return found;
    if (lineStart) {
      lineStart = false;
      lineNumber++;
      lineAt[index] = lineNumber;
    }
    if (current === LF) lineStart = true;
    update(current);
  }
  for (let i = 0; i < BLOCK_SIZE; i++) {
    if (lineAt[index] !== -1 && emit()) return found;
    update(0);
  }
  return found;
}

/** A short, stable digest of identity parts (file, resource, container, code), independent of line numbers. */
export function identityDigest(parts: readonly (string | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}
