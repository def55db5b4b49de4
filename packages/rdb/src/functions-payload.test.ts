import { describe, expect, it } from 'vitest';
import { OPCODE_FUNCTION_PRE_GA, RDB_VERSION } from './constants.js';
import { Crc64 } from './crc64.js';
import { decodeFunctionsPayload, encodeFunctionsPayload } from './functions-payload.js';

const CODE = "#!lua name=lib\nredis.register_function('f', function() return 1 end)";

/** A payload of raw body bytes with a valid footer. */
function withFooter(body: number[]): Buffer {
  const bytes = Buffer.from([
    ...body,
    RDB_VERSION & 0xff,
    RDB_VERSION >> 8,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  new Crc64().update(bytes, 0, bytes.length - 8).writeLE(bytes, bytes.length - 8);
  return bytes;
}

describe('FUNCTION DUMP payloads', () => {
  it('round-trip every library, compressed or not', () => {
    const long = `${CODE}\n${'-- padding\n'.repeat(50)}`;
    expect(decodeFunctionsPayload(encodeFunctionsPayload([CODE, long]))).toEqual({
      codes: [CODE, long],
    });
    expect(decodeFunctionsPayload(encodeFunctionsPayload([]))).toEqual({ codes: [] });
  });

  it('end with the RDB version and the CRC64 of what precedes it', () => {
    const payload = encodeFunctionsPayload([CODE]);
    expect(payload[0]).toBe(245);
    expect(payload.readUInt16LE(payload.length - 10)).toBe(RDB_VERSION);
    expect(
      new Crc64().update(payload, 0, payload.length - 8).equalsLE(payload, payload.length - 8),
    ).toBe(true);
  });

  it("reject a bad checksum, a type that isn't a function, and a truncated library", () => {
    const payload = encodeFunctionsPayload([CODE]);
    payload[3] ^= 1;
    expect(decodeFunctionsPayload(payload)).toEqual({
      error: 'DUMP payload version or checksum are wrong',
    });
    expect(decodeFunctionsPayload(withFooter([0, 1, 97]))).toEqual({
      error: 'given type is not a function',
    });
    expect(decodeFunctionsPayload(withFooter([245, 10, 97]))).toEqual({
      error: 'Failed loading library payload',
    });
  });

  it("read 7.0 release candidates' libraries with the shebang Redis rebuilds for them", () => {
    const field = (text: string): number[] => [text.length, ...Buffer.from(text, 'latin1')];
    const payload = withFooter([
      OPCODE_FUNCTION_PRE_GA,
      ...field('lib'),
      ...field('LUA'),
      1,
      ...field('a description'),
      ...field('return 1'),
    ]);
    expect(decodeFunctionsPayload(payload)).toEqual({ codes: ['#!LUA name=lib\nreturn 1'] });
  });
});
