// What every formatter is given, apart from the results: its own module, so that the formatters and the
// format table (index.ts) that loads them do not import each other.
import type { FileResult, Rule } from '../engine/types.js';
import type { SourceOf } from '../fix/index.js';
import type { PackageInfo } from '../package-info.js';
import type { Palette } from './colors.js';

/** What the baseline did in this run (--baseline, --write-baseline): counts of findings. */
export interface BaselineSummary {
  /** The baseline file, as the user knows it. */
  file: string;
  matched: number;
  new: number;
  /** Findings the baseline lists that no longer occur (in the files linted, or in files that are gone). */
  stale: number;
}

/** What a formatter may need besides the results; each format reads only its own fields. */
export interface ReportContext {
  rules: readonly Rule[];
  palette: Palette;
  /** Present when a baseline was used or written. */
  baseline?: BaselineSummary;
  /** SARIF: write overridden and suppressed findings with `suppressions` instead of leaving them out. */
  sarifIncludeSuppressed?: boolean;
  /** SARIF: `automationDetails.id` is `<category>/`. */
  sarifCategory?: string;
  /**
   * The text of each linted file as the linter read it (SARIF: line hashes and fixes); formatters read nothing
   * from disk. Undefined for standard input.
   */
  sources?: SourceOf;
  /** SARIF: what it says about kubemend and where the repository is (see readSarifEnvironment). */
  sarif?: SarifEnvironment;
  /** Where a formatter's warnings go (e.g. SARIF over GitHub's limits); reporters never print. */
  warn?: (message: string) => void;
}

export type Formatter = (results: readonly FileResult[], context: ReportContext) => string | Promise<string>;

/**
 * What the SARIF formatter needs from the machine, read by its caller so that the formatter reads nothing itself:
 * GitHub matches paths against the repository root, not the folder kubemend ran in.
 */
export interface SarifEnvironment {
  cwd: string;
  repositoryRoot: string;
  /** A file's path with symlinks resolved (code scanning cannot place a result on a path that is a symlink). */
  realPath: (file: string) => string;
  product: PackageInfo;
  /** Every built-in rule's README, by rule id. */
  ruleDocs: Readonly<Record<string, string>>;
}
