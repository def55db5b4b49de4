import { keyHashSlot, SLOT_COUNT } from '@rc/cluster';

/**
 * The keys of each cluster hash slot (Redis's slot_to_keys), kept by a database in cluster
 * mode: CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT, resharding and a failover that takes slots
 * away read one slot's keys without walking the keyspace.
 */
export class SlotIndex {
  private readonly slots: Array<Set<string> | undefined> = new Array<Set<string> | undefined>(
    SLOT_COUNT,
  );

  constructor(keys: Iterable<string>) {
    for (const key of keys) this.add(key);
  }

  add(key: string): void {
    const slot = keyHashSlot(key);
    let keys = this.slots[slot];
    if (keys === undefined) this.slots[slot] = keys = new Set();
    keys.add(key);
  }

  delete(key: string): void {
    const slot = keyHashSlot(key);
    const keys = this.slots[slot];
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.slots[slot] = undefined;
  }

  count(slot: number): number {
    return this.slots[slot]?.size ?? 0;
  }

  /** Up to `limit` keys of the slot, in the order they came. */
  keys(slot: number, limit = Infinity): string[] {
    const keys: string[] = [];
    if (limit <= 0) return keys;
    for (const key of this.slots[slot] ?? []) {
      keys.push(key);
      if (keys.length >= limit) break;
    }
    return keys;
  }

  clear(): void {
    this.slots.fill(undefined);
  }
}
