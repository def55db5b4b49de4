/**
 * Stream values (RDB_TYPE_STREAM_LISTPACKS 15, _2 19, _3 21; rdb.c and t_stream.c).
 *
 * The entries are stored as the listpack nodes of Redis's radix tree: a 16-byte big-endian
 * master ID (the node's key), then a listpack holding a master entry (live count, deleted
 * count, the master field names, 0) and per entry: flags, ms and seq differences from the
 * master ID, either the values alone (SAMEFIELDS flag: same field names as the master entry)
 * or a field count and field/value pairs, and an lp-count to walk backwards. Deleted entries
 * stay in place with the DELETED flag until their node is rewritten.
 *
 * Then: length, last ID, and since RDB 10 first ID, max deleted ID and entries added; then
 * the consumer groups with their global PEL (raw 16-byte IDs, delivery time, delivery count)
 * and consumers (name, seen time, since RDB 11 active time, and the IDs they own).
 */

import {
  STREAM_ITEM_FLAG_DELETED,
  STREAM_ITEM_FLAG_SAMEFIELDS,
  TYPE_STREAM_LISTPACKS_2,
  TYPE_STREAM_LISTPACKS_3,
} from './constants.js';
import { corrupt, RdbError, RdbErrors, RdbFaultError, RedisReports, reportedAs } from './errors.js';
import type { InputCursor } from './input-cursor.js';
import { decodeLatin1 } from './latin1.js';
import { readLength, readLengthBig, writeLength, writeLengthBig } from './length-encoding.js';
import {
  decodeListpack,
  ListpackBuilder,
  listpackElementValid,
  listpackHeaderValid,
  type ListpackValue,
} from './listpack.js';
import type { OutputBuffer } from './output-buffer.js';
import { findsLiveEntry, WalkFault } from './stream-walk.js';
import { readBlob, readString, writeBytes, writeString } from './string-encoding.js';
import type { RdbFault, RdbStream, RdbStreamGroup, StreamId } from './types.js';

const UINT64_MAX = 0xffffffffffffffffn;
/** Redis's stream-node-max-entries and stream-node-max-bytes defaults. */
const NODE_MAX_ENTRIES = 100;
const NODE_MAX_BYTES = 4096;

function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

function toBig(value: ListpackValue): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

function toText(value: ListpackValue): string {
  return typeof value === 'string' ? value : String(value);
}

/** Redis's estimate of a group's entries-read for files without it (before RDB 10). */
function estimateEntriesRead(stream: RdbStream, id: StreamId): bigint | null {
  if (stream.entriesAdded === 0n) return 0n;
  const toLast = compareIds(id, stream.lastId);
  if (stream.length === 0 && toLast < 1) return stream.entriesAdded;
  if (toLast === 0) return stream.entriesAdded;
  if (toLast > 0) return null;
  const noTombstones =
    (stream.maxDeletedId.ms === 0n && stream.maxDeletedId.seq === 0n) ||
    compareIds(stream.maxDeletedId, stream.firstId) < 0;
  if (noTombstones) {
    const toFirst = compareIds(id, stream.firstId);
    if (toFirst < 0) return stream.entriesAdded - BigInt(stream.length);
    if (toFirst === 0) return stream.entriesAdded - BigInt(stream.length) + 1n;
  }
  return null;
}

function readRawId(input: InputCursor): StreamId {
  const at = input.take(16);
  return { ms: input.buffer.readBigUInt64BE(at), seq: input.buffer.readBigUInt64BE(at + 8) };
}

/** A stream entry's walk fails where an element is not valid (lpAssertValidEntry). */
/** Redis reaches a pending entry's missing consumer. */
const PEL_WITHOUT_CONSUMER: RdbFault = {
  kind: 'assertion',
  message: 'a pending entry has a consumer',
};

export const INVALID_ELEMENT: RdbFault = {
  kind: 'assertion',
  message: 'a listpack element is valid',
};

/**
 * One node of the stream: its master ID (the radix tree key) and listpack of entries. Under
 * shallow checks (Redis's sanitize-dump-payload no) only the listpack's header and first
 * element are checked, as Redis does (its lpFirst asserts that element: a bad one is a crash
 * while loading); a node that then does not decode is the fault returned, not an error.
 */
function readEntries(
  input: InputCursor,
  entries: RdbStream['entries'],
  nodes: Map<string, Buffer>,
  shallow: boolean,
): RdbFault | null {
  const keyAt = input.position;
  const nodeKey = readBlob(input);
  if (nodeKey.length !== 16) corrupt(RedisReports.streamNodeKey, input.base + keyAt);
  const at = input.position;
  const blob = readBlob(input);
  const report = RedisReports.integrity('Stream listpack');
  let values: ListpackValue[] | RdbFault;
  if (shallow) {
    if (!listpackHeaderValid(blob)) corrupt(report, input.base + at);
    if (blob[6] === 0xff) corrupt(RedisReports.emptyStreamListpack, input.base + at);
    if (!listpackElementValid(blob, 6)) throw new RdbFaultError(INVALID_ELEMENT);
    values = orFault(() => decodeListpack(blob, false, input.base + at));
  } else {
    values = reportedAs(report, () => decodeListpack(blob, false, input.base + at));
    if (values.length === 0) corrupt(RedisReports.emptyStreamListpack, input.base + at);
  }
  const key = decodeLatin1(nodeKey, 0, 16);
  if (nodes.has(key)) corrupt(RedisReports.streamListpackReAdded, input.base + keyAt);
  nodes.set(key, Buffer.from(blob));
  if (!Array.isArray(values)) return values;
  const decoded = values;
  const read = () => readNodeEntries(input, nodeKey, decoded, at, entries);
  if (shallow) return orFault(read) ?? null;
  reportedAs(report, read);
  return null;
}

/** The nodes' listpacks in their radix tree order. */
function inKeyOrder(nodes: Map<string, Buffer>): Buffer[] {
  return [...nodes.keys()].sort().map((key) => nodes.get(key)!);
}

/**
 * Redis's walk for the stream's first live entry (streamGetEdgeID), which it makes loading
 * an RDB_TYPE_STREAM_LISTPACKS value: where it fails, Redis crashes while loading.
 */
function walkForFirstId(nodes: Map<string, Buffer>): void {
  try {
    findsLiveEntry(inKeyOrder(nodes), false);
  } catch (error) {
    if (error instanceof WalkFault) throw new RdbFaultError(error.fault);
    throw error;
  }
}

/**
 * The fault a stream that does not decode meets first: most stream commands look for its last
 * live entry (streamLastValidID), which fails where that walk fails, and panics when it finds
 * none in a stream whose length is not 0.
 */
function lastIdFault(nodes: Map<string, Buffer>, length: number, fault: RdbFault): RdbFault {
  try {
    if (findsLiveEntry(inKeyOrder(nodes), true) || length === 0) return fault;
    return { kind: 'panic', message: `Corrupt stream, length is ${length}, but no max id` };
  } catch (error) {
    if (error instanceof WalkFault) return error.fault;
    throw error;
  }
}

/** What `decode` returns, or INVALID_ELEMENT when it finds the bytes malformed. */
function orFault<T>(decode: () => T): T | RdbFault {
  try {
    return decode();
  } catch (error) {
    if (error instanceof RdbError) return INVALID_ELEMENT;
    throw error;
  }
}

/** The entries of a node's listpack, each ID a difference from the master ID. */
function readNodeEntries(
  input: InputCursor,
  nodeKey: Buffer,
  values: ListpackValue[],
  at: number,
  entries: RdbStream['entries'],
): void {
  const masterMs = nodeKey.readBigUInt64BE(0);
  const masterSeq = nodeKey.readBigUInt64BE(8);
  // Checked as streamValidateListpackIntegrity: every count holds, nothing is left over.
  const fail = (what: string): never => input.fail(RdbErrors.badEncoding(what), at);
  let i = 0;
  const next = (): ListpackValue => (i < values.length ? values[i++] : fail('stream entry'));
  const integer = (): number | bigint => {
    const value = next();
    return typeof value === 'string' ? fail('stream listpack entry') : value;
  };
  const count = (): number => {
    const value = integer();
    return typeof value === 'number' && value >= 0 ? value : fail('stream listpack count');
  };
  // Master entry: count, deleted, field count, fields..., 0.
  const live = count();
  const deleted = count();
  const masterFieldCount = count();
  const masterFields: string[] = [];
  for (let f = 0; f < masterFieldCount; f++) masterFields.push(toText(next()));
  if (integer() !== 0) fail('stream master entry');
  for (let n = 0; n < live + deleted; n++) {
    const flags = Number(integer());
    const msDiff = integer();
    const seqDiff = integer();
    const ms = msDiff === 0 ? masterMs : BigInt.asUintN(64, masterMs + toBig(msDiff));
    const seq = seqDiff === 0 ? masterSeq : BigInt.asUintN(64, masterSeq + toBig(seqDiff));
    let fields: string[];
    let elements: number;
    if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
      fields = new Array<string>(masterFieldCount * 2);
      for (let f = 0; f < masterFieldCount; f++) fields[2 * f] = masterFields[f];
      for (let f = 0; f < masterFieldCount; f++) fields[2 * f + 1] = toText(next());
      elements = 3 + masterFieldCount;
    } else {
      const fieldCount = count();
      // Each field followed by its value.
      fields = Array.from({ length: fieldCount * 2 }, () => toText(next()));
      elements = 4 + 2 * fieldCount;
    }
    if (integer() !== elements) fail('stream entry lp-count');
    if (!(flags & STREAM_ITEM_FLAG_DELETED)) entries.push({ id: { ms, seq }, fields });
  }
  if (i !== values.length) fail('stream listpack holds more than its entries');
}

/**
 * A stream, and under shallow checks the fault Redis would run into walking it (null when
 * every node decoded); see readEntries. The rest (IDs, groups, PELs) is always checked.
 */
export function readStream(
  input: InputCursor,
  type: number,
  shallow = false,
): { stream: RdbStream; fault: RdbFault | null } {
  const nodes = readLength(input);
  const entries: RdbStream['entries'] = [];
  const nodeBlobs = new Map<string, Buffer>();
  let fault: RdbFault | null = null;
  for (let n = 0; n < nodes; n++) fault = readEntries(input, entries, nodeBlobs, shallow) ?? fault;
  if (fault !== null && type < TYPE_STREAM_LISTPACKS_2) walkForFirstId(nodeBlobs);
  const length = readLength(input);
  const lastId = { ms: readLengthBig(input), seq: readLengthBig(input) };
  let firstId: StreamId;
  let maxDeletedId: StreamId;
  let entriesAdded: bigint;
  if (type >= TYPE_STREAM_LISTPACKS_2) {
    firstId = { ms: readLengthBig(input), seq: readLengthBig(input) };
    maxDeletedId = { ms: readLengthBig(input), seq: readLengthBig(input) };
    entriesAdded = readLengthBig(input);
  } else {
    firstId = entries.length > 0 ? { ...entries[0].id } : { ms: 0n, seq: 0n };
    maxDeletedId = { ms: 0n, seq: 0n };
    entriesAdded = BigInt(length);
  }
  const stream: RdbStream = {
    entries,
    length,
    lastId,
    firstId,
    maxDeletedId,
    entriesAdded,
    groups: [],
  };
  const groupCount = readLength(input);
  const groupNames = new Set<string>();
  for (let g = 0; g < groupCount; g++) {
    const name = readString(input);
    if (groupNames.has(name)) corrupt(RedisReports.duplicateGroup(name));
    groupNames.add(name);
    const groupLastId = { ms: readLengthBig(input), seq: readLengthBig(input) };
    let entriesRead: bigint | null;
    if (type >= TYPE_STREAM_LISTPACKS_2) {
      const stored = readLengthBig(input);
      entriesRead = stored === UINT64_MAX ? null : stored;
    } else {
      entriesRead = estimateEntriesRead(stream, groupLastId);
    }
    const group: RdbStreamGroup = {
      name,
      lastId: groupLastId,
      entriesRead,
      pending: [],
      consumers: [],
    };
    const byId = new Map<string, RdbStreamGroup['pending'][number]>();
    const pelSize = readLength(input);
    for (let p = 0; p < pelSize; p++) {
      const idAt = input.position;
      const id = readRawId(input);
      const deliveryTime = input.int64LE();
      const deliveryCount = readLength(input);
      const nack = { id, deliveryTime, deliveryCount, consumer: '' };
      const idKey = decodeLatin1(input.buffer, idAt, idAt + 16);
      if (byId.has(idKey)) corrupt(RedisReports.duplicateGlobalPel, input.base + idAt);
      byId.set(idKey, nack);
      group.pending.push(nack);
    }
    const consumerCount = readLength(input);
    const consumerNames = new Set<string>();
    const claimed = new Set<string>();
    for (let c = 0; c < consumerCount; c++) {
      const consumerName = readString(input);
      if (consumerNames.has(consumerName)) corrupt(RedisReports.duplicateConsumer);
      consumerNames.add(consumerName);
      const seenTime = input.int64LE();
      const activeTime = type >= TYPE_STREAM_LISTPACKS_3 ? input.int64LE() : seenTime;
      group.consumers.push({ name: consumerName, seenTime, activeTime });
      const owned = readLength(input);
      for (let p = 0; p < owned; p++) {
        const idAt = input.take(16);
        const idKey = decodeLatin1(input.buffer, idAt, idAt + 16);
        const nack = byId.get(idKey);
        if (nack === undefined) corrupt(RedisReports.consumerPelMissing, input.base + idAt);
        if (claimed.has(idKey)) corrupt(RedisReports.duplicateConsumerPel, input.base + idAt);
        claimed.add(idKey);
        nack.consumer = consumerName;
      }
    }
    // Each pending entry is someone's: checked deeply only, as Redis; rc cannot hold one
    // without its consumer, so unchecked it is the value's fault.
    if (claimed.size !== byId.size) {
      if (!shallow) corrupt(RedisReports.pelWithoutConsumer);
      fault ??= PEL_WITHOUT_CONSUMER;
    }
    stream.groups.push(group);
  }
  if (fault !== null) fault = lastIdFault(nodeBlobs, length, fault);
  return { stream, fault };
}

function sameFields(fields: string[], master: string[]): boolean {
  if (fields.length !== master.length * 2) return false;
  for (let f = 0; f < master.length; f++) if (fields[2 * f] !== master[f]) return false;
  return true;
}

function writeRawId(out: OutputBuffer, id: StreamId): void {
  out.reserve(16);
  out.buffer.writeBigUInt64BE(BigInt.asUintN(64, id.ms), out.length);
  out.buffer.writeBigUInt64BE(BigInt.asUintN(64, id.seq), out.length + 8);
  out.length += 16;
}

const builder = new ListpackBuilder();
const nodeKey = Buffer.alloc(16);

/** Entry index ranges of the nodes, split like Redis: at 100 entries or about 4 KiB. */
function planNodes(entries: RdbStream['entries']): number[] {
  const ends: number[] = [];
  let count = 0;
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    if (count > 0 && (count >= NODE_MAX_ENTRIES || bytes >= NODE_MAX_BYTES)) {
      ends.push(i);
      count = 0;
      bytes = 0;
    }
    count++;
    const fields = entries[i].fields;
    bytes += 8 + fields.length * 2;
    for (let f = 0; f < fields.length; f++) bytes += fields[f].length;
  }
  if (count > 0) ends.push(entries.length);
  return ends;
}

/** Writes a stream as RDB_TYPE_STREAM_LISTPACKS_2 (RDB 10) or _3 (`withActiveTime`, RDB 11+). */
export function writeStream(
  out: OutputBuffer,
  stream: RdbStream,
  withActiveTime: boolean,
  compress: boolean,
): void {
  const entries = stream.entries;
  const ends = planNodes(entries);
  writeLength(out, ends.length);
  let start = 0;
  for (const end of ends) {
    const master = entries[start];
    const masterFields: string[] = [];
    for (let f = 0; f < master.fields.length; f += 2) masterFields.push(master.fields[f]);
    builder.reset();
    builder.integer(end - start);
    builder.integer(0);
    builder.integer(masterFields.length);
    for (const field of masterFields) builder.string(field);
    builder.integer(0);
    for (let i = start; i < end; i++) {
      const { id, fields } = entries[i];
      const same = sameFields(fields, masterFields);
      builder.integer(same ? STREAM_ITEM_FLAG_SAMEFIELDS : 0);
      builder.integer(BigInt.asIntN(64, id.ms - master.id.ms));
      builder.integer(BigInt.asIntN(64, id.seq - master.id.seq));
      const pairs = fields.length >> 1;
      if (same) {
        for (let f = 1; f < fields.length; f += 2) builder.string(fields[f]);
      } else {
        builder.integer(pairs);
        for (let f = 0; f < pairs * 2; f++) builder.string(fields[f]);
      }
      builder.integer(same ? pairs + 3 : pairs * 2 + 4);
    }
    nodeKey.writeBigUInt64BE(BigInt.asUintN(64, master.id.ms), 0);
    nodeKey.writeBigUInt64BE(BigInt.asUintN(64, master.id.seq), 8);
    writeBytes(out, nodeKey, 0, 16, false);
    const listpack = builder.finish();
    writeBytes(out, listpack, 0, listpack.length, compress);
    start = end;
  }
  writeLength(out, stream.length);
  writeLengthBig(out, stream.lastId.ms);
  writeLengthBig(out, stream.lastId.seq);
  writeLengthBig(out, stream.firstId.ms);
  writeLengthBig(out, stream.firstId.seq);
  writeLengthBig(out, stream.maxDeletedId.ms);
  writeLengthBig(out, stream.maxDeletedId.seq);
  writeLengthBig(out, stream.entriesAdded);
  writeLength(out, stream.groups.length);
  for (const group of stream.groups) {
    writeString(out, group.name, compress);
    writeLengthBig(out, group.lastId.ms);
    writeLengthBig(out, group.lastId.seq);
    writeLengthBig(out, group.entriesRead === null ? UINT64_MAX : group.entriesRead);
    writeLength(out, group.pending.length);
    const owned = new Map<string, StreamId[]>();
    for (const consumer of group.consumers) owned.set(consumer.name, []);
    for (const nack of group.pending) {
      writeRawId(out, nack.id);
      out.int64LE(nack.deliveryTime);
      writeLength(out, nack.deliveryCount);
      const ids = owned.get(nack.consumer);
      if (ids === undefined) {
        throw new Error(
          `stream group '${group.name}': pending entry owned by unknown consumer '${nack.consumer}'`,
        );
      }
      ids.push(nack.id);
    }
    writeLength(out, group.consumers.length);
    for (const consumer of group.consumers) {
      writeString(out, consumer.name, compress);
      out.int64LE(consumer.seenTime);
      if (withActiveTime) out.int64LE(consumer.activeTime);
      const ids = owned.get(consumer.name)!;
      writeLength(out, ids.length);
      for (const id of ids) writeRawId(out, id);
    }
  }
}
