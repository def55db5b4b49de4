import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc64 } from './crc64.js';
import { decodeDumpPayload, encodeDumpPayload, verifyDumpPayload } from './dump-payload.js';
import { RdbError } from './errors.js';
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
