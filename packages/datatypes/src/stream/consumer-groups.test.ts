import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConsumerGroup } from './consumer-groups.js';
import { compareIds, type StreamId } from './stream-id.js';

const id = (ms: number, seq = 0): StreamId => ({ ms: BigInt(ms), seq: BigInt(seq) });

describe('ConsumerGroup', () => {
  it('records deliveries in the group PEL and the consumer PEL', () => {
    const group = new ConsumerGroup('g', id(0), 0n);
    const alice = group.consumer('alice', 100).consumer;
    expect(group.consumer('alice', 200).created).toBe(false);
    const entry = group.deliver(id(1), alice, 150, true);
    expect(entry).toMatchObject({ consumer: alice, deliveryTime: 150, deliveryCount: 1 });
    expect(group.pending.size).toBe(1);
    expect(alice.pending.size).toBe(1);
  });

  it('moves a redelivered entry to the new consumer and counts the delivery (XCLAIM)', () => {
    const group = new ConsumerGroup('g', id(0), 0n);
    const alice = group.consumer('alice', 0).consumer;
    const bob = group.consumer('bob', 0).consumer;
    group.deliver(id(1), alice, 10, true);
    const moved = group.deliver(id(1), bob, 20, true);
    expect(moved).toMatchObject({ consumer: bob, deliveryTime: 20, deliveryCount: 2 });
    expect(alice.pending.size).toBe(0);
    expect(bob.pending.size).toBe(1);
    // JUSTID claims do not count as a delivery.
    expect(group.deliver(id(1), alice, 30, false).deliveryCount).toBe(2);
  });

  it('acknowledges once (XACK)', () => {
    const group = new ConsumerGroup('g', id(0), null);
    const alice = group.consumer('alice', 0).consumer;
    group.deliver(id(1), alice, 0, true);
    expect(group.acknowledge(id(1))).toBe(true);
    expect(group.acknowledge(id(1))).toBe(false);
    expect(alice.pending.size).toBe(0);
  });

  it('deletes a consumer with its pending entries (XGROUP DELCONSUMER)', () => {
    const group = new ConsumerGroup('g', id(0), null);
    const alice = group.consumer('alice', 0).consumer;
    const bob = group.consumer('bob', 0).consumer;
    group.deliver(id(1), alice, 0, true);
    group.deliver(id(2), alice, 0, true);
    group.deliver(id(3), bob, 0, true);
    expect(group.deleteConsumer('alice')).toBe(2);
    expect(group.deleteConsumer('alice')).toBeNull();
    expect([...group.pending.ascending()].map(([, entry]) => entry.id)).toEqual([id(3)]);
  });

  it('matches a map model over random deliveries, acknowledgements and consumer deletions', () => {
    const operation = fc.oneof(
      fc.tuple(fc.constant('deliver' as const), fc.nat(20), fc.nat(3), fc.boolean()),
      fc.tuple(fc.constant('ack' as const), fc.nat(20), fc.nat(3), fc.boolean()),
      fc.tuple(fc.constant('delete' as const), fc.nat(20), fc.nat(3), fc.boolean()),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 100 }), (operations) => {
        const group = new ConsumerGroup('g', id(0), 0n);
        const model = new Map<number, { owner: string; count: number; time: number }>();
        const names = ['a', 'b', 'c', 'd'];
        operations.forEach(([name, entry, who, increment], time) => {
          const owner = names[who];
          if (name === 'deliver') {
            const consumer = group.consumer(owner, time).consumer;
            group.deliver(id(entry), consumer, time, increment);
            const current = model.get(entry);
            model.set(entry, {
              owner,
              time,
              count: current === undefined ? 1 : current.count + (increment ? 1 : 0),
            });
          } else if (name === 'ack') {
            expect(group.acknowledge(id(entry))).toBe(model.delete(entry));
          } else {
            const expected = group.consumers.has(owner)
              ? [...model.values()].filter((pending) => pending.owner === owner).length
              : null;
            expect(group.deleteConsumer(owner)).toBe(expected);
            for (const [key, pending] of model) if (pending.owner === owner) model.delete(key);
          }
        });
        const expected = [...model.keys()].sort((a, b) => a - b);
        const pending = [...group.pending.ascending()].map(([, entry]) => entry);
        expect(pending.map((entry) => Number(entry.id.ms))).toEqual(expected);
        for (const entry of pending) {
          const modelled = model.get(Number(entry.id.ms));
          expect(entry.consumer.name).toBe(modelled?.owner);
          expect(entry.deliveryCount).toBe(modelled?.count);
          expect(entry.deliveryTime).toBe(modelled?.time);
        }
        for (const consumer of group.consumers.values()) {
          const own = [...consumer.pending.ascending()].map(([, entry]) => entry);
          expect(own.every((entry) => entry.consumer === consumer)).toBe(true);
          for (let i = 1; i < own.length; i++) {
            expect(compareIds(own[i - 1].id, own[i].id)).toBe(-1);
          }
        }
        expect(
          [...group.consumers.values()].reduce((sum, consumer) => sum + consumer.pending.size, 0),
        ).toBe(group.pending.size);
      }),
    );
  });
});
