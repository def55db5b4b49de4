import { ReplyWriter } from '@rc/resp';
import { PropagationTarget, type PropagatedOp } from './propagation.js';

/**
 * Turns propagated batches into the RESP bytes Redis writes to its AOF and replication stream:
 * each op as a multibulk, preceded by `SELECT n` whenever the database differs from the last
 * op's (as feedAppendOnlyFile and replicationFeedSlaves do). One encoder per consumer, since
 * each remembers its own last database; `reset` forgets it (a new AOF file, a new replica).
 */
export class PropagationEncoder {
  private readonly writer = new ReplyWriter();
  private selectedDb = -1;

  /** `target` picks the ops for this consumer: PUBLISH goes to replicas, not the AOF. */
  constructor(private readonly target: PropagationTarget = PropagationTarget.Aof) {}

  /** Encodes a batch into the pending output; `take` collects it. */
  append(batch: readonly PropagatedOp[]): void {
    const out = this.writer;
    for (let i = 0; i < batch.length; i++) {
      const op = batch[i];
      if ((op.target & this.target) === 0) continue;
      if (op.db !== this.selectedDb) {
        out.array(2);
        out.bulk('SELECT');
        out.bulk(String(op.db));
        this.selectedDb = op.db;
      }
      const argv = op.argv;
      out.array(argv.length);
      for (let j = 0; j < argv.length; j++) out.bulk(argv[j]);
    }
  }

  /** Bytes encoded since the last call. */
  get length(): number {
    return this.writer.length;
  }

  take(): Buffer {
    return this.writer.take();
  }

  /** The next op will be preceded by SELECT, whatever its database. */
  reset(): void {
    this.selectedDb = -1;
  }

  /** Encodes one batch on its own, from no selected database (tests, one-off writes). */
  static encode(
    batch: readonly PropagatedOp[],
    target: PropagationTarget = PropagationTarget.Aof,
  ): Buffer {
    const encoder = new PropagationEncoder(target);
    encoder.append(batch);
    return encoder.take();
  }
}
