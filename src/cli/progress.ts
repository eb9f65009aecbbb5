import type { CliIo } from './io.js';
import { plural } from '../report/words.js';

/** How far a lint run has come: files read of those to read, and findings so far. */
export interface LintProgress {
  done: number;
  total: number;
  findings: number;
}

/** Runs shorter than this show nothing: a progress line that flickers past helps nobody. */
const DELAY_MS = 1000;
/** At most this often, so a fast run does not spend its time drawing. */
const INTERVAL_MS = 100;

type Renderer = ((text: string) => void) & { clear(): void; done(): void };

/** `CI=true` (any CI service sets it): a log never shows a line rewritten in place, whatever the runner pretends. */
function inCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * A line on stderr, rewritten in place, for runs that last: shown after about a second, on a terminal only, never
 * in CI, cleared when the run ends. log-update draws it (it fits the line to the terminal's width); it is imported
 * only once a run has lasted a second (~150 ms), so short runs, such as a pre-commit hook's, never pay for it.
 */
export class ProgressLine {
  private readonly started = performance.now();
  private drawnAt = 0;
  private renderer: Renderer | undefined;

  private constructor(private readonly stream: CliIo['stderr']) {}

  /** A progress line when `wanted` (not `--no-progress`), stderr is a terminal and this is not a CI run. */
  static for(io: CliIo, wanted: boolean): ProgressLine | undefined {
    return wanted && io.stderr.isTTY === true && !inCi(io.env) ? new ProgressLine(io.stderr) : undefined;
  }

  async update({ done, total, findings }: LintProgress): Promise<void> {
    const now = performance.now();
    if (now - this.started < DELAY_MS || now - this.drawnAt < INTERVAL_MS) return;
    this.drawnAt = now;
    this.renderer ??= (await import('log-update')).createLogUpdate(this.stream, { showCursor: true });
    this.renderer(`kubemend: ${done}/${plural(total, 'file')} linted, ${plural(findings, 'finding')} so far`);
  }

  /** Clears the line, so the report (or the next prompt) starts where the line was. */
  finish(): void {
    this.renderer?.clear();
    this.renderer?.done();
  }
}
