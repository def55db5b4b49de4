import fc from 'fast-check';
import type { RdbKey, RdbStream, RdbValue, StreamId } from '../types.js';

/** Any bytes, as a latin1 string. */
export const binaryString = (maxLength = 24): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)),
    maxLength,
  });

/** Strings that exercise every string encoding: binary, integer-like, long and compressible. */
export const byteString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: binaryString() },
  { weight: 2, arbitrary: fc.integer().map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0',
      '-0',
      '007',
      '-1',
      '127',
      '128',
      '-129',
      '32768',
      '2147483648',
      '-2147483649',
      '12345678901',
      '+1',
      ' 1',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(binaryString(6), fc.integer({ min: 4, max: 60 }))
      .map(([s, n]) => s.repeat(n)),
  },
  { weight: 1, arbitrary: binaryString(300) },
);

const score: fc.Arbitrary<number> = fc.oneof(
  fc.double({ noNaN: true }),
  fc.integer(),
  fc.constantFrom(Infinity, -Infinity, 0, -0, 1.5, 1e300),
);

const uint64 = fc.oneof(
  fc.bigInt({ min: 0n, max: 1000n }),
  fc.bigInt({ min: 0n, max: 2n ** 48n }),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.constant(2n ** 64n - 1n),
);

const streamId: fc.Arbitrary<StreamId> = fc.record({ ms: uint64, seq: uint64 });

const compareIds = (a: StreamId, b: StreamId): number =>
  a.ms !== b.ms ? (a.ms < b.ms ? -1 : 1) : a.seq !== b.seq ? (a.seq < b.seq ? -1 : 1) : 0;

const msTime = fc.integer({ min: -1000, max: 2 ** 50 });

/** A consistent stream: ascending ids, pending entries owned by listed consumers. */
export const rdbStream = (withActiveTime: boolean): fc.Arbitrary<RdbStream> =>
  fc
    .record({
      ids: fc.uniqueArray(streamId, { maxLength: 12, selector: (id) => `${id.ms}-${id.seq}` }),
      fieldNames: fc.array(fc.oneof(binaryString(5), fc.constantFrom('f', 'name', '1')), {
        minLength: 1,
        maxLength: 3,
      }),
      fields: fc.array(
        fc.tuple(fc.boolean(), fc.array(byteString, { minLength: 1, maxLength: 3 })),
        {
          minLength: 12,
          maxLength: 12,
        },
      ),
      lastId: streamId,
      maxDeletedId: streamId,
      entriesAdded: uint64,
      groups: fc.uniqueArray(
        fc.record({
          name: binaryString(8),
          lastId: streamId,
          // Redis keeps entries-read in a signed 64-bit integer, -1 (null here) meaning unknown.
          entriesRead: fc.option(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), { nil: null }),
          consumers: fc.uniqueArray(
            fc.record({ name: binaryString(8), seenTime: msTime, activeTime: msTime }),
            {
              maxLength: 3,
              selector: (c) => c.name,
            },
          ),
          pending: fc.array(
            fc.record({
              entry: fc.nat(),
              owner: fc.nat(),
              deliveryTime: msTime,
              deliveryCount: fc.nat(1000),
            }),
            {
              maxLength: 6,
            },
          ),
        }),
        { maxLength: 3, selector: (g) => g.name },
      ),
    })
    .map(({ ids, fieldNames, fields, lastId, maxDeletedId, entriesAdded, groups }) => {
      const sorted = [...ids].sort(compareIds);
      const entries = sorted.map((id, i) => {
        const [sameNames, values] = fields[i];
        const flat: string[] = [];
        values.forEach((value, v) =>
          flat.push(sameNames ? fieldNames[v % fieldNames.length] : `${v}:${value.length}`, value),
        );
        return { id, fields: flat };
      });
      return {
        entries,
        length: entries.length,
        lastId,
        firstId: entries.length > 0 ? entries[0].id : { ms: 0n, seq: 0n },
        maxDeletedId,
        entriesAdded,
        groups: groups.map((group) => {
          const consumers = group.consumers.map((c) => ({
            ...c,
            activeTime: withActiveTime ? c.activeTime : c.seenTime,
          }));
          const used = new Set<number>();
          const pending =
            consumers.length === 0 || entries.length === 0
              ? []
              : group.pending
                  .filter((p) => {
                    const index = p.entry % entries.length;
                    if (used.has(index)) return false;
                    used.add(index);
                    return true;
                  })
                  .map((p) => ({
                    id: entries[p.entry % entries.length].id,
                    deliveryTime: p.deliveryTime,
                    deliveryCount: p.deliveryCount,
                    consumer: consumers[p.owner % consumers.length].name,
                  }));
          return {
            name: group.name,
            lastId: group.lastId,
            entriesRead: group.entriesRead,
            consumers,
            pending,
          };
        }),
      };
    });

const nonEmpty = { minLength: 1, maxLength: 8 };

export const rdbValue = (withActiveTime = false): fc.Arbitrary<RdbValue> =>
  fc.oneof(
    byteString.map((value): RdbValue => ({ type: 'string', value })),
    fc.array(byteString, nonEmpty).map((items): RdbValue => ({ type: 'list', items })),
    fc.uniqueArray(byteString, nonEmpty).map((members): RdbValue => ({ type: 'set', members })),
    fc
      .uniqueArray(fc.tuple(byteString, byteString), { ...nonEmpty, selector: ([field]) => field })
      .map((entries): RdbValue => ({ type: 'hash', entries })),
    fc
      .uniqueArray(fc.tuple(byteString, score), { ...nonEmpty, selector: ([member]) => member })
      .map((entries): RdbValue => ({ type: 'zset', entries })),
    rdbStream(withActiveTime).map((stream): RdbValue => ({ type: 'stream', stream })),
  );

/** Keys unique per db, spread over a few dbs, some with expiries. */
export const rdbKeys = (withActiveTime = false): fc.Arbitrary<RdbKey[]> =>
  fc.uniqueArray(
    fc.record({
      db: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 15 })),
      key: byteString,
      value: rdbValue(withActiveTime),
      expireAt: fc.option(fc.oneof(msTime, fc.constant(0)), { nil: null }),
    }),
    { maxLength: 12, selector: (k) => `${k.db}:${k.key}` },
  );
