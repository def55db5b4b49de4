import { keyHashSlot } from '@rc/cluster';
import type { ReplyWriter } from '@rc/resp';
import {
  lfuCounter,
  lfuInitial,
  lfuMinutes,
  lfuTouched,
  lfuWithCounter,
  type LfuSettings,
} from './access-frequency.js';
import { PackedList } from '@rc/datatypes/packed';
import { Stream } from '@rc/datatypes/stream';
import { decodeLatin1 } from '@rc/resp';
import type { WaitKind } from './blocking.js';
import { DictSizing } from './dict-sizing.js';
import { KeyTable, type StringStorage } from './key-table.js';
import { decimalLength } from './small-strings.js';
import { SlotIndex } from './slot-index.js';
import {
  DICT_ENTRY_BYTES,
  DICT_SLOT_BYTES,
  keyBytes,
  stringBytes,
  valueBytes,
} from './memory-estimate.js';
import {
  SHARED_INTEGERS,
  storedStringEncoding,
  unusualStringEncoding,
  type RedisValue,
  type StringEncoding,
  type StringOrigin,
  RedisZset,
  UnreadableValue,
  unreadableValuesMade,
} from './values.js';

/** What `Database.lookupOrReply` answers once it wrote the value to the reply itself. */
export const REPLIED = Symbol('replied');

/** The kind of wait a value can end (BLPOP, BZPOPMIN, XREAD...), or null. */
export function waitKindOf(value: RedisValue): WaitKind | null {
  if (value instanceof PackedList) return 'list';
  if (value instanceof RedisZset) return 'zset';
  return value instanceof Stream ? 'stream' : null;
}

/** What the keyspace tells the rest of the engine: WATCH, blocking and propagation hang here. */
export interface KeyspaceObserver {
  keyModified(db: Database, key: string): void;
  /** FLUSHDB/FLUSHALL emptied the database of `keys`: a change to each, but one flush event. */
  keysFlushed(db: Database, keys: readonly string[]): void;
  keyExpired(db: Database, key: string, value: RedisValue): void;
  keyCreated(db: Database, key: string): void;
  /** The key got a TTL (a writable replica remembers the keys its clients gave one). */
  expireSet(db: Database, key: string): void;
  /**
   * Clients blocked on the key may be served, or told their stream is gone (Redis's
   * signalKeyAsReady): a key created with a value one can wait on, or a stream overwritten or
   * deleted. Other changes do not wake anyone, as in Redis. `kind`: of the value created, or
   * 'stream' for the stream that went.
   */
  keyReady(db: Database, key: string, kind: WaitKind): void;
  /** A child process runs (a background save or AOF rewrite): Redis avoids resizing dicts. */
  readonly childRunning: boolean;
  /** A read command looked a key up: INFO's keyspace_hits and keyspace_misses. */
  keyLookedUp(found: boolean): void;
  /** A command read a value rc cannot decode, where Redis's walk of it fails: a crash. */
  unreadableValueRead(value: UnreadableValue): void;
  /** How keys whose time has come are treated; see `ExpiryMode`. */
  readonly expiryMode: ExpiryMode;
  /**
   * The time keys expire by, in milliseconds: fixed for the whole of a command (or script), as
   * Redis's cached time, so a key does not expire between two lookups of one command.
   */
  now(): number;
  /** Redis's LRU clock, in seconds: what a key's last access is recorded as. */
  readonly lruClock: number;
  /** Set under an LFU maxmemory-policy: accesses then count toward a frequency instead. */
  readonly lfu: LfuSettings | null;
  /**
   * Whether an integer stored now may be one of Redis's shared objects 0..9999: not under an
   * LRU or LFU maxmemory policy, which needs each key's own access time.
   */
  readonly sharedIntegers: boolean;
  /** The estimate of what all databases hold, which each database adds its changes to. */
  readonly dataset: DatasetMemory;
  /** Where the databases' tables keep medium strings (see StringStorage). */
  readonly stringStorage: StringStorage;
}

/** What the keys, values and TTLs of every database hold, as memory-estimate.ts counts them. */
export interface DatasetMemory {
  bytes: number;
}

/** A key's TTL: its entry in the expires dict. */
const EXPIRE_BYTES = DICT_ENTRY_BYTES + DICT_SLOT_BYTES;
/** How many elements of a collection its estimate samples, as MEMORY USAGE by default. */
const COLLECTION_SAMPLES = 5;

/**
 * `delete`: a master deletes an expired key when it finds it (and propagates a DEL).
 * `hide`: a replica leaves it to its master's DEL, but its clients no longer see the key.
 * `keep`: a replica applying its master's stream sees the key as the master did.
 */
export type ExpiryMode = 'delete' | 'hide' | 'keep';

/**
 * One of the numbered databases: key → value, plus a separate key → expire-at (ms) map, as
 * Redis's `dict` and `expires`. Every read goes through `lookup`, which expires lazily, so an
 * expired key is never visible to any command.
 */
export class Database {
  /**
   * Each key's value, with its last access (read or write) in LRU-clock seconds, for OBJECT
   * IDLETIME and LRU eviction, or under an LFU policy its access counter (see
   * access-frequency.ts), and a collection's estimate as last counted (see `count`).
   */
  data: KeyTable;
  expires = new Map<string, number>();
  /** The sizes Redis's tables for `data` and `expires` would have (DEBUG HTSTATS). */
  dataTable = new DictSizing();
  expiresTable = new DictSizing();
  /** This database's share of `observer.dataset`. */
  private bytes = 0;
  /** What sampleForEviction returns, reused: it is read before the next sample. */
  private readonly sampled = { key: '', score: 0, slot: 0 };
  /**
   * Strings Redis would hold in another encoding than the one their bytes name (see
   * `encodingOf`): raw after APPEND, SETRANGE, SETBIT..., embstr after INCRBYFLOAT, and `int`
   * for an integer in an object of its own where its bytes would make it a shared one (COPY's
   * duplicate, or stored under an LRU or LFU maxmemory policy). Set by the command that
   * wrote the value, carried by RENAME, MOVE, COPY and SWAPDB, dropped with the value: any
   * other store, a delete or a load of the key forgets it. A string value is a JavaScript
   * string, which cannot carry a tag itself.
   */
  private stringEncodings = new Map<string, StringEncoding>();
  /** Keys by cluster hash slot, kept in cluster mode only (`indexSlots`). */
  private slotIndex: SlotIndex | null = null;
  readonly id: number;

  constructor(
    id: number,
    private readonly observer: KeyspaceObserver,
  ) {
    this.id = id;
    this.data = new KeyTable(observer.stringStorage);
  }

  get size(): number {
    return this.data.size;
  }

  /**
   * The value a command reads, recording the access. A value rc cannot read (UnreadableValue)
   * is Redis's crash when it walks it: the observer reports it, and the key reads as missing
   * if the engine lives on (without a host to exit).
   */
  lookup(key: string): RedisValue | undefined {
    const slot = this.lookupSlot(key);
    return slot < 0 ? undefined : this.readable(this.data.valueAt(slot));
  }

  /**
   * As `lookup`, for a reply of the value as it is (GET): a string kept as bytes (short, or in
   * slabs) is written to `out` from there, without a string made for it, and REPLIED comes back.
   */
  lookupOrReply(key: string, out: ReplyWriter): RedisValue | undefined | typeof REPLIED {
    const slot = this.lookupSlot(key);
    if (slot < 0) return undefined;
    if (this.data.writeBulkAt(slot, out)) return REPLIED;
    return this.readable(this.data.valueAt(slot));
  }

  /**
   * As `lookup`, for the commands that take a value whole without reading it (DUMP, RENAME,
   * COPY, MOVE, TOUCH): an UnreadableValue is returned as it is.
   */
  lookupWhole(key: string): RedisValue | undefined {
    const slot = this.lookupSlot(key);
    return slot < 0 ? undefined : this.data.valueAt(slot);
  }

  /**
   * As `lookup`, for INCR and its kind: a short string spelling an integer that a double holds
   * exactly comes as that number, read from its bytes without making a string.
   */
  lookupInteger(key: string): RedisValue | number | undefined {
    const slot = this.lookupSlot(key);
    if (slot < 0) return undefined;
    const integer = this.data.integerAt(slot);
    return integer !== null ? integer : this.readable(this.data.valueAt(slot));
  }

  /** The key's slot or -1, the lookup recorded as a read records it (hit or miss, access). */
  private lookupSlot(key: string): number {
    const slot = this.findSlot(key);
    this.observer.keyLookedUp(slot >= 0);
    if (slot >= 0) this.accessedNow(slot, true);
    return slot;
  }

  /** The key's slot or -1, a key whose time has come deleted first. */
  private findSlot(key: string): number {
    return this.expires.size !== 0 && this.expireIfNeeded(key) ? -1 : this.data.slotOf(key);
  }

  /** A value rc cannot decode is reported, and reads as missing (see `lookup`). */
  private readable(value: RedisValue): RedisValue | undefined {
    if (!unreadableValuesMade || !(value instanceof UnreadableValue)) return value;
    this.observer.unreadableValueRead(value);
    return undefined;
  }

  /**
   * Records an access: the LRU clock, or under an LFU policy a bump of the key's counter (of a
   * fresh one when `existing` is false, as Redis's createObject).
   */
  private accessedNow(slot: number, existing: boolean): void {
    const observer = this.observer;
    const lfu = observer.lfu;
    if (lfu === null) {
      this.data.setStampAt(slot, observer.lruClock);
      return;
    }
    const minutes = lfuMinutes(observer.lruClock);
    this.data.setStampAt(
      slot,
      existing ? lfuTouched(this.data.stampAt(slot), minutes, lfu) : lfuInitial(minutes),
    );
  }

  /** OBJECT FREQ: the key's access counter, decayed to now (under an LFU policy). */
  frequency(key: string, lfu: LfuSettings): number {
    const minutes = lfuMinutes(this.observer.lruClock);
    const slot = this.data.slotOf(key);
    return lfuCounter(slot < 0 ? lfuInitial(minutes) : this.data.stampAt(slot), minutes, lfu);
  }

  /** RESTORE ... FREQ. */
  setFrequency(key: string, counter: number): void {
    const slot = this.data.slotOf(key);
    if (slot >= 0) {
      this.data.setStampAt(slot, lfuWithCounter(counter, lfuMinutes(this.observer.lruClock)));
    }
  }

  /**
   * How good a key is to evict under an LRU or LFU policy, as Redis's eviction pool ranks them:
   * the seconds since its last access, or 255 minus its access counter.
   */
  evictionScore(key: string): number {
    const slot = this.data.slotOf(key);
    return slot < 0 ? 0 : this.scoreOfStamp(this.data.stampAt(slot));
  }

  private scoreOfStamp(stamp: number): number {
    const observer = this.observer;
    const lfu = observer.lfu;
    if (lfu === null) return Math.max(0, observer.lruClock - stamp);
    return 255 - lfuCounter(stamp, lfuMinutes(observer.lruClock), lfu);
  }

  /**
   * A key picked at random for eviction, with its evictionScore: read from the slot it was
   * picked from, without a lookup by name. Null when the database is empty.
   */
  sampleForEviction(): { key: string; score: number; slot: number } | null {
    const data = this.data;
    const slot = data.randomSlot();
    if (slot < 0) return null;
    this.sampled.slot = slot;
    this.sampled.key = data.keyAt(slot);
    this.sampled.score = this.scoreOfStamp(data.stampAt(slot));
    return this.sampled;
  }

  /**
   * As `lookup`, but leaves the key's access time alone: Redis's LOOKUP_NOTOUCH, for TYPE,
   * EXISTS, the TTL family, OBJECT and MEMORY USAGE.
   */
  peek(key: string): RedisValue | undefined {
    const value = this.find(key);
    this.observer.keyLookedUp(value !== undefined);
    return value;
  }

  /**
   * As `peek`, and not counted in keyspace_hits/misses either: the commands Redis answers from
   * its dict directly (RANDOMKEY, MEMORY USAGE).
   */
  find(key: string): RedisValue | undefined {
    const slot = this.findSlot(key);
    return slot < 0 ? undefined : this.data.valueAt(slot);
  }

  /** Seconds since the key was last read or written (OBJECT IDLETIME). */
  idleSeconds(key: string): number {
    const slot = this.data.slotOf(key);
    const clock = this.observer.lruClock;
    return slot < 0 ? 0 : Math.max(0, clock - this.data.stampAt(slot));
  }

  /** Records the key as last accessed `seconds` ago (RESTORE ... IDLETIME). */
  setIdleSeconds(key: string, seconds: number): void {
    const slot = this.data.slotOf(key);
    // Stamps are unsigned: an idle time longer than the clock's epoch reads as the clock.
    if (slot >= 0) this.data.setStampAt(slot, Math.max(0, this.observer.lruClock - seconds));
  }

  has(key: string): boolean {
    return this.lookup(key) !== undefined;
  }

  /** The key is there but its time has come, deleted or not yet (Redis's keyIsExpired). */
  isExpired(key: string, now = this.observer.now()): boolean {
    const at = this.expires.get(key);
    return at !== undefined && at <= now;
  }

  /** Deletes the key if its time has come; true when it did. */
  expireIfNeeded(key: string, now = this.observer.now()): boolean {
    const at = this.expires.get(key);
    if (at === undefined || at > now) return false;
    const mode = this.observer.expiryMode;
    if (mode !== 'delete') return mode === 'hide';
    const slot = this.data.slotOf(key);
    if (slot < 0) return false;
    const value = this.data.valueAt(slot);
    this.uncount(slot, key, value);
    this.data.delete(key);
    this.slotIndex?.delete(key);
    this.dropExpire(key);
    this.forgetStringEncoding(key);
    this.observer.keyExpired(this, key, value);
    this.signalGone(key, value);
    return true;
  }

  /** Stores a value, dropping any TTL unless `keepTtl` (SET's default behaviour). */
  set(key: string, value: RedisValue, keepTtl = false): void {
    this.write(key, value, keepTtl);
  }

  /**
   * INCR's store: as `set(key, String(value), true)` for a safe integer, its digits written to
   * the key table as bytes (over the old ones when as many) without making a string.
   */
  setInteger(key: string, value: number): void {
    this.write(key, value, true);
  }

  /**
   * INCR's lookup and store in one, for a key holding a short string that spells an integer
   * (see `lookupInteger`) when adding `increment` gives a safe integer: the sum's digits go
   * where the old ones were (see `setInteger`), and the sum comes back. One find of the key,
   * and no recount while the digits take as many bytes. Null otherwise, nothing recorded: the
   * caller takes the general path.
   */
  incrementInteger(key: string, increment: number): number | null {
    const slot = this.findSlot(key);
    if (slot < 0) return null;
    const current = this.data.integerAt(slot);
    if (current === null) return null;
    const sum = current + increment;
    if (!Number.isSafeInteger(sum)) return null;
    // As lookupInteger, then write over an existing key with its TTL kept.
    this.observer.keyLookedUp(true);
    this.accessedNow(slot, true);
    this.store(key, sum, slot, this.data.replacedAt(slot));
    this.stringStored(key, sum);
    this.observer.keyModified(this, key);
    return sum;
  }

  /**
   * INCR (`up`) or DECR of a counter of 5 to 15 digits that keep their count, in its bytes (see
   * SmallStrings.stepAt): recorded as `incrementInteger` records it, and the key's slot comes
   * back for `replyCounter`. -1 otherwise, nothing recorded: the caller takes `incrementInteger`.
   */
  stepCounter(key: string, up: boolean): number {
    const slot = this.findSlot(key);
    if (slot < 0 || !this.data.stepAt(slot, up)) return -1;
    this.observer.keyLookedUp(true);
    this.accessedNow(slot, true);
    // The sum is 10000 or more: an int by its bytes, never a shared integer.
    this.forgetStringEncoding(key);
    this.observer.keyModified(this, key);
    return slot;
  }

  /** The counter `stepCounter` stepped at `slot`, as INCR replies it. */
  replyCounter(slot: number, out: ReplyWriter): void {
    this.data.writeIntegerAt(slot, out);
  }

  /** `set`, where a number stands for the string of its digits (see `setInteger`). */
  private write(key: string, value: RedisValue | number, keepTtl: boolean): void {
    // As Redis's lookupKeyWrite: an expired key is deleted (and its DEL propagated) first.
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    const existing = this.data.slotOf(key);
    const previous = existing < 0 ? undefined : this.data.replacedAt(existing);
    const slot = this.store(key, value, existing, previous);
    this.stringStored(key, value);
    const created = previous === undefined;
    // Overwritten, a key keeps its LFU counter (bumped, as Redis's lookupKeyWrite then dbSetValue).
    this.accessedNow(slot, !created);
    if (created) this.observer.keyCreated(this, key);
    if (!keepTtl && this.expires.size !== 0) this.dropExpire(key);
    this.observer.keyModified(this, key);
    if (created) this.signalCreated(key, value);
    else this.signalGone(key, previous);
  }

  /** Adds a brand-new key: the caller has already checked it does not exist. */
  add(key: string, value: RedisValue): void {
    const slot = this.insert(key, value);
    this.stringStored(key, value);
    this.accessedNow(slot, false);
    this.observer.keyCreated(this, key);
    this.observer.keyModified(this, key);
    this.signalCreated(key, value);
  }

  delete(key: string): boolean {
    // As peek (the key's access time is about to go with it), without reading a string kept as
    // bytes into a new one: only its length is counted.
    const slot = this.findSlot(key);
    this.observer.keyLookedUp(slot >= 0);
    if (slot < 0) return false;
    const value = this.data.replacedAt(slot);
    this.uncount(slot, key, value);
    this.data.delete(key);
    this.slotIndex?.delete(key);
    this.dropExpire(key);
    this.forgetStringEncoding(key);
    this.observer.keyModified(this, key);
    this.signalGone(key, value);
    return true;
  }

  /** A key created holding a value one can wait on is ready for its waiters (Redis's dbAdd). */
  private signalCreated(key: string, value: RedisValue | number): void {
    if (typeof value === 'number') return;
    const kind = waitKindOf(value);
    if (kind !== null) this.observer.keyReady(this, key, kind);
  }

  /** A stream overwritten or deleted is signalled, for XREADGROUP waiters to get their error. */
  private signalGone(key: string, value: RedisValue | number | undefined): void {
    if (value instanceof Stream) this.observer.keyReady(this, key, 'stream');
  }

  /**
   * The encoding Redis would hold the string at `key` in, when the command that wrote it made
   * one its bytes do not name; undefined otherwise (then `encodingOf` names it from the bytes).
   */
  stringEncoding(key: string): StringEncoding | undefined {
    return this.stringEncodings.size === 0 ? undefined : this.stringEncodings.get(key);
  }

  /**
   * Records how the command that just stored the string at `key` made it (see `StringOrigin`),
   * for as long as the value stays.
   */
  stringWritten(key: string, origin: StringOrigin): void {
    const value = this.data.get(key);
    const encoding = typeof value === 'string' ? unusualStringEncoding(value, origin) : undefined;
    if (encoding === undefined) this.forgetStringEncoding(key);
    else this.stringEncodings.set(key, encoding);
  }

  /**
   * RENAME and MOVE: the string now at `key` is the object that was at the old key, and keeps
   * the encoding recorded there (`encoding`, that key's `stringEncoding`, read before it went).
   */
  stringMoved(key: string, encoding: StringEncoding | undefined): void {
    if (encoding !== undefined && typeof this.data.get(key) === 'string') {
      this.stringEncodings.set(key, encoding);
    } else this.forgetStringEncoding(key);
  }

  /**
   * COPY: the string now at `key` duplicates one whose encoding was `encoding` (see
   * `stringMoved`). dupStringObject keeps raw and embstr as they were, and puts an integer in
   * an object of its own: never a shared one, recorded as `int`.
   */
  stringCopied(key: string, encoding: StringEncoding | undefined): void {
    const value = this.data.get(key);
    if (typeof value !== 'string') {
      this.forgetStringEncoding(key);
      return;
    }
    const kept = encoding ?? storedStringEncoding(value);
    if (kept === 'int' || encoding !== undefined) this.stringEncodings.set(key, kept);
    else this.forgetStringEncoding(key);
  }

  /**
   * A value stored as tryObjectEncoding or createStringObjectFromLongLongForValue store it
   * (SET, INCR, RESTORE, loading...): named from its bytes, except an integer 0..9999 stored
   * while shared integers are off, which keeps an object of its own (recorded `int`) even once
   * the policy changes, as in Redis.
   */
  private stringStored(key: string, value: RedisValue | number): void {
    if (this.observer.sharedIntegers) {
      this.forgetStringEncoding(key);
      return;
    }
    if (
      typeof value === 'number'
        ? value >= 0 && value < SHARED_INTEGERS
        : typeof value === 'string' &&
          value.length <= 4 &&
          storedStringEncoding(value) === 'int' &&
          value[0] !== '-'
    ) {
      this.stringEncodings.set(key, 'int');
    } else this.forgetStringEncoding(key);
  }

  private forgetStringEncoding(key: string): void {
    if (this.stringEncodings.size !== 0) this.stringEncodings.delete(key);
  }

  /** Records an in-place change to a value (list push, hash set...), counted anew. */
  touch(key: string): void {
    const slot = this.data.slotOf(key);
    if (slot >= 0) {
      const value = this.data.valueAt(slot);
      if (typeof value !== 'string') {
        const bytes = valueBytes(value, COLLECTION_SAMPLES);
        this.account(bytes - this.data.countAt(slot));
        this.data.setCountAt(slot, bytes);
      }
    }
    this.observer.keyModified(this, key);
  }

  /**
   * Stores the value at the key, at `slot` when it is there (else -1) replacing `previous` (as
   * KeyTable.replacedAt gives it), counted anew (see DatasetMemory). Returns the key's slot.
   */
  private store(
    key: string,
    value: RedisValue | number,
    slot: number,
    previous: RedisValue | number | undefined,
  ): number {
    if (slot < 0) return this.insert(key, value);
    // Bytes written over bytes as many: the key is counted at what it was.
    if (typeof previous === 'number' && this.data.overwriteAt(slot, value)) return slot;
    this.uncount(slot, key, previous as RedisValue | number);
    this.data.setValueAt(slot, value);
    this.count(slot, key, value);
    return slot;
  }

  /**
   * Adds the key with one map lookup, indexed and counted (see DatasetMemory): its slot, or -1
   * when it was there already (then nothing changed but the table's size bookkeeping, on the
   * path of a corrupt file only).
   */
  private insert(key: string, value: RedisValue | number): number {
    this.dataTable.beforeAdd(this.data.size, this.observer.childRunning);
    const slot = this.data.addNew(key, value);
    if (slot >= 0) this.added(slot, key, value);
    return slot;
  }

  /** A new key's share of the slot index and the count. */
  private added(slot: number, key: string, value: RedisValue | number): void {
    this.slotIndex?.add(key);
    this.count(slot, key, value);
  }

  /**
   * Counts a key that came with its value (see DatasetMemory). A string's estimate follows from
   * its length; a collection's is kept at its slot, for it changes in place, and what it was
   * counted at must go when it changes or leaves.
   */
  private count(slot: number, key: string, value: RedisValue | number): void {
    let bytes = keyBytes(key) + DICT_SLOT_BYTES;
    if (typeof value === 'number') bytes += stringBytes(decimalLength(value));
    else if (typeof value === 'string') bytes += valueBytes(value, 0);
    else {
      const collection = valueBytes(value, COLLECTION_SAMPLES);
      this.data.setCountAt(slot, collection);
      bytes += collection;
    }
    this.account(bytes);
  }

  /** A key and its value left, or the value was replaced: what they were counted at goes. */
  /** `value` as KeyTable.replacedAt gives it: a short string as its length. */
  private uncount(slot: number, key: string, value: RedisValue | number): void {
    const bytes = keyBytes(key) + DICT_SLOT_BYTES;
    const counted =
      typeof value === 'number'
        ? stringBytes(value)
        : typeof value === 'string'
          ? stringBytes(value.length)
          : this.data.countAt(slot);
    this.account(-(bytes + counted));
  }

  private account(bytes: number): void {
    this.bytes += bytes;
    this.observer.dataset.bytes += bytes;
  }

  private dropExpire(key: string): void {
    // An empty map still hashes the key for a delete.
    if (this.expires.size !== 0 && this.expires.delete(key)) this.account(-EXPIRE_BYTES);
  }

  /**
   * Whether a key sampled from `slot` is still there: false once it was deleted, or moved to
   * another slot by a deletion (then it counts as gone, though it is not).
   */
  stillAt(slot: number, key: string): boolean {
    return slot < this.data.size && this.data.keyAt(slot) === key;
  }

  /** A random key, or undefined when the database is empty (eviction's sampling). */
  randomKey(): string | undefined {
    const slot = this.data.randomSlot();
    return slot < 0 ? undefined : this.data.keyAt(slot);
  }

  /** The estimate of what the database's keys, values and TTLs hold. */
  get memoryBytes(): number {
    return this.bytes;
  }

  setExpire(key: string, at: number): void {
    this.setExpireQuietly(key, at);
    this.observer.expireSet(this, key);
    this.observer.keyModified(this, key);
  }

  removeExpire(key: string): boolean {
    if (!this.expires.delete(key)) return false;
    this.account(-EXPIRE_BYTES);
    this.observer.keyModified(this, key);
    return true;
  }

  private setExpireQuietly(key: string, at: number): void {
    if (!this.expires.has(key)) {
      this.account(EXPIRE_BYTES);
      this.expiresTable.beforeAdd(this.expires.size, this.observer.childRunning);
    }
    this.expires.set(key, at);
  }

  /** Absolute expire time in ms, or undefined when the key has no TTL. */
  expireAt(key: string): number | undefined {
    return this.expires.size === 0 ? undefined : this.expires.get(key);
  }

  clear(): void {
    const keys = [...this.data.keys()];
    this.data = new KeyTable(this.observer.stringStorage);
    this.expires = new Map();
    this.dataTable.clear();
    this.expiresTable.clear();
    this.stringEncodings = new Map();
    this.slotIndex?.clear();
    this.account(-this.bytes);
    this.observer.keysFlushed(this, keys);
  }

  /** Cluster mode: keeps the keys of each hash slot from now on (db 0 is the only one used). */
  indexSlots(): void {
    this.slotIndex ??= new SlotIndex(this.data.keys());
  }

  /** Up to `limit` keys of a cluster hash slot. */
  keysInSlot(slot: number, limit = Infinity): string[] {
    if (this.slotIndex !== null) return this.slotIndex.keys(slot, limit);
    const keys: string[] = [];
    for (const key of this.data.keys()) {
      if (keys.length >= limit) break;
      if (keyHashSlot(key) === slot) keys.push(key);
    }
    return keys;
  }

  countKeysInSlot(slot: number): number {
    return this.slotIndex !== null ? this.slotIndex.count(slot) : this.keysInSlot(slot).length;
  }

  /** serverCron's tryResizeHashTables, when no child process runs. */
  shrinkSparseTables(): void {
    this.dataTable.shrinkIfSparse(this.data.size);
    this.expiresTable.shrinkIfSparse(this.expires.size);
  }

  /** Exchanges contents with another database (SWAPDB); ids stay. */
  swapWith(other: Database): void {
    [this.data, other.data] = [other.data, this.data];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.dataTable, other.dataTable] = [other.dataTable, this.dataTable];
    [this.expiresTable, other.expiresTable] = [other.expiresTable, this.expiresTable];
    [this.stringEncodings, other.stringEncodings] = [other.stringEncodings, this.stringEncodings];
    [this.bytes, other.bytes] = [other.bytes, this.bytes];
    // An index belongs to a database, not to its contents: each one is rebuilt from its keys.
    if (this.slotIndex !== null) this.slotIndex = new SlotIndex(this.data.keys());
    if (other.slotIndex !== null) other.slotIndex = new SlotIndex(other.data.keys());
  }

  /** Dropped whole, unflushed (a detached dataset discarded): its bytes stop counting. */
  uncountAll(): void {
    this.account(-this.bytes);
  }

  /** A data file's RESIZEDB: room for its keys before they come, as Redis's dictExpand. */
  reserve(keys: number): void {
    this.data.reserve(keys);
  }

  /**
   * A key read from a data file: no notifications, accessed now (as a fresh Redis object). One
   * already there is replaced when `replace` (Redis's RDBFLAGS_ALLOW_DUP); otherwise the key is
   * added without a lookup, and `settleLoaded` tells whether one was there already.
   */
  load(key: string, value: RedisValue, expireAt: number | null, replace: boolean): void {
    let slot: number;
    if (replace) {
      const existing = this.data.slotOf(key);
      const previous = existing < 0 ? undefined : this.data.replacedAt(existing);
      slot = this.store(key, value, existing, previous);
    } else {
      this.dataTable.beforeAdd(this.data.size, this.observer.childRunning);
      slot = this.data.addUnchecked(key, value);
      this.added(slot, key, value);
    }
    this.stringStored(key, value);
    this.loaded(slot, key, expireAt);
  }

  /**
   * `load` of a string value of at most SMALL_STRING_LENGTH bytes given as bytes[start, end) of
   * a file, kept as bytes without a string made of them: unless the key may be there already
   * (`replace`), or a short integer may need its encoding recorded (see stringStored).
   */
  loadStringBytes(
    key: string,
    bytes: Buffer,
    start: number,
    end: number,
    expireAt: number | null,
    replace: boolean,
  ): void {
    const length = end - start;
    if (replace || (!this.observer.sharedIntegers && length <= 4)) {
      this.load(key, decodeLatin1(bytes, start, end), expireAt, replace);
      return;
    }
    this.dataTable.beforeAdd(this.data.size, this.observer.childRunning);
    const slot = this.data.addUncheckedBytes(key, bytes, start, end);
    this.slotIndex?.add(key);
    this.account(keyBytes(key) + DICT_SLOT_BYTES + stringBytes(length));
    this.forgetStringEncoding(key);
    this.loaded(slot, key, expireAt);
  }

  /** A loaded key is accessed now (as a fresh Redis object), with the file's TTL or none. */
  private loaded(slot: number, key: string, expireAt: number | null): void {
    this.accessedNow(slot, false);
    if (expireAt !== null) this.setExpireQuietly(key, expireAt);
    else this.dropExpire(key);
  }

  /**
   * Indexes the keys loaded without a lookup: a key that was loaded twice, or loaded while it
   * was there already (a corrupt file), or null. The database then holds that key twice.
   */
  settleLoaded(): string | null {
    return this.data.settle();
  }
}
