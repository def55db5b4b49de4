const MIN_CAPACITY = 8;

/**
 * The list behind Redis lists: a growable ring buffer. Push and pop at both ends are O(1)
 * amortized, index get/set O(1) (Redis's quicklist is O(n/chunk) there); insert and remove in
 * the middle shift elements, O(n) like Redis. The buffer halves once three-quarters empty.
 * Methods follow the list commands' semantics so the engine only translates arguments.
 */
export class QuickList<T = string> implements Iterable<T> {
  private slots: Array<T | undefined>;
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 8) {
    this.slots = new Array<T | undefined>(Math.max(2, initialCapacity));
  }

  static from<T>(values: Iterable<T>): QuickList<T> {
    const list = new QuickList<T>();
    for (const value of values) list.pushTail(value);
    return list;
  }

  get length(): number {
    return this.count;
  }

  private slot(index: number): number {
    const position = this.head + index;
    const capacity = this.slots.length;
    return position >= capacity ? position - capacity : position;
  }

  private grow(): void {
    this.resize(this.slots.length * 2);
  }

  private resize(capacity: number): void {
    const old = this.slots;
    const resized = new Array<T | undefined>(capacity);
    for (let i = 0; i < this.count; i++) resized[i] = old[this.slot(i)];
    this.slots = resized;
    this.head = 0;
  }

  /** Halves the buffer once it is three-quarters empty, so a drained list gives memory back. */
  private shrinkIfSparse(): void {
    const capacity = this.slots.length;
    if (capacity > MIN_CAPACITY && this.count < capacity >> 2) this.resize(capacity >> 1);
  }

  pushHead(value: T): void {
    if (this.count === this.slots.length) this.grow();
    this.head = this.head === 0 ? this.slots.length - 1 : this.head - 1;
    this.slots[this.head] = value;
    this.count++;
  }

  pushTail(value: T): void {
    if (this.count === this.slots.length) this.grow();
    this.slots[this.slot(this.count)] = value;
    this.count++;
  }

  popHead(): T | undefined {
    if (this.count === 0) return undefined;
    const value = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = this.slot(1);
    this.count--;
    this.shrinkIfSparse();
    return value;
  }

  popTail(): T | undefined {
    if (this.count === 0) return undefined;
    const at = this.slot(this.count - 1);
    const value = this.slots[at];
    this.slots[at] = undefined;
    this.count--;
    this.shrinkIfSparse();
    return value;
  }

  /** Element at index; negative indexes count from the tail (-1 is the last). */
  at(index: number): T | undefined {
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return undefined;
    return this.slots[this.slot(index)];
  }

  /** LSET: false when the index is out of range. */
  set(index: number, value: T): boolean {
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return false;
    this.slots[this.slot(index)] = value;
    return true;
  }

  /** Clamps [start, stop] with LRANGE's rules; null when the range is empty. */
  resolveRange(start: number, stop: number): [number, number] | null {
    const length = this.count;
    if (start < 0) start += length;
    if (stop < 0) stop += length;
    if (start < 0) start = 0;
    if (start > stop || start >= length) return null;
    if (stop >= length) stop = length - 1;
    return [start, stop];
  }

  /** LRANGE start stop. */
  range(start: number, stop: number): T[] {
    const bounds = this.resolveRange(start, stop);
    if (bounds === null) return [];
    const result = new Array<T>(bounds[1] - bounds[0] + 1);
    for (let i = bounds[0]; i <= bounds[1]; i++)
      result[i - bounds[0]] = this.slots[this.slot(i)] as T;
    return result;
  }

  /** LINSERT: inserts next to the first occurrence of pivot; new length, or -1 without pivot. */
  insert(pivot: T, value: T, after: boolean): number {
    for (let i = 0; i < this.count; i++) {
      if (this.slots[this.slot(i)] === pivot) {
        this.insertAt(after ? i + 1 : i, value);
        return this.count;
      }
    }
    return -1;
  }

  private insertAt(index: number, value: T): void {
    this.pushTail(value);
    for (let i = this.count - 1; i > index; i--) {
      this.slots[this.slot(i)] = this.slots[this.slot(i - 1)];
    }
    this.slots[this.slot(index)] = value;
  }

  /** LREM: count > 0 removes from the head, < 0 from the tail, 0 removes all. */
  remove(value: T, count: number): number {
    const limit = count === 0 ? Infinity : Math.abs(count);
    const kept: T[] = [];
    let removed = 0;
    if (count >= 0) {
      for (const element of this) {
        if (removed < limit && element === value) removed++;
        else kept.push(element);
      }
    } else {
      for (let i = this.count - 1; i >= 0; i--) {
        const element = this.slots[this.slot(i)] as T;
        if (removed < limit && element === value) removed++;
        else kept.push(element);
      }
      kept.reverse();
    }
    if (removed > 0) this.replaceAll(kept);
    return removed;
  }

  /** LTRIM start stop: keeps only the range (empty when the range is empty). */
  trim(start: number, stop: number): void {
    const bounds = this.resolveRange(start, stop);
    this.replaceAll(bounds === null ? [] : this.range(bounds[0], bounds[1]));
  }

  private replaceAll(values: T[]): void {
    this.slots = new Array<T | undefined>(Math.max(MIN_CAPACITY, values.length));
    for (let i = 0; i < values.length; i++) this.slots[i] = values[i];
    this.head = 0;
    this.count = values.length;
  }

  /**
   * LPOS: indexes of matches. rank n > 0 skips to the n-th match from the head, n < 0 scans
   * from the tail; count 0 means all matches; maxlen 0 means scan everything.
   */
  positions(value: T, rank: number, count: number, maxlen: number): number[] {
    const result: number[] = [];
    const forward = rank > 0;
    let skip = Math.abs(rank) - 1;
    const limit = maxlen === 0 ? this.count : Math.min(maxlen, this.count);
    for (let scanned = 0; scanned < limit; scanned++) {
      const index = forward ? scanned : this.count - 1 - scanned;
      if (this.slots[this.slot(index)] !== value) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      result.push(index);
      if (count !== 0 && result.length >= count) break;
    }
    return result;
  }

  /**
   * Checks the ring buffer: the count fits the capacity, every slot outside the live window is
   * empty (so popped values can be collected), and the buffer is not sparse. For tests.
   */
  checkInvariants(): void {
    const capacity = this.slots.length;
    if (this.count > capacity || this.head < 0 || this.head >= capacity) {
      throw new Error('list: window outside the buffer');
    }
    for (let i = this.count; i < capacity; i++) {
      if (this.slots[this.slot(i)] !== undefined) throw new Error('list: stale slot');
    }
    if (capacity > MIN_CAPACITY * 2 && this.count < capacity >> 3) {
      throw new Error('list: buffer too sparse');
    }
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.slots[this.slot(i)] as T;
  }
}
