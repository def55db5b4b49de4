/**
 * Views of a buffer's first `length` bytes, each made once: a Buffer view is a typed-array
 * allocation (about 2% of a server's CPU per request when made for every read and every
 * reply), and a server hands the socket the same few lengths request after request.
 */
export class PrefixViews {
  /** Indexed by length; filled up front so that the array stays a plain one, not a sparse one. */
  private views: Array<Buffer | undefined>;

  /** Lengths up to `cachedUpTo` keep their view; longer ones get a fresh one each time. */
  constructor(
    private buffer: Buffer,
    private readonly cachedUpTo: number,
  ) {
    this.views = this.emptyTable();
  }

  /** The first `length` bytes of the buffer. */
  of(length: number): Buffer {
    if (length > this.cachedUpTo) return this.buffer.subarray(0, length);
    let view = this.views[length];
    if (view === undefined) {
      view = this.buffer.subarray(0, length);
      this.views[length] = view;
    }
    return view;
  }

  /** Views from now on are of `buffer`; the old ones are forgotten. */
  reset(buffer: Buffer): void {
    this.buffer = buffer;
    this.views = this.emptyTable();
  }

  private emptyTable(): Array<Buffer | undefined> {
    return new Array<Buffer | undefined>(this.cachedUpTo + 1).fill(undefined);
  }
}
