import {
  MAX_ID,
  MIN_ID,
  Stream,
  formatId,
  nextId,
  parseId,
  previousId,
  type StreamEntry,
  type StreamId,
} from '@rc/datatypes/stream';
import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { lookupTyped } from './reply-helpers.js';

/** Argument parsing and reply shapes shared by the stream and consumer-group commands. */

export const INVALID_STREAM_ID = 'ERR Invalid stream ID specified as stream command argument';

export function lookupStream(client: Client, engine: Engine, key: string) {
  return lookupTyped(client, engine, key, Stream);
}

/** An ID where "-" and "+" are not allowed ("<ms>-*" only where `allowAutoSeq`). */
export function strictId(client: Client, engine: Engine, text: string): StreamId | null {
  const id = parseId(text);
  if (id === null) engine.replyError(client, INVALID_STREAM_ID);
  return id;
}

/** An XRANGE endpoint: "-", "+", "<ms>[-<seq>]" or "(" exclusive; null after an error. */
export function intervalId(
  client: Client,
  engine: Engine,
  text: string,
  missingSeq: bigint,
  isStart: boolean,
): StreamId | null {
  if (text.length > 1 && text.startsWith('(')) {
    const id = parseId(text.slice(1), missingSeq);
    if (id === null) {
      engine.replyError(client, INVALID_STREAM_ID);
      return null;
    }
    const moved = isStart ? nextId(id) : previousId(id);
    if (moved === null) {
      engine.replyError(
        client,
        isStart ? 'ERR invalid start ID for the interval' : 'ERR invalid end ID for the interval',
      );
    }
    return moved;
  }
  if (text === '-') return MIN_ID;
  if (text === '+') return MAX_ID;
  const id = parseId(text, missingSeq);
  if (id === null) engine.replyError(client, INVALID_STREAM_ID);
  return id;
}

export function replyEntry(client: Client, entry: StreamEntry): void {
  client.out.array(2);
  client.out.bulk(formatId(entry.id));
  client.out.array(entry.fields.length);
  for (const field of entry.fields) client.out.bulk(field);
}

export function replyEntries(client: Client, entries: StreamEntry[]): void {
  client.out.array(entries.length);
  for (const entry of entries) replyEntry(client, entry);
}
