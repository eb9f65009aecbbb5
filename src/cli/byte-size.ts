import { Option } from 'commander';
import { DEFAULT_MAX_FILE_SIZE, formatSize } from '../load/read.js';
import { EXIT_TROUBLE, usageError } from './shared.js';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Bytes, or a number with K, M or G for KiB, MiB, GiB: `64M`, `64MiB` and `64MB` are all 64 × 2^20. */
export function parseByteSize(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(value);
  const bytes = match ? Math.floor(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!) : NaN;
  return Number.isSafeInteger(bytes) && bytes >= 1 ? bytes : undefined;
}

/** `--max-file-size <size>`; a bad size is a usage error with `exitCode`. */
export function maxFileSizeOption(exitCode = EXIT_TROUBLE): Option {
  return new Option(
    '--max-file-size <size>',
    `refuse files larger than this: bytes, or K, M, G as in 64M (default ${formatSize(DEFAULT_MAX_FILE_SIZE)})`,
  ).argParser((value) => {
    const bytes = parseByteSize(value);
    if (bytes === undefined)
      throw usageError(`--max-file-size needs a size such as 1048576, 512K or 64M, got "${value}"`, exitCode);
    return bytes;
  });
}
