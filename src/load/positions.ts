/** A 1-based span as editors, SARIF and GitHub annotations expect; columns count UTF-16 code units. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Maps string offsets to 1-based lines and columns. A leading BOM is not a column anyone sees. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];
  private readonly bomLength: number;

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.bomLength = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    const column = offset - this.lineStarts[low]! + 1 - (low === 0 ? this.bomLength : 0);
    return { line: low + 1, column: Math.max(column, 1) };
  }

  span(start: number, end: number): Span {
    const from = this.position(start);
    const to = this.position(Math.max(end, start));
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }
}
