import { availableParallelism } from 'node:os';
import { Option } from 'commander';
import { parseByteSize } from './byte-size.js';
import { usageError } from './shared.js';

/** `--jobs <n>`: threads for a large lint; the machine's cores when not given. */
export function jobsOption(): Option {
  return new Option(
    '--jobs <n>',
    'lint large inputs (a few MB and more) with n threads, the output the same as with one (default: one per core)',
  ).argParser((value) => {
    const jobs = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(jobs) || jobs < 1)
      throw usageError(`--jobs needs a number of threads (1 or more), got "${value}"`);
    return jobs;
  });
}

/** `--jobs-threshold <size>`: from how many bytes of input threads start; for tests and benchmarks, so not in --help. */
export function jobsThresholdOption(): Option {
  return new Option('--jobs-threshold <size>')
    .argParser((value) => {
      const bytes = parseByteSize(value);
      if (bytes === undefined) throw usageError(`--jobs-threshold needs a size such as 4M, got "${value}"`);
      return bytes;
    })
    .hideHelp();
}

export function defaultJobs(): number {
  return availableParallelism();
}
