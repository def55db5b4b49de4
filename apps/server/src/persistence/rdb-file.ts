import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import {
  KeyspaceLoader,
  rdbAuxFields,
  savePacing,
  SMALL_STRING_LENGTH,
  snapshotChunks,
  type Engine,
} from '@rc/engine';
import { RdbReader } from '@rc/rdb';

/**
 * How long one slice of a background save may run: a client's command waits for the slice
 * under way, and a stall must stay under 20 ms with a scavenge on top; a full sync's slices
 * are as long. A million keys still take only a few hundred turns.
 */
const SLICE_MILLISECONDS = 4;

export interface SaveResult {
  readonly bytes: number;
  readonly keys: number;
}

export interface LoadResult {
  readonly keys: number;
  readonly expiredSkipped: number;
  readonly aux: ReadonlyMap<string, string>;
  /** Bytes after the RDB's end: the commands of an AOF with an RDB preamble. */
  readonly remainder: Buffer;
}

let temporaryFiles = 0;

/**
 * Redis's temp-<pid>.rdb, the pid of the process that writes it: a BGSAVE's child, or the
 * server itself for SAVE. Without a pid of its own (an AOF base) the name is made unique.
 */
export function temporaryRdbPath(path: string, pid: number | null): string {
  const name =
    pid !== null ? `temp-${pid}.rdb` : `temp-${process.pid}-${++temporaryFiles}-${basename(path)}`;
  return join(dirname(path), name);
}

export interface WriteOptions {
  /** The file is the base of an AOF (aof-base aux field). */
  readonly aofBase?: boolean;
  /** Stops the save (its temporary file removed) when aborted. */
  readonly signal?: AbortSignal;
  /** The pid the temporary file is named after (Redis's temp-<pid>.rdb). */
  readonly pid?: number;
}

/**
 * BGSAVE without fork: the snapshot is written in slices between event-loop turns while
 * clients keep writing, then fsynced and renamed over `path` so a reader never sees a
 * half-written file.
 */
export async function writeRdbFile(
  engine: Engine,
  path: string,
  options: WriteOptions = {},
): Promise<SaveResult> {
  const temporary = temporaryRdbPath(path, options.pid ?? null);
  const keys = keyCount(engine);
  const file = await open(temporary, 'w');
  let bytes = 0;
  const { pauseMs } = savePacing(engine);
  try {
    for (const chunk of snapshotChunks(engine, {
      aux: rdbAuxFields({
        aofBase: options.aofBase ?? false,
        // Replication's history, so a restarted replica resumes with PSYNC (not in AOF bases).
        extra: options.aofBase === true ? [] : engine.replication?.rdbSaveInfo(),
      }),
      sliceMilliseconds: SLICE_MILLISECONDS,
      // Each chunk's write is awaited before the next slice.
      reuseChunks: true,
    })) {
      bytes += chunk.length;
      options.signal?.throwIfAborted();
      if (chunk.length !== 0) await file.write(chunk);
      await (pauseMs > 0
        ? sleep(pauseMs, undefined, { signal: options.signal })
        : nextTurn(undefined, { signal: options.signal }));
    }
    await file.sync();
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  // As Redis's rdbSave: a file that cannot take its place is removed.
  await rename(temporary, path).catch(async (error: unknown) => {
    await unlink(temporary).catch(() => undefined);
    throw error;
  });
  await syncDirectory(dirname(path));
  return { bytes, keys };
}

/** SAVE: the same file, written before returning. */
export function writeRdbFileSync(engine: Engine, path: string): SaveResult {
  const temporary = temporaryRdbPath(path, process.pid);
  const keys = keyCount(engine);
  const fd = openSync(temporary, 'w');
  let bytes = 0;
  try {
    for (const chunk of snapshotChunks(engine, {
      aux: rdbAuxFields({ extra: engine.replication?.rdbSaveInfo() }),
      sliceMilliseconds: Infinity,
      reuseChunks: true,
    })) {
      for (let offset = 0; offset < chunk.length;) offset += writeSync(fd, chunk, offset);
      bytes += chunk.length;
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, path);
  } catch (error) {
    unlinkSync(temporary);
    throw error;
  }
  return { bytes, keys };
}

function keyCount(engine: Engine): number {
  let keys = 0;
  for (const db of engine.databases) keys += db.size;
  return keys;
}

/** A rename is durable once the directory entry is. */
async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** Called after each chunk of the file is loaded: bytes read so far, of `total`. */
export type LoadProgress = (bytesRead: number, total: number, keys: number) => void;

/**
 * Loads an RDB file into the engine's databases, streaming it through the reader. Throws the
 * reader's error for a corrupt or truncated file: starting empty would lose the data for good.
 */
export async function loadRdbFile(
  engine: Engine,
  path: string,
  progress?: LoadProgress,
  options: {
    aofBase?: boolean;
    onAux?: (name: string, value: string) => void;
    onExpiredDropped?: (db: number, key: string) => void;
    onEmptyKey?: (db: number, key: string) => void;
  } = {},
): Promise<LoadResult> {
  // Short string values come as bytes, which the key table keeps without making strings.
  const reader = new RdbReader({
    onEmptyKey: options.onEmptyKey,
    stringBytesUpTo: SMALL_STRING_LENGTH,
  });
  // As Redis: a master drops keys that expired while the file sat on disk; a replica keeps
  // them until its master's DEL arrives (and an AOF base is replayed as it was).
  const replica = engine.config.get('replicaof') !== '';
  const loader = new KeyspaceLoader(engine, replica || options.aofBase === true);
  loader.onExpiredDropped = options.onExpiredDropped ?? null;
  // Into empty databases: a key twice in the file is fatal, as in Redis.
  loader.replaceDuplicates = false;
  const total = (await stat(path)).size;
  let bytesRead = 0;
  const keyDelay = engine.config.getNumber('key-load-delay');
  const drain = (): void => {
    for (let record = reader.next(); record !== undefined; record = reader.next()) {
      if (record.kind === 'aux') options.onAux?.(record.name, record.value);
      loader.accept(record);
      if (keyDelay !== 0) debugDelay(keyDelay);
    }
  };
  // Read a slice of loading-process-events-interval-bytes at a time: between two slices the
  // event loop serves clients (LOADING replies, INFO's loading fields), as Redis does.
  const slice = engine.config.getNumber('loading-process-events-interval-bytes');
  for await (const chunk of createReadStream(path, { highWaterMark: slice })) {
    reader.push(chunk as Buffer);
    drain();
    bytesRead += (chunk as Buffer).length;
    progress?.(bytesRead, total, loader.keys);
  }
  reader.end();
  drain();
  return loadResult(loader, reader);
}

/**
 * Loads an RDB file at once, for DEBUG RELOAD and DEBUG LOADAOF (which hold the server while
 * they load, as Redis's). Keys and function libraries already there are replaced with
 * `allowDuplicates` (Redis's RDBFLAGS_ALLOW_DUP); otherwise the first such key throws
 * engine's DuplicateKeyError and the first such library a plain Error.
 */
export function loadRdbFileSync(
  engine: Engine,
  path: string,
  options: { aofBase?: boolean; allowDuplicates?: boolean } = {},
): LoadResult {
  return loadRdbBytes(engine, readFileSync(path), options);
}

/** loadRdbFileSync for an image in memory (an embedded server's loadRdb). */
export function loadRdbBytes(
  engine: Engine,
  bytes: Buffer,
  options: { aofBase?: boolean; allowDuplicates?: boolean } = {},
): LoadResult {
  // DEBUG SET-SKIP-CHECKSUM-VALIDATION applies to the files DEBUG loads, as in Redis.
  const reader = new RdbReader({
    skipChecksum: engine.skipChecksumValidation,
    stringBytesUpTo: SMALL_STRING_LENGTH,
  });
  const replica = engine.config.get('replicaof') !== '';
  const loader = new KeyspaceLoader(engine, replica || options.aofBase === true);
  loader.replaceDuplicates = options.allowDuplicates === true;
  const drain = (): void => {
    for (let record = reader.next(); record !== undefined; record = reader.next()) {
      if (options.allowDuplicates !== true) {
        // A library of the same name makes the load fail (Redis's rdbFunctionLoad without
        // RDBFLAGS_ALLOW_DUP), unlike a key, which is fatal (DuplicateKeyError).
        if (record.kind === 'function') {
          const loaded = engine.scripting.libraries.load(record.payload, false, 0);
          if ('error' in loaded) throw new Error(`Failed loading library, ${loaded.error}`);
          continue;
        }
      }
      loader.accept(record);
    }
  };
  reader.push(bytes);
  drain();
  reader.end();
  drain();
  return loadResult(loader, reader);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * key-load-delay's pause after each key, as Redis's debugDelay: that many microseconds, or for
 * -N a 1 µs sleep one time in N. Loading blocks the server in Redis too, so this sleeps.
 */
function debugDelay(micros: number): void {
  const sleep = micros > 0 ? micros : Math.random() * -micros < 1 ? 1 : 0;
  if (sleep > 0) Atomics.wait(sleeper, 0, 0, sleep / 1000);
}

/** What a finished load tells: its counts, the file's AUX fields and the bytes after the RDB. */
function loadResult(loader: KeyspaceLoader, reader: RdbReader): LoadResult {
  return {
    keys: loader.keys,
    expiredSkipped: loader.expiredSkipped,
    aux: loader.aux,
    remainder: reader.remainder,
  };
}
