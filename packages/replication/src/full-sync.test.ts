import { Engine, detachedConnection, rdbAuxFields, type Client, type RawOutput } from '@rc/engine';
import { readRdb } from '@rc/rdb';
import { describe, expect, it } from 'vitest';
import { ConnectedReplica } from './connected-replica.js';
import { sendSnapshot } from './full-sync.js';
import { EOF_MARK_LENGTH, SyncPayloadReader } from './sync-payload.js';
import { announced } from './test-support/announcement.js';

/** A socket that takes everything, and remembers each write and what `when` said then. */
class RecordingSocket implements RawOutput {
  readonly writes: Buffer[] = [];
  readonly seen: number[] = [];
  pendingOutputBytes = 0;

  constructor(private readonly when: () => number) {}

  write(bytes: Buffer): boolean {
    this.writes.push(Buffer.from(bytes));
    this.seen.push(this.when());
    return true;
  }

  onDrain(): void {}

  onClose(): void {}
}

function engineWithKeys(count: number): Engine {
  const engine = new Engine();
  const client = engine.connect(detachedConnection());
  for (let i = 0; i < count; i++) engine.execute(client, ['SET', `key:${i}`, `value-${i}`]);
  return engine;
}

describe('sendSnapshot', () => {
  it('writes the EOF header before the image is produced, as Redis writes it first', async () => {
    const engine = engineWithKeys(1000);
    const socket = new RecordingSocket(() => engine.snapshotsStarted);
    const replica = new ConnectedReplica({} as Client, socket, announced, false);
    const sent = sendSnapshot(engine, [replica], { aux: rdbAuxFields() }, true);
    // The header alone, written before the image's first slice began (the replica opens its
    // file meanwhile); the image itself is still taken now, before any event-loop turn.
    expect(socket.writes.map((bytes) => bytes.toString('latin1'))).toEqual([
      expect.stringMatching(new RegExp(`^\\$EOF:[0-9a-f]{${EOF_MARK_LENGTH}}\\r\\n$`)),
    ]);
    expect(socket.seen).toEqual([0]);
    expect(engine.snapshotsStarted).toBe(1);

    const outcome = await sent;
    const payload = new SyncPayloadReader().feed(Buffer.concat(socket.writes));
    expect(payload).not.toBeNull();
    const keys = readRdb((payload as { rdb: Buffer }).rdb).filter((r) => r.kind === 'key');
    expect(keys).toHaveLength(1000);
    expect(outcome).toEqual({ kind: 'sent', size: expect.any(Number) });
  });
});
