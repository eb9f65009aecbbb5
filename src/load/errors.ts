/** An error in a manifest that a person can find: a message and a 1-based line and column. */
export class LocatedError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}
