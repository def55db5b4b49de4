import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { savePacing, snapshotChunks, type Engine, type SnapshotOptions } from '@rc/engine';
import type { ConnectedReplica } from './connected-replica.js';
import { randomHexId } from './connected-replica.js';

/** How long one slice of snapshot work may keep the event loop. */
const SLICE_MILLISECONDS = 4;

export interface SnapshotTransfer {
  /** Resolves with the payload's size once sent, or null if the replica went away first. */
  readonly done: Promise<number | null>;
}

/**
 * Sends a point-in-time RDB image to a replica without blocking the server. The image is taken
 * now (synchronously, so it matches the stream offset the caller announced); its bytes are
 * produced in slices between event-loop turns, as `snapshotChunks` allows.
 *
 * With `eof` the payload is streamed as produced, framed `$EOF:<mark>\r\n...<mark>`, as Redis's
 * diskless sync; otherwise it is gathered in memory to announce its length first, as a
 * disk-based sync sends its file.
 */
export function sendSnapshot(
  engine: Engine,
  replica: ConnectedReplica,
  image: Pick<SnapshotOptions, 'aux' | 'include'>,
  eof: boolean,
): SnapshotTransfer {
  const chunks = snapshotChunks(engine, { ...image, sliceMilliseconds: SLICE_MILLISECONDS });
  // The generator starts the snapshot on its first step: do it before anything else can run.
  const first = chunks.next();
  return { done: pump(chunks, first, replica, eof, savePacing(engine).pauseMs) };
}

async function pump(
  chunks: Generator<Buffer>,
  first: IteratorResult<Buffer>,
  replica: ConnectedReplica,
  eof: boolean,
  pauseMs: number,
): Promise<number | null> {
  const mark = eof ? Buffer.from(randomHexId(), 'latin1') : null;
  const gathered: Buffer[] = [];
  let size = 0;
  try {
    if (mark !== null) await replica.write(Buffer.from(`$EOF:${mark.toString('latin1')}\r\n`));
    for (let step = first; ; step = chunks.next()) {
      if (replica.closed) return null;
      if (!step.done && step.value.length !== 0) {
        size += step.value.length;
        if (mark !== null) await replica.write(step.value);
        else gathered.push(step.value);
      }
      if (step.done) break;
      await (pauseMs > 0 ? sleep(pauseMs) : nextTurn());
    }
    if (replica.closed) return null;
    if (mark !== null) await replica.write(mark);
    else {
      await replica.write(Buffer.from(`$${size}\r\n`));
      for (const chunk of gathered) await replica.write(chunk);
    }
    return replica.closed ? null : size;
  } finally {
    // Ends the snapshot when the replica went away halfway.
    chunks.return(undefined);
  }
}
