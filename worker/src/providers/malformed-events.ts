/**
 * The rule every adapter applies to stream events it cannot read: one malformed event in an
 * otherwise valid stream is skipped (a proxy or provider glitch should not cost the whole answer),
 * reported through `onSkipped`; a second one in a row means the stream itself is broken, and fails.
 * A stream that loses its `finish` this way still fails (it never finished).
 */
export class MalformedEvents {
  private previousMalformed = false;

  constructor(private readonly onSkipped: (() => void) | undefined) {}

  /** An event was read: the next malformed one may be skipped again. */
  read(): void {
    this.previousMalformed = false;
  }

  /** An event could not be read: true when it may be skipped, false when the stream must fail. */
  skip(): boolean {
    if (this.previousMalformed) return false;
    this.previousMalformed = true;
    this.onSkipped?.();
    return true;
  }
}
