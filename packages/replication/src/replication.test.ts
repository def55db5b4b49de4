import { setTimeout as sleep } from 'node:timers/promises';
import {
  BLOCKED,
  Engine,
  PropagationEncoder,
  PropagationTarget,
  type Client,
  type ClientConnection,
} from '@rc/engine';
import { readRdb } from '@rc/rdb';
import { RequestParser } from '@rc/resp';
import { afterEach, describe, expect, it } from 'vitest';
import { Replication } from './replication.js';
import { ReplyLineReader, SyncPayloadReader } from './sync-payload.js';

/** A client connection whose detached output is recorded instead of sent. */
class FakeConnection implements ClientConnection {
  readonly remoteAddress = '127.0.0.1:50000';
  readonly localAddress = '127.0.0.1:6379';
  readonly pendingOutputBytes = 0;
  readonly written: Buffer[] = [];
  resumed = 0;
  closed = false;
  private readonly closeListeners: Array<() => void> = [];
  scheduleFlush(): void {}
  resume(): void {
    this.resumed++;
  }
  close(): void {
    this.closed = true;
    for (const listener of this.closeListeners) listener();
  }
  detachOutput() {
    return {
      write: (bytes: Buffer) => {
        this.written.push(Buffer.from(bytes));
        return true;
      },
      pendingOutputBytes: 0,
      onDrain: () => undefined,
      onClose: (listener: () => void) => this.closeListeners.push(listener),
    };
  }
  /** Everything written to the socket so far. */
  take(): Buffer {
    const bytes = Buffer.concat(this.written);
    this.written.length = 0;
    return bytes;
  }
}

const replications: Replication[] = [];
afterEach(() => {
  for (const replication of replications.splice(0)) replication.stop();
});

function setup() {
  const engine = new Engine();
  const replication = new Replication(engine);
  engine.replication = replication;
  replications.push(replication);
  const connect = (): { client: Client; connection: FakeConnection } => {
    const connection = new FakeConnection();
    return { client: engine.connect(connection), connection };
  };
  const run = (client: Client, ...argv: string[]): string => {
    engine.execute(client, argv);
    return client.out.take().toString('latin1');
  };
  return { engine, replication, connect, run };
}

function commands(bytes: Buffer): string[][] {
  const parser = new RequestParser();
  parser.feed(bytes);
  const result: string[][] = [];
  for (let next = parser.next(); next !== null; next = parser.next()) {
    if (Array.isArray(next)) result.push(next);
  }
  return result;
}

/** Waits until the full sync wrote its payload (the transfer yields between slices). */
async function transferred(connection: FakeConnection, received: Buffer[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    received.push(connection.take());
    const lines = new ReplyLineReader();
    lines.feed(Buffer.concat(received));
    const first = lines.next();
    if (first !== null) {
      const payload = new SyncPayloadReader();
      if (payload.feed(lines.take()) !== null) return;
    }
    await sleep(5);
  }
  throw new Error('no complete payload');
}

function parseSync(bytes: Buffer): { header: string; keys: string[]; rest: Buffer } {
  const lines = new ReplyLineReader();
  lines.feed(bytes);
  const header = lines.next() as string;
  const result = new SyncPayloadReader().feed(lines.take());
  if (result === null) throw new Error('incomplete payload');
  const keys = readRdb(result.rdb)
    .filter((record) => record.kind === 'key')
    .map((record) => (record.kind === 'key' ? `${record.db}:${record.key}` : ''));
  return { header, keys: keys.sort(), rest: result.rest };
}

describe('Replication as a master', () => {
  it('answers a first PSYNC with FULLRESYNC and a snapshot taken at that moment', async () => {
    const { replication, connect, run } = setup();
    const { client: writer } = connect();
    run(writer, 'SET', 'before', '1');
    run(writer, 'SELECT', '2');
    run(writer, 'RPUSH', 'list', 'a', 'b');
    const { client: replica, connection } = connect();
    expect(run(replica, 'REPLCONF', 'listening-port', '7000')).toBe('+OK\r\n');
    run(replica, 'PSYNC', '?', '-1');
    // Written while the snapshot is produced: not in it, sent after it.
    run(writer, 'SET', 'after', '2');
    const received: Buffer[] = [];
    await transferred(connection, received);
    const { header, keys, rest } = parseSync(Buffer.concat(received));
    expect(header).toBe(`+FULLRESYNC ${replication.replid} 0`);
    expect(keys).toEqual(['0:before', '2:list']);
    expect(commands(Buffer.concat([rest, connection.take()]))).toEqual([
      ['SELECT', '2'],
      ['SET', 'after', '2'],
    ]);
    expect(replication.offset).toBeGreaterThan(0);
  });

  it('holds diskless transfers for repl-diskless-sync-delay, or until enough replicas wait', async () => {
    const { engine, connect, run } = setup();
    engine.config.set('repl-diskless-sync-delay', '60');
    engine.config.set('repl-diskless-sync-max-replicas', '2');
    const { client: writer } = connect();
    const replicas = [connect(), connect()];
    const [first, second] = replicas;
    run(first.client, 'REPLCONF', 'capa', 'eof');
    run(first.client, 'PSYNC', '?', '-1');
    // Written while the first replica waits: its snapshot, taken later, holds it.
    run(writer, 'SET', 'while-waiting', '1');
    await sleep(50);
    expect(first.connection.take().length).toBe(0);
    run(second.client, 'REPLCONF', 'capa', 'eof');
    run(second.client, 'PSYNC', '?', '-1');
    for (const { client, connection } of replicas) {
      const received: Buffer[] = [];
      await transferred(connection, received);
      const all = Buffer.concat(received).toString('latin1');
      expect(all).toMatch(/^\+FULLRESYNC [0-9a-f]{40} \d+\r\n\$EOF:/);
      expect(all).toContain('while-waiting');
      run(client, 'REPLCONF', 'ACK', '0');
      // Nothing of the stream before the snapshot follows it.
      expect(commands(connection.take())).toEqual([]);
    }
  });

  it('streams to a replica with capa eof only after its first ACK', async () => {
    const { engine, replication, connect, run } = setup();
    engine.config.set('repl-diskless-sync-delay', '0');
    const { client: writer } = connect();
    run(writer, 'SET', 'k', 'v');
    const { client: replica, connection } = connect();
    run(replica, 'REPLCONF', 'capa', 'eof', 'capa', 'psync2');
    run(replica, 'PSYNC', '?', '-1');
    run(writer, 'INCR', 'n');
    const received: Buffer[] = [];
    await transferred(connection, received);
    const all = Buffer.concat(received).toString('latin1');
    expect(all).toMatch(/^\+FULLRESYNC [0-9a-f]{40} 0\r\n\$EOF:[0-9a-f]{40}\r\nREDIS0010/);
    expect(all.endsWith(all.slice(all.indexOf('$EOF:') + 5, all.indexOf('$EOF:') + 45))).toBe(true);
    await sleep(20);
    expect(connection.take().length).toBe(0);
    run(replica, 'REPLCONF', 'ACK', '0');
    expect(commands(connection.take())).toEqual([
      ['SELECT', '0'],
      ['INCR', 'n'],
    ]);
    expect(replication.infoFields()).toContainEqual([
      'slave0',
      'ip=127.0.0.1,port=0,state=online,offset=0,lag=0',
    ]);
  });

  it('continues a replica from the backlog with +CONTINUE', async () => {
    const { replication, connect, run } = setup();
    const { client: writer } = connect();
    const first = connect();
    run(first.client, 'REPLCONF', 'capa', 'psync2');
    run(first.client, 'PSYNC', '?', '-1');
    await transferred(first.connection, []);
    run(writer, 'SET', 'a', '1');
    const offset = replication.offset;
    run(writer, 'SET', 'b', '2');
    first.connection.close();
    expect(replication.replicas.size).toBe(0);
    const second = connect();
    run(second.client, 'REPLCONF', 'capa', 'psync2');
    run(second.client, 'PSYNC', replication.replid, String(offset + 1));
    const bytes = second.connection.take().toString('latin1');
    expect(bytes).toBe(
      `+CONTINUE ${replication.replid}\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n`,
    );
    // Outside the backlog, or another history: a full resync.
    const third = connect();
    run(third.client, 'PSYNC', replication.replid, String(offset + 1000));
    expect(third.connection.take().toString('latin1')).toMatch(/^\+FULLRESYNC /);
  });

  it('restarted from an RDB, continues its saved history after the DELs of keys found expired', () => {
    const { replication, connect, run } = setup();
    const saved = 'a'.repeat(40);
    // As the startup load calls them: expired keys first, then the file's AUX fields.
    replication.expiredAtLoad(0, 'gone');
    replication.expiredAtLoad(3, 'old');
    replication.restoreFromRdb(
      new Map([
        ['repl-id', saved],
        ['repl-offset', '100'],
      ]),
    );
    replication.start(0);
    const dels = PropagationEncoder.encode(
      [
        { db: 0, argv: ['DEL', 'gone'], target: PropagationTarget.Replication },
        { db: 3, argv: ['DEL', 'old'], target: PropagationTarget.Replication },
      ],
      PropagationTarget.Replication,
    );
    expect(replication.replid2).toBe(saved);
    expect(replication.secondOffset).toBe(101);
    expect(replication.offset).toBe(100 + dels.length);
    expect(replication.backlog?.firstByteOffset).toBe(101);
    const replica = connect();
    run(replica.client, 'REPLCONF', 'capa', 'psync2');
    run(replica.client, 'PSYNC', saved, '101');
    expect(replica.connection.take()).toEqual(
      Buffer.concat([Buffer.from(`+CONTINUE ${replication.replid}\r\n`), dels]),
    );
    // CONFIG RESETSTAT starts the sync counters again.
    expect(replication.stats.partialSyncsAccepted).toBe(1);
    run(connect().client, 'CONFIG', 'RESETSTAT');
    expect(replication.stats.partialSyncsAccepted).toBe(0);
  });

  it('restarted from an RDB without replication info, keeps no backlog', () => {
    const { replication } = setup();
    replication.expiredAtLoad(0, 'gone');
    replication.start(0);
    expect(replication.backlog).toBeNull();
    expect(replication.replid2).toBe('0'.repeat(40));
  });

  it('blocks WAIT until enough replicas acknowledged the client’s last write', async () => {
    const { engine, replication, connect, run } = setup();
    const { client: writer, connection: writerConnection } = connect();
    const replica = connect();
    run(replica.client, 'PSYNC', '?', '-1');
    await transferred(replica.connection, []);
    run(replica.client, 'REPLCONF', 'ACK', String(replication.offset));
    // Nothing written by this client: every online replica counts, at once.
    expect(run(writer, 'WAIT', '1', '0')).toBe(':1\r\n');
    expect(run(writer, 'WAIT', '0', '0')).toBe(':1\r\n');
    run(writer, 'SET', 'x', '1');
    expect(engine.execute(writer, ['WAIT', '1', '0'])).toBe(BLOCKED);
    await sleep(5);
    // The master asked for acknowledgements through the stream.
    expect(commands(replica.connection.take()).at(-1)).toEqual(['REPLCONF', 'GETACK', '*']);
    run(replica.client, 'REPLCONF', 'ACK', String(writer.replicationOffset));
    expect(writer.out.take().toString()).toBe(':1\r\n');
    expect(writerConnection.resumed).toBe(1);
  });

  it('answers WAIT with the acknowledged count at its timeout, and at once inside MULTI', async () => {
    const { engine, connect, run } = setup();
    const { client } = connect();
    const replica = connect();
    run(replica.client, 'PSYNC', '?', '-1');
    await transferred(replica.connection, []);
    run(client, 'SET', 'x', '1');
    const started = Date.now();
    expect(engine.execute(client, ['WAIT', '1', '50'])).toBe(BLOCKED);
    await sleep(80);
    expect(client.out.take().toString()).toBe(':0\r\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    run(client, 'MULTI');
    run(client, 'WAIT', '1', '0');
    expect(run(client, 'EXEC')).toBe('*1\r\n:0\r\n');
  });

  it('describes itself in ROLE and INFO replication', () => {
    const { replication, connect, run } = setup();
    const { client } = connect();
    expect(run(client, 'ROLE')).toBe('*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n');
    const fields = replication.infoFields().map(([name]) => name);
    expect(fields).toEqual([
      'role',
      'connected_slaves',
      'master_failover_state',
      'master_replid',
      'master_replid2',
      'master_repl_offset',
      'second_repl_offset',
      'repl_backlog_active',
      'repl_backlog_size',
      'repl_backlog_first_byte_offset',
      'repl_backlog_histlen',
    ]);
  });

  it('rejects REPLCONF with a missing value or an unknown option', () => {
    const { connect, run } = setup();
    const { client } = connect();
    expect(run(client, 'REPLCONF', 'listening-port')).toBe('-ERR syntax error\r\n');
    expect(run(client, 'REPLCONF', 'nope', '1')).toBe(
      '-ERR Unrecognized REPLCONF option: nope\r\n',
    );
    expect(run(client, 'REPLCONF', 'listening-port', 'x')).toBe(
      '-ERR value is not an integer or out of range\r\n',
    );
    expect(run(client, 'REPLCONF', 'ACK', '10')).toBe('');
  });
});
