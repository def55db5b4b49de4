/**
 * The JSON form of keys used by `rc-rdb dump`: one object per key. Byte strings are JSON
 * strings in which every char is one byte (0-255); bytes outside printable ASCII are written as
 * \u00XX escapes, so the output is plain ASCII and `Buffer.from(JSON.parse(line).key, 'latin1')`
 * gives the exact bytes back. Scores that JSON cannot hold are the strings "inf" and "-inf";
 * stream IDs are "ms-seq" strings.
 */

import type { RdbValue, StreamId } from './types.js';

const NON_ASCII = /[\u007f-\u00ff]/g;

function escapeByte(char: string): string {
  return `\\u00${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** JSON.stringify with bytes 0x7f-0xff escaped (JSON already escapes those below 0x20). */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, escapeByte);
}

const idText = (id: StreamId): string => `${id.ms}-${id.seq}`;

const integer = (value: bigint): number | string =>
  value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();

const scoreJson = (score: number): number | string =>
  score === Infinity ? 'inf' : score === -Infinity ? '-inf' : score;

/** A JSON-ready form of a value (no bigints, no infinities). */
export function valueJson(value: RdbValue): unknown {
  switch (value.type) {
    case 'string':
      return value.value;
    case 'list':
      return value.items;
    case 'set':
      return value.members;
    case 'hash':
      return value.fieldExpireAt === undefined
        ? value.entries
        : { entries: value.entries, fieldExpireAt: value.fieldExpireAt };
    case 'zset':
      return value.entries.map(([member, score]) => [member, scoreJson(score)]);
    case 'stream': {
      const s = value.stream;
      return {
        entries: s.entries.map((entry) => ({ id: idText(entry.id), fields: entry.fields })),
        length: s.length,
        lastId: idText(s.lastId),
        firstId: idText(s.firstId),
        maxDeletedId: idText(s.maxDeletedId),
        entriesAdded: integer(s.entriesAdded),
        groups: s.groups.map((group) => ({
          name: group.name,
          lastId: idText(group.lastId),
          entriesRead: group.entriesRead === null ? null : integer(group.entriesRead),
          pending: group.pending.map((nack) => ({ ...nack, id: idText(nack.id) })),
          consumers: group.consumers,
        })),
      };
    }
    case 'unreadable':
      return { of: value.of, encoded: value.encoded.toString('hex') };
  }
}

/** One `rc-rdb dump` line (without the newline). */
export function keyJsonLine(
  db: number,
  key: string,
  value: RdbValue,
  expireAt: number | null,
): string {
  return asciiJson({ db, key, type: value.type, value: valueJson(value), expireAt });
}
