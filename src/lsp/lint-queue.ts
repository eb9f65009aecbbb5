/**
 * When each document is linted: after a pause in typing (debounced), at most one lint per document at a time,
 * and one more if the document changed while its lint ran. Lints of different documents may overlap.
 */
export class LintQueue {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();

  constructor(
    private readonly lint: (uri: string) => Promise<void>,
    private readonly delayMs: number,
  ) {}

  /** Lints once typing pauses for the delay. */
  soon(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => this.now(uri), this.delayMs),
    );
  }

  now(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    if (this.running.has(uri)) {
      this.again.add(uri);
      return;
    }
    this.running.add(uri);
    void this.lint(uri).finally(() => {
      this.running.delete(uri);
      if (this.again.delete(uri)) this.now(uri);
    });
  }

  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.again.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.again.clear();
  }
}
