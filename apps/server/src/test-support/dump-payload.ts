import { crc64 } from '@rc/rdb';

/** A DUMP payload around hand-written value bytes: RDB version 10 and a valid CRC64. */
export function dumpPayload(valueBytes: ReadonlyArray<number | string>): string {
  const bytes = valueBytes.flatMap((each) =>
    typeof each === 'string' ? [...Buffer.from(each, 'latin1')] : [each],
  );
  const body = Buffer.from([...bytes, 10, 0]);
  const checksum = Buffer.alloc(8);
  checksum.writeBigUInt64LE(crc64(0, body));
  return Buffer.concat([body, checksum]).toString('latin1');
}
