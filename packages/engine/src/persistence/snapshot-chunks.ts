import { RdbWriter } from '@rc/rdb';
import { SERVER_VERSION } from '../version.js';
import type { Engine } from '../engine.js';

/**
 * The AUX fields Redis 7.0 writes at the top of a file, plus `extra` (a replica's full sync
 * adds repl-stream-db, repl-id and repl-offset).
 */
export function rdbAuxFields(
  options: { aofBase?: boolean; extra?: ReadonlyArray<readonly [string, string]> } = {},
): Array<readonly [string, string]> {
  return [
    ['redis-ver', SERVER_VERSION],
    ['redis-bits', '64'],
    ['ctime', String(Math.floor(Date.now() / 1000))],
    ['used-mem', String(process.memoryUsage().heapUsed)],
    ...(options.extra ?? []),
    ['aof-base', options.aofBase === true ? '1' : '0'],
  ];
}

export interface SnapshotOptions {
  /** AUX fields for the file's header, in order (redis-ver, ctime, repl-id...). */
  readonly aux: Iterable<readonly [string, string]>;
  /**
   * Time one chunk may take; Infinity for a blocking SAVE, whose caller takes every chunk
   * before anything else runs.
   */
  readonly sliceMilliseconds: number;
  /** A chunk ends once this many bytes are waiting. */
  readonly maxChunkBytes?: number;
  /**
   * The caller is done with each chunk before it asks for the next (a file write awaited):
   * chunks are views of two buffers that take turns instead of a buffer each.
   */
  readonly reuseChunks?: boolean;
  /**
   * What the image holds (a replica's REPLCONF rdb-filter-only): keys and function libraries
   * unless left out.
   */
  readonly include?: { readonly data: boolean; readonly functions: boolean };
}

/**
 * A point-in-time RDB image of the engine as chunks of bytes, one slice of work per chunk:
 * between two chunks the caller yields to the event loop (writes the file, feeds a replica
 * socket), and writes that happen meanwhile preserve what the image still needs. The image is
 * complete when the generator returns; stopping early (return/throw) abandons it.
 */
export function* snapshotChunks(engine: Engine, options: SnapshotOptions): Generator<Buffer> {
  const writer = new RdbWriter({ compress: engine.config.get('rdbcompression') === 'yes' });
  writer.header(options.aux);
  // Libraries go first, as in Redis's rdbSaveRio: they are few and small, so all at once.
  if (options.include?.functions !== false) {
    for (const library of engine.scripting.libraries.libraries()) {
      writer.functionLibrary(library.code);
    }
  }
  if (options.include?.data === false) {
    writer.end();
    yield writer.take();
    return;
  }
  const snapshot = engine.startSnapshot(writer, options.sliceMilliseconds === Infinity);
  const maxBytes = options.maxChunkBytes ?? 1 << 20;
  const { keysPerSlice } = savePacing(engine);
  try {
    for (;;) {
      const done = snapshot.step({
        maxBytes,
        deadline: Date.now() + options.sliceMilliseconds,
        maxKeys: options.sliceMilliseconds === Infinity ? Infinity : keysPerSlice,
      });
      if (done) writer.end();
      yield options.reuseChunks === true ? writer.takeDoubleBuffered() : writer.take();
      if (done) return;
    }
  } finally {
    engine.endSnapshot(snapshot);
  }
}

/**
 * rdb-key-save-delay, the test switch that makes a save slow (Redis sleeps that many
 * microseconds per key in its fork child): a background snapshot writes `keysPerSlice` keys and
 * its caller waits `pauseMs` before the next slice, so the save takes as long while the server
 * keeps serving. No pacing when the switch is 0 or negative (Redis's rare 1 µs sleeps).
 */
export function savePacing(engine: Engine): { keysPerSlice: number; pauseMs: number } {
  const micros = engine.config.getNumber('rdb-key-save-delay');
  if (!(micros > 0)) return { keysPerSlice: Infinity, pauseMs: 0 };
  const keysPerSlice = Math.max(1, Math.floor(1000 / micros));
  return { keysPerSlice, pauseMs: (keysPerSlice * micros) / 1000 };
}
