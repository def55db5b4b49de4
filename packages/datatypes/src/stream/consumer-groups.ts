import { RadixTree } from '../radix/radix-tree.js';
import { idKey, type StreamId } from './stream-id.js';

/** An entry delivered to a consumer and not yet acknowledged. */
export interface PendingEntry {
  readonly id: StreamId;
  consumer: Consumer;
  /** When it was last delivered (ms). */
  deliveryTime: number;
  deliveryCount: number;
}

export class Consumer {
  /** Last time the consumer did anything (ms); XINFO's idle. */
  seenTime: number;
  /** Last time it read or claimed successfully (ms); -1 if never; XINFO's inactive. */
  activeTime = -1;
  /** Its share of the group's pending entries, by ID key. */
  readonly pending = new RadixTree<PendingEntry>();

  constructor(
    readonly name: string,
    now: number,
  ) {
    this.seenTime = now;
  }
}

/**
 * A consumer group: the last ID delivered to it, how many entries it has read (for lag), the
 * pending entries list (PEL) ordered by ID, and its consumers.
 */
export class ConsumerGroup {
  readonly pending = new RadixTree<PendingEntry>();
  readonly consumers = new Map<string, Consumer>();

  constructor(
    readonly name: string,
    public lastId: StreamId,
    /** Entries read, or null when unknown (Redis's SCG_INVALID_ENTRIES_READ). */
    public entriesRead: bigint | null,
  ) {}

  consumer(name: string, now: number): { consumer: Consumer; created: boolean } {
    const existing = this.consumers.get(name);
    if (existing) return { consumer: existing, created: false };
    const consumer = new Consumer(name, now);
    this.consumers.set(name, consumer);
    return { consumer, created: true };
  }

  /** Records a delivery: a new PEL entry, or the old one moved to this consumer. */
  deliver(id: StreamId, consumer: Consumer, now: number, incrementCount: boolean): PendingEntry {
    const key = idKey(id);
    const existing = this.pending.find(key);
    if (existing) {
      existing.consumer.pending.remove(key);
      existing.consumer = consumer;
      existing.deliveryTime = now;
      if (incrementCount) existing.deliveryCount++;
      consumer.pending.insert(key, existing);
      return existing;
    }
    const entry: PendingEntry = { id, consumer, deliveryTime: now, deliveryCount: 1 };
    this.pending.insert(key, entry);
    consumer.pending.insert(key, entry);
    return entry;
  }

  /** XACK: true when the ID was pending. */
  acknowledge(id: StreamId): boolean {
    const key = idKey(id);
    const entry = this.pending.find(key);
    if (!entry) return false;
    this.pending.remove(key);
    entry.consumer.pending.remove(key);
    return true;
  }

  /** XGROUP DELCONSUMER: drops the consumer and its pending entries; returns how many. */
  deleteConsumer(name: string): number | null {
    const consumer = this.consumers.get(name);
    if (!consumer) return null;
    const count = consumer.pending.size;
    for (const [key] of [...consumer.pending.ascending()]) this.pending.remove(key);
    this.consumers.delete(name);
    return count;
  }
}
