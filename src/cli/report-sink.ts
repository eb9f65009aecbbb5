import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { cannotWriteReport } from './shared.js';

/**
 * Where a report written as it comes goes: `stream`, or the file -o names. The file is written beside its place and
 * moved there once the report is whole, so a run that fails half-way leaves neither half a report nor a stale one.
 */
export class ReportSink {
  private constructor(
    private readonly stream: Writable | undefined,
    private readonly file: { target: string; temporary: string; fd: number } | undefined,
  ) {}

  static open(file: string | undefined, stream: Writable): ReportSink {
    if (file === undefined || file === '-') return new ReportSink(stream, undefined);
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.kubemend-tmp`);
    try {
      return new ReportSink(undefined, { target: file, temporary, fd: openSync(temporary, 'w') });
    } catch (error) {
      throw cannotWriteReport(file, error);
    }
  }

  /** Waits while a slow reader (a pipe on some systems) has not taken what was written: nothing piles up here. */
  async write(text: string): Promise<void> {
    if (text === '') return;
    if (this.file) writeSync(this.file.fd, text);
    else if (!this.stream!.write(text)) await once(this.stream!, 'drain');
  }

  close(): void {
    if (!this.file) return;
    closeSync(this.file.fd);
    try {
      renameSync(this.file.temporary, this.file.target);
    } catch (error) {
      rmSync(this.file.temporary, { force: true });
      throw cannotWriteReport(this.file.target, error);
    }
  }

  /** A run that stopped: the report is not written. */
  abandon(): void {
    if (!this.file) return;
    closeSync(this.file.fd);
    rmSync(this.file.temporary, { force: true });
  }
}
