/**
 * Each key's access stamp (its LRU clock reading, or its LFU counter), kept in slots: keys in an
 * array and stamps in a typed array at the same index, with a map from key to index. Stamps are
 * updated in place, without allocation, and a key can be picked at random in constant time, as
 * eviction samples keys (Redis's dictGetSomeKeys). Removing a key moves the last one into its slot.
 */
export class AccessStamps {
  private readonly slots = new Map<string, number>();
  private keys: string[] = [];
  private stamps = new Float64Array(16);

  get size(): number {
    return this.keys.length;
  }

  get(key: string): number | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.stamps[slot];
  }

  set(key: string, stamp: number): void {
    const slot = this.slots.get(key);
    if (slot !== undefined) {
      this.stamps[slot] = stamp;
      return;
    }
    const added = this.keys.length;
    if (added === this.stamps.length) this.resize(added * 2);
    this.keys.push(key);
    this.stamps[added] = stamp;
    this.slots.set(key, added);
  }

  delete(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.slots.delete(key);
    const last = this.keys.length - 1;
    const moved = this.keys.pop() as string;
    if (slot !== last) {
      this.keys[slot] = moved;
      this.stamps[slot] = this.stamps[last];
      this.slots.set(moved, slot);
    }
    if (last > 16 && last * 4 < this.stamps.length) this.resize(this.stamps.length / 2);
  }

  /** A slot picked at random (read with keyAt and stampAt), or -1 when there is none. */
  randomSlot(): number {
    const size = this.keys.length;
    return size === 0 ? -1 : Math.floor(Math.random() * size);
  }

  keyAt(slot: number): string {
    return this.keys[slot];
  }

  stampAt(slot: number): number {
    return this.stamps[slot];
  }

  private resize(capacity: number): void {
    const stamps = new Float64Array(capacity);
    stamps.set(this.stamps.subarray(0, this.keys.length));
    this.stamps = stamps;
  }
}
