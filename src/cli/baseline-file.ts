import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/resolve.js';
import {
  Baseline,
  BASELINE_FILE_NAME,
  parseBaseline,
  serializeBaseline,
  type BaselineEntry,
} from '../engine/suppress/baseline.js';
import { writeFileAtomic } from '../fix/index.js';
import type { BaselineSummary } from '../report/index.js';
import type { CliSession } from './io.js';
import { usageError } from './shared.js';

export interface BaselineFlags {
  baseline?: boolean;
  writeBaseline?: boolean;
  baselineFile?: string;
}

function total(entries: readonly BaselineEntry[]): number {
  return entries.reduce((sum, entry) => sum + entry.count, 0);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The baseline of one lint: read before it (for --baseline, or to keep the entries of files not linted when it is
 * written again), matched by the engine, then written (--write-baseline) and summed up for the report.
 */
export class BaselineRun {
  private constructor(
    private readonly file: string,
    private readonly display: string,
    readonly baseline: Baseline,
    private readonly writing: boolean,
  ) {}

  /** The run's baseline, or undefined when neither the flags nor the config ask for one. */
  static async open(
    session: CliSession,
    config: Pick<ResolvedConfig, 'baseline'>,
    flags: BaselineFlags,
  ): Promise<BaselineRun | undefined> {
    const writing = flags.writeBaseline === true;
    if (!writing && !flags.baseline && flags.baselineFile === undefined && config.baseline === undefined)
      return undefined;
    const { cwd } = session.io;
    const file =
      flags.baselineFile !== undefined
        ? path.resolve(cwd, flags.baselineFile)
        : (config.baseline ?? path.resolve(cwd, BASELINE_FILE_NAME));
    const display = path.relative(cwd, file) || file;
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw usageError(`cannot read the baseline ${display}: ${(error as Error).message}`);
      if (!writing) throw usageError(`no baseline file ${display}: create it with kubemend --write-baseline <paths>`);
    }
    let entries: BaselineEntry[] = [];
    try {
      if (text !== undefined) entries = await parseBaseline(text);
    } catch (error) {
      const advice = writing
        ? 'fix it, or delete it and write it again'
        : 'fix it, or write it again with --write-baseline';
      throw usageError(`${display}: ${(error as Error).message}; ${advice}`);
    }
    const baseline = new Baseline(entries, { dir: path.dirname(file), name: display, record: writing });
    return new BaselineRun(file, display, baseline, writing);
  }

  /** After the lint: writes the file when asked, and says what the baseline accepted. */
  async finish(session: CliSession): Promise<BaselineSummary> {
    const outcome = this.baseline.outcome();
    const stale = total(outcome.stale);
    if (this.writing) {
      const entries = [...outcome.current, ...outcome.unchecked];
      try {
        mkdirSync(path.dirname(this.file), { recursive: true });
        await writeFileAtomic(this.file, serializeBaseline(entries));
      } catch (error) {
        throw usageError(`cannot write the baseline ${this.display}: ${(error as Error).message}`);
      }
      const dropped =
        stale > 0 ? `; ${plural(stale, 'finding')} no longer found ${stale === 1 ? 'was' : 'were'} dropped` : '';
      session.say(`wrote ${this.display}: ${plural(total(entries), 'finding')} accepted${dropped}`);
    }
    return { file: this.display, matched: outcome.matched, new: outcome.new, stale };
  }
}
