import fc from 'fast-check';
import { RdbWriter, readRdb, type RdbRecord } from '@rc/rdb';
import { describe, expect, it } from 'vitest';
import type { Client } from '../client.js';
import { detachedConnection } from '../detached-connection.js';
import { Engine } from '../engine.js';
import { snapshotChunks } from './snapshot-chunks.js';

function connect(engine: Engine): Client {
  return engine.connect(detachedConnection('127.0.0.1:1', '127.0.0.1:2'));
}

function run(engine: Engine, client: Client, ...argv: string[]): void {
  engine.execute(client, argv);
}

/** db → key → a printable form of the value, as the records describe it. */
function contents(records: RdbRecord[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const record of records) {
    if (record.kind !== 'key') continue;
    const id = `${record.db}:${record.key}`;
    expect(keys.has(id), `${id} written twice`).toBe(false);
    keys.set(
      id,
      JSON.stringify(record.value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)),
    );
  }
  return keys;
}

function everything(engine: Engine, blocking = true): Map<string, string> {
  const writer = new RdbWriter();
  writer.header([]);
  const snapshot = engine.startSnapshot(writer, blocking);
  snapshot.finish();
  engine.endSnapshot(snapshot);
  writer.end();
  return contents(readRdb(writer.take()));
}

function filled(): { engine: Engine; client: Client } {
  const engine = new Engine();
  const client = connect(engine);
  for (let db = 0; db < 3; db++) {
    run(engine, client, 'select', String(db));
    for (let i = 0; i < 200; i++) run(engine, client, 'set', `s${i}`, `value ${db} ${i}`);
    run(engine, client, 'rpush', 'list', 'a', 'b', 'c');
    run(engine, client, 'zadd', 'zset', '1', 'one', '2', 'two');
    run(engine, client, 'xadd', 'stream', '1-1', 'f', 'v');
  }
  run(engine, client, 'select', '0');
  return { engine, client };
}

describe('Snapshot', () => {
  it('writes the same image whether it remembers the keys it passed or not (blocking)', () => {
    const { engine } = filled();
    expect(everything(engine, true)).toEqual(everything(engine, false));
  });

  it('is the dataset as it was at the start, whatever clients write meanwhile', () => {
    const { engine, client } = filled();
    const before = everything(engine);
    const writer = new RdbWriter();
    writer.header([]);
    const snapshot = engine.startSnapshot(writer, false);
    // A few keys into database 0, then writes everywhere between slices.
    expect(snapshot.step({ maxBytes: 200, deadline: Infinity })).toBe(false);
    for (let db = 0; db < 3; db++) {
      run(engine, client, 'select', String(db));
      run(engine, client, 'set', 's0', 'changed');
      run(engine, client, 'del', 's150');
      run(engine, client, 'set', 'new-key', 'not in the image');
      run(engine, client, 'rpush', 'list', 'd');
      run(engine, client, 'zadd', 'zset', '3', 'three');
      run(engine, client, 'xadd', 'stream', '2-1', 'f', 'w');
      run(engine, client, 'incr', 's199');
    }
    run(engine, client, 'select', '5');
    run(engine, client, 'set', 'fresh-db', 'x');
    while (!snapshot.step({ maxBytes: 500, deadline: Infinity })) {
      run(engine, client, 'select', '1');
      run(engine, client, 'append', 's100', '!');
    }
    engine.endSnapshot(snapshot);
    writer.end();
    expect(contents(readRdb(writer.take()))).toEqual(before);
    expect(everything(engine)).not.toEqual(before);
  });

  it('keeps the keys that deletions behind the walk move behind it, and none twice', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            op: fc.constantFrom('del', 'set'),
            key: fc.integer({ min: 0, max: 59 }),
          }),
          { maxLength: 120 },
        ),
        fc.integer({ min: 1, max: 8 }),
        (writes, keysPerSlice) => {
          const engine = new Engine();
          const client = connect(engine);
          for (let i = 0; i < 60; i++) run(engine, client, 'set', `k${i}`, `v${i}`);
          const before = everything(engine);
          const writer = new RdbWriter();
          writer.header([]);
          const snapshot = engine.startSnapshot(writer, false);
          let next = 0;
          const slice = { maxBytes: Infinity, deadline: Infinity, maxKeys: keysPerSlice };
          while (!snapshot.step(slice)) {
            // A few writes between slices, deletions anywhere among them.
            for (const { op, key } of writes.slice(next, next + 3)) {
              run(
                engine,
                client,
                ...(op === 'set' ? ['set', `k${key}`, 'changed'] : ['del', `k${key}`]),
              );
            }
            next += 3;
          }
          engine.endSnapshot(snapshot);
          writer.end();
          // contents() also fails on a key written twice.
          expect(contents(readRdb(writer.take()))).toEqual(before);
        },
      ),
    );
  });

  it('paces keys written ahead by copy-on-write like the others (rdb-key-save-delay)', () => {
    const engine = new Engine();
    const client = connect(engine);
    for (let i = 0; i < 10; i++) run(engine, client, 'set', `k${i}`, 'old');
    const writer = new RdbWriter();
    writer.header([]);
    const snapshot = engine.startSnapshot(writer, false);
    for (let i = 0; i < 10; i++) run(engine, client, 'set', `k${i}`, 'new');
    let slices = 1;
    while (!snapshot.step({ maxBytes: Infinity, deadline: Infinity, maxKeys: 3 })) slices++;
    engine.endSnapshot(snapshot);
    // Ten keys at three a slice, as if none had been written ahead.
    expect(slices).toBe(4);
  });

  it('finishes before a write that replaces whole databases', () => {
    const { engine, client } = filled();
    const before = everything(engine);
    const writer = new RdbWriter();
    writer.header([]);
    const snapshot = engine.startSnapshot(writer, false);
    snapshot.step({ maxBytes: 100, deadline: Infinity });
    run(engine, client, 'swapdb', '0', '2');
    run(engine, client, 'flushall');
    expect(snapshot.finished).toBe(true);
    engine.endSnapshot(snapshot);
    writer.end();
    expect(contents(readRdb(writer.take()))).toEqual(before);
  });

  it('keeps the old destination of a blocked move served during the snapshot', () => {
    const { engine, client } = filled();
    const waiter = connect(engine);
    run(engine, waiter, 'blmove', 'source', 'list', 'left', 'right', '0');
    const before = everything(engine);
    const writer = new RdbWriter();
    writer.header([]);
    const snapshot = engine.startSnapshot(writer, false);
    run(engine, client, 'rpush', 'source', 'x');
    snapshot.finish();
    engine.endSnapshot(snapshot);
    writer.end();
    expect(contents(readRdb(writer.take()))).toEqual(before);
  });

  it('compresses strings only with rdbcompression yes, as Redis', () => {
    const sizes = ['yes', 'no'].map((setting) => {
      const { engine, client } = filled();
      run(engine, client, 'SET', 'zeros', '\0'.repeat(10_000));
      engine.config.set('rdbcompression', setting);
      let size = 0;
      for (const chunk of snapshotChunks(engine, { aux: [], sliceMilliseconds: 1000 })) {
        size += chunk.length;
      }
      return size;
    });
    expect(sizes[1] - sizes[0]).toBeGreaterThan(9_000);
  });
});
