import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { savePacing, snapshotChunks, type Engine, type SnapshotOptions } from '@rc/engine';
import type { ConnectedReplica } from './connected-replica.js';
import { randomHexId } from './connected-replica.js';

/** How long one slice of snapshot work may keep the event loop. */
const SLICE_MILLISECONDS = 4;

/** How a transfer ended: its payload's size, or why it stopped. */
export type TransferOutcome =
  { kind: 'sent'; size: number } | { kind: 'dropped' } | { kind: 'killed' };

export interface TransferOptions {
  /** Aborted when the transfer's child is killed: the transfer stops. */
  readonly signal?: AbortSignal;
  /** The whole payload was produced; `alive` replicas still take it (Redis's rdb pipe). */
  readonly produced?: (alive: number) => void;
}

/**
 * Sends one point-in-time RDB image to replicas without blocking the server. The image is taken
 * now (synchronously, so it matches the stream offset the caller announced); its bytes are
 * produced in slices between event-loop turns, as `snapshotChunks` allows, and go to every
 * replica still there: the slowest one sets the pace, as with Redis's rdb pipe.
 *
 * With `eof` the payload is streamed as produced, framed `$EOF:<mark>\r\n...<mark>`, as Redis's
 * diskless sync; otherwise it is gathered in memory to announce its length first, as a
 * disk-based sync sends its file.
 */
export function sendSnapshot(
  engine: Engine,
  replicas: readonly ConnectedReplica[],
  image: Pick<SnapshotOptions, 'aux' | 'include'>,
  eof: boolean,
  options: TransferOptions = {},
): Promise<TransferOutcome> {
  const chunks = snapshotChunks(engine, { ...image, sliceMilliseconds: SLICE_MILLISECONDS });
  return pump(chunks, replicas, eof, savePacing(engine).pauseMs, options);
}

/** Runs synchronously up to its first await: the snapshot starts before anything else can run. */
async function pump(
  chunks: Generator<Buffer>,
  replicas: readonly ConnectedReplica[],
  eof: boolean,
  pauseMs: number,
  options: TransferOptions,
): Promise<TransferOutcome> {
  const mark = eof ? Buffer.from(randomHexId(), 'latin1') : null;
  const gathered: Buffer[] = [];
  const alive = (): ConnectedReplica[] => replicas.filter((replica) => !replica.closed);
  const stopped = (): TransferOutcome | null =>
    options.signal?.aborted === true
      ? { kind: 'killed' }
      : alive().length === 0
        ? { kind: 'dropped' }
        : null;
  // A killed child stops the transfer at once, even while a replica that does not read holds it.
  const killed = new Promise<void>((resolve) => {
    if (options.signal?.aborted === true) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  const writeAll = (bytes: Buffer) =>
    Promise.race([Promise.all(alive().map((replica) => replica.write(bytes))), killed]);
  let size = 0;
  // The EOF header goes out before the image's first slice is made, as Redis's child writes it
  // first: the replica opens its file while the slice runs, instead of after it.
  const header =
    mark === null ? null : writeAll(Buffer.from(`$EOF:${mark.toString('latin1')}\r\n`));
  // The generator starts the snapshot on its first step.
  const first = chunks.next();
  try {
    if (header !== null) await header;
    for (let step = first; ; step = chunks.next()) {
      const stop = stopped();
      if (stop !== null) return stop;
      if (!step.done && step.value.length !== 0) {
        size += step.value.length;
        if (mark !== null) await writeAll(step.value);
        else gathered.push(step.value);
      }
      if (step.done) break;
      await (pauseMs > 0 ? sleep(pauseMs) : nextTurn());
    }
    const stop = stopped();
    if (stop !== null) return stop;
    options.produced?.(alive().length);
    if (mark !== null) await writeAll(mark);
    else {
      await writeAll(Buffer.from(`$${size}\r\n`));
      for (const chunk of gathered) await writeAll(chunk);
    }
    return stopped() ?? { kind: 'sent', size };
  } finally {
    // Ends the snapshot when the transfer stopped halfway.
    chunks.return(undefined);
  }
}
