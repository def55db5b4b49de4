import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc64 } from './crc64.js';
import { decodeDumpPayload, encodeDumpPayload, verifyDumpPayload } from './dump-payload.js';
import { RdbError, RdbFaultError } from './errors.js';
import { ListpackBuilder } from './listpack.js';
import { rdbValue } from './test-support/arbitraries.js';
import type { RdbValue } from './types.js';

describe('DUMP payloads', () => {
  it('are the type byte, the value, version 10 little endian and the CRC64 of all that', () => {
    const payload = encodeDumpPayload({ type: 'string', value: 'bar' });
    expect([...payload.subarray(0, 6)]).toEqual([0, 3, 0x62, 0x61, 0x72, 10]);
    expect(payload[6]).toBe(0);
    expect(payload.readBigUInt64LE(7)).toBe(crc64(0, payload.subarray(0, 7)));
    expect(payload.length).toBe(15);
  });

  it('match what Redis 7.0 DUMPs for a small string', () => {
    // redis-cli --no-raw DUMP foo after SET foo bar, on redis-server 7.0.15.
    const payload = encodeDumpPayload({ type: 'string', value: 'bar' });
    expect(payload.toString('latin1')).toBe('\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17');
  });

  it('write compact sets, hashes and sorted sets as intsets and listpacks', () => {
    const values: RdbValue[] = [
      { type: 'set', members: ['5', '-3', '70000'], compact: true },
      { type: 'set', members: ['1', '-9223372036854775808'], compact: true },
      {
        type: 'hash',
        entries: [
          ['field', 'value'],
          ['n', '12'],
        ],
        compact: true,
      },
      {
        type: 'zset',
        entries: [
          ['a', -Infinity],
          ['b', 0.1],
          ['c', 2],
          ['d', 2 ** 62],
          ['e', 2 ** 63],
          ['f', Infinity],
        ],
        compact: true,
      },
    ];
    const typeBytes = { set: 11, hash: 16, zset: 17 } as Record<string, number>;
    for (const value of values) {
      const payload = encodeDumpPayload(value);
      expect(payload[0]).toBe(typeBytes[value.type]);
      const { compact: _, ...content } = value as RdbValue & { compact: boolean };
      const expected =
        content.type === 'set'
          ? {
              ...content,
              members: [...content.members].sort((a, b) => Number(BigInt(a) - BigInt(b))),
            }
          : content;
      // Read back, the value says it was stored compact.
      expect(decodeDumpPayload(payload)).toEqual({ ...expected, compact: true });
    }
  });

  it('write an intset at the width it was given when wider than its members need', () => {
    for (const intsetWidth of [4, 8]) {
      const value: RdbValue = { type: 'set', members: ['-1', '2'], compact: true, intsetWidth };
      const payload = encodeDumpPayload(value);
      expect(decodeDumpPayload(payload)).toEqual(value);
    }
    const narrow = encodeDumpPayload({
      type: 'set',
      members: ['70000'],
      compact: true,
      intsetWidth: 2,
    });
    expect(decodeDumpPayload(narrow)).toEqual({ type: 'set', members: ['70000'], compact: true });
  });

  it('round-trip any value', () => {
    fc.assert(
      fc.property(rdbValue(), (value) => {
        expect(decodeDumpPayload(encodeDumpPayload(value))).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('decode to null with a wrong checksum, a newer version or too few bytes', () => {
    const payload = encodeDumpPayload({ type: 'list', items: ['a', 'b'] });
    const flipped = Buffer.from(payload);
    flipped[3] ^= 1;
    expect(decodeDumpPayload(flipped)).toBeNull();
    const v11 = Buffer.from(payload);
    v11[v11.length - 10] = 11;
    v11.writeBigUInt64LE(crc64(0, v11.subarray(0, v11.length - 8)), v11.length - 8);
    expect(decodeDumpPayload(v11)).toBeNull();
    expect(decodeDumpPayload(v11, { maxVersion: 12 })).toEqual({ type: 'list', items: ['a', 'b'] });
    expect(decodeDumpPayload(payload.subarray(0, 9))).toBeNull();
    expect(verifyDumpPayload(flipped, { skipChecksum: true })).toBe(true);
  });

  it('accept older payload versions', () => {
    const payload = encodeDumpPayload({ type: 'string', value: 'old' });
    payload[payload.length - 10] = 6;
    payload.writeBigUInt64LE(crc64(0, payload.subarray(0, payload.length - 8)), payload.length - 8);
    expect(decodeDumpPayload(payload)).toEqual({ type: 'string', value: 'old' });
  });

  it('throw RdbError on a malformed or empty value (Redis: Bad data format)', () => {
    const seal = (body: number[]): Buffer => {
      const payload = Buffer.from([...body, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      payload.writeBigUInt64LE(
        crc64(0, payload.subarray(0, payload.length - 8)),
        payload.length - 8,
      );
      return payload;
    };
    expect(() => decodeDumpPayload(seal([0, 5, 0x61]))).toThrow(RdbError);
    expect(() => decodeDumpPayload(seal([1, 0]))).toThrow(/empty/);
    expect(() => decodeDumpPayload(seal([8, 0]))).toThrow(/unknown RDB value type/);
  });
});

/** A payload of `type` and `body`, with version 10 and its CRC64. */
function sealed(type: number, body: Buffer): Buffer {
  const payload = Buffer.concat([Buffer.from([type]), body, Buffer.alloc(10)]);
  payload[payload.length - 10] = 10;
  payload.writeBigUInt64LE(crc64(0, payload.subarray(0, payload.length - 8)), payload.length - 8);
  return payload;
}

/** A listpack of `elements` (integers or text) as an RDB string, `corrupt` applied first. */
function listpackString(elements: Array<string | number>, corrupt = (_bytes: Buffer) => {}) {
  const builder = new ListpackBuilder();
  for (const each of elements) {
    if (typeof each === 'number') builder.integer(each);
    else builder.string(each);
  }
  const bytes = Buffer.from(builder.finish());
  corrupt(bytes);
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

/** A stream (RDB_TYPE_STREAM_LISTPACKS) of one entry {f: v} at 1-1, `corrupt` applied. */
function streamBody(corrupt: (bytes: Buffer) => void): Buffer {
  const key = Buffer.alloc(16);
  key.writeBigUInt64BE(1n, 0);
  key.writeBigUInt64BE(1n, 8);
  const node = listpackString([1, 0, 1, 'f', 0, 2, 0, 0, 'v', 4], corrupt);
  return Buffer.concat([Buffer.from([1, 16]), key, node, Buffer.from([1, 1, 1, 0])]);
}

/** The element that starts `at` bytes before the end marker: its last byte is its backlen. */
const backlenBefore = (bytes: Buffer, at: number) => bytes.length - 1 - at;

describe('DUMP payloads under shallow checks (sanitize-dump-payload no)', () => {
  it('decode well-formed values as deep checks do', () => {
    fc.assert(
      fc.property(rdbValue(), (value) => {
        expect(decodeDumpPayload(encodeDumpPayload(value), { shallow: true })).toEqual(value);
      }),
      { numRuns: 200 },
    );
  });

  it('keep a listpack whose header holds but whose elements do not as it came', () => {
    // v's backlen says 3 bytes where the element has 2.
    const body = listpackString(['f', 'v'], (bytes) => (bytes[backlenBefore(bytes, 1)] = 3));
    const payload = sealed(16, body);
    expect(() => decodeDumpPayload(payload)).toThrow(RdbError);
    const value = decodeDumpPayload(payload, { shallow: true });
    expect(value).toMatchObject({ type: 'unreadable', of: 'hash', rdbType: 16, length: 1 });
    expect(value?.type === 'unreadable' && value.fault.kind).toBe('assertion');
    expect(encodeDumpPayload(value!)).toEqual(payload);
  });

  it('refuse a listpack whose header does not hold, as Redis', () => {
    const body = listpackString(['f', 'v'], (bytes) => (bytes[0] += 1));
    expect(() => decodeDumpPayload(sealed(16, body), { shallow: true })).toThrow(
      /Hash listpack integrity/,
    );
  });

  it('name the panic of a hash listpack with a field twice, with its bytes to dump', () => {
    const value = decodeDumpPayload(sealed(16, listpackString(['f', 'v', 'f', 'w'])), {
      shallow: true,
    });
    expect(value).toMatchObject({
      type: 'unreadable',
      length: 2,
      fault: { kind: 'panic', message: 'Listpack corruption detected' },
    });
  });

  it('fail as Redis loading a stream whose first entry it walks into (RdbFaultError)', () => {
    // v, which the walk for the first ID steps on, has a wrong backlen.
    const payload = sealed(
      15,
      streamBody((bytes) => (bytes[backlenBefore(bytes, 3)] = 3)),
    );
    expect(() => decodeDumpPayload(payload, { shallow: true })).toThrow(RdbFaultError);
  });

  it('keep a stream whose entry ends corrupt, failing where its last entry is looked for', () => {
    // The lp-count's backlen is wrong: the walk from the end fails on it.
    const payload = sealed(
      15,
      streamBody((bytes) => (bytes[backlenBefore(bytes, 1)] = 5)),
    );
    expect(decodeDumpPayload(payload, { shallow: true })).toMatchObject({
      type: 'unreadable',
      of: 'stream',
      fault: { kind: 'assertion' },
    });
  });
});
