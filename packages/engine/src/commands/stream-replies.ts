import {
  MAX_ID,
  MIN_ID,
  compareIds,
  formatId,
  Stream,
  nextId,
  parseId,
  previousId,
  type Consumer,
  type ConsumerGroup,
  type StreamEntry,
  type StreamId,
} from '@rc/datatypes/stream';
import type { ReplyWriter } from '@rc/resp';
import type { Client } from '../client.js';
import { Errors } from '../errors.js';
import { integerArgument, isKeyword } from '../arguments.js';
import { lookupTyped } from '../typed-lookup.js';

/** Argument parsing and reply shapes shared by the stream and consumer-group commands. */

export const INVALID_STREAM_ID = 'ERR Invalid stream ID specified as stream command argument';

export function lookupStream(client: Client, key: string) {
  return lookupTyped(client, key, Stream);
}

/** An ID where "-" and "+" are not allowed ("<ms>-*" only where `allowAutoSeq`). */
export function strictId(client: Client, text: string): StreamId | null {
  const id = parseId(text);
  if (id === null) client.out.error(INVALID_STREAM_ID);
  return id;
}

/** An XRANGE endpoint: "-", "+", "<ms>[-<seq>]" or "(" exclusive; null after an error. */
export function intervalId(
  client: Client,
  text: string,
  missingSeq: bigint,
  isStart: boolean,
): StreamId | null {
  if (text.length > 1 && text.startsWith('(')) {
    const id = parseId(text.slice(1), missingSeq);
    if (id === null) {
      client.out.error(INVALID_STREAM_ID);
      return null;
    }
    const moved = isStart ? nextId(id) : previousId(id);
    if (moved === null) {
      client.out.error(
        isStart ? 'ERR invalid start ID for the interval' : 'ERR invalid end ID for the interval',
      );
    }
    return moved;
  }
  if (text === '-') return MIN_ID;
  if (text === '+') return MAX_ID;
  const id = parseId(text, missingSeq);
  if (id === null) client.out.error(INVALID_STREAM_ID);
  return id;
}

export function replyId(out: ReplyWriter, id: StreamId): void {
  out.bulk(formatId(id));
}

export function replyEntry(client: Client, entry: StreamEntry): void {
  const out = client.out;
  out.array(2);
  const ms = entry.msNumber;
  const seq = entry.seqNumber;
  // NaN (an ID part above 2^53 - 1) fails both comparisons.
  if (ms >= 0 && seq >= 0) out.bulkJoinedIntegers(ms, 45 /* - */, seq);
  else replyId(out, entry.id);
  const fields = entry.fields;
  out.array(fields.length);
  for (let i = 0; i < fields.length; i++) out.bulk(fields[i]);
}

export function replyEntries(client: Client, entries: StreamEntry[]): void {
  client.out.array(entries.length);
  for (const entry of entries) replyEntry(client, entry);
}

export interface ReadOptions {
  /** Entries per stream at most; 0 = all. */
  count: number;
  /** BLOCK milliseconds, or -1 without BLOCK (0 waits forever). */
  block: number;
  noAck: boolean;
  group: { name: string; consumer: string } | null;
  /** Index of the first key after STREAMS. */
  streamsAt: number;
}

/** XREAD/XREADGROUP options, parsed as Redis's xreadCommand does (same checks, same order). */
export function readOptions(
  client: Client,
  argv: string[],
  xreadgroup: boolean,
): ReadOptions | null {
  const options: ReadOptions = { count: 0, block: -1, noAck: false, group: null, streamsAt: -1 };
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const option = argv[i];
    if (isKeyword(option, 'block') && more > 0) {
      if (client.fromScript) {
        client.out.error(`ERR ${argv[0]} command is not allowed with BLOCK option from scripts`);
        return null;
      }
      const value = integerArgument(
        client,
        argv[++i],
        'ERR timeout is not an integer or out of range',
      );
      if (value === null) return null;
      if (value < 0) {
        client.out.error(Errors.timeoutNegative);
        return null;
      }
      options.block = value;
    } else if (isKeyword(option, 'count') && more > 0) {
      const value = integerArgument(client, argv[++i]);
      if (value === null) return null;
      options.count = Math.max(0, value);
    } else if (isKeyword(option, 'streams') && more > 0) {
      if ((argv.length - i - 1) % 2 !== 0) {
        client.out.error(
          "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
        );
        return null;
      }
      options.streamsAt = i + 1;
      break;
    } else if (isKeyword(option, 'group') && more >= 2) {
      if (!xreadgroup) {
        client.out.error(
          'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.',
        );
        return null;
      }
      options.group = { name: argv[i + 1], consumer: argv[i + 2] };
      i += 2;
    } else if (isKeyword(option, 'noack')) {
      if (!xreadgroup) {
        client.out.error(
          'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.',
        );
        return null;
      }
      options.noAck = true;
    } else {
      client.out.error(Errors.syntax);
      return null;
    }
  }
  if (options.streamsAt === -1) {
    client.out.error(Errors.syntax);
    return null;
  }
  if (xreadgroup && options.group === null) {
    client.out.error('ERR Missing GROUP option for XREADGROUP');
    return null;
  }
  return options;
}

/** Groups in name order, as Redis keeps them in a radix tree. */
export function sortedGroups(stream: Stream): ConsumerGroup[] {
  return [...stream.groups.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

export function sortedConsumers(group: ConsumerGroup): Consumer[] {
  return [...group.consumers.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

/** XINFO's lag: entries added but not yet read by the group, or null when unknown. */
export function groupLag(stream: Stream, group: ConsumerGroup): bigint | null {
  if (stream.entriesAdded === 0n) return 0n;
  if (group.entriesRead !== null && !hasTombstonesFrom(stream, group.lastId)) {
    return stream.entriesAdded - group.entriesRead;
  }
  const read = estimateEntriesRead(stream, group.lastId);
  return read === null ? null : stream.entriesAdded - read;
}

/** Redis's streamRangeHasTombstones(s, start, +inf): a deletion at or after `start`. */
export function hasTombstonesFrom(stream: Stream, start: StreamId): boolean {
  if (stream.length === 0 || isZero(stream.maxDeletedId)) return false;
  const first = stream.firstEntry()?.id ?? ZERO_ID;
  if (compareIds(first, stream.maxDeletedId) > 0) return false;
  return compareIds(start, stream.maxDeletedId) <= 0;
}

/** Redis's streamEstimateDistanceFromFirstEverEntry: entries read up to `id`, or null if unknowable. */
export function estimateEntriesRead(stream: Stream, id: StreamId): bigint | null {
  if (stream.entriesAdded === 0n) return 0n;
  if (stream.length === 0 && compareIds(id, stream.lastId) < 1) return stream.entriesAdded;
  const toLast = compareIds(id, stream.lastId);
  if (toLast === 0) return stream.entriesAdded;
  if (toLast > 0) return null;
  const first = stream.firstEntry()?.id ?? ZERO_ID;
  if (isZero(stream.maxDeletedId) || compareIds(stream.maxDeletedId, first) < 0) {
    const toFirst = compareIds(id, first);
    if (toFirst < 0) return stream.entriesAdded - BigInt(stream.length);
    if (toFirst === 0) return stream.entriesAdded - BigInt(stream.length) + 1n;
  }
  return null;
}

export const ZERO_ID = MIN_ID;

export function isZero(id: StreamId): boolean {
  return id.ms === 0n && id.seq === 0n;
}
