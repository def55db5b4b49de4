import { RequestParser } from '@rc/resp';
import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import { PropagationEncoder } from './propagation-encoder.js';
import { PropagationTarget, type PropagatedOp } from './propagation.js';
import { connect, engineWithClient } from './test-support/engine-client.js';

/** An engine whose propagated batches are recorded as lines of space-joined argv. */
function recording(config: Array<[string, string]> = []) {
  const setup = engineWithClient(config);
  const batches: string[][] = [];
  setup.engine.propagation.addListener((batch) =>
    batches.push(batch.map((op) => `${op.db}: ${op.argv.join(' ')}`)),
  );
  return { ...setup, batches };
}

describe('propagation of effective writes', () => {
  it('builds nothing when nobody listens', () => {
    const engine = new Engine();
    const client = connect(engine);
    engine.execute(client, ['SET', 'k', 'v', 'EX', '10']);
    expect(engine.propagation.active).toBe(false);
    expect(engine.propagation.replacement).toBeNull();
  });

  it('propagates a write as sent, and a read or a no-op not at all', () => {
    const { batches, run } = recording();
    run('SET', 'a', '1');
    run('GET', 'a');
    run('DEL', 'missing');
    run('SET', 'a', '2', 'NX');
    expect(batches).toEqual([['0: SET a 1']]);
  });

  it('rewrites relative and absolute expiries as PXAT / PEXPIREAT', () => {
    const { batches, run } = recording();
    const before = Date.now();
    run('SET', 'a', '1', 'EX', '100');
    run('EXPIRE', 'a', '500', 'GT');
    run('SETEX', 'b', '10', 'x');
    const [set, expire, setex] = batches.map((batch) => batch[0].split(' '));
    expect(set.slice(0, 5)).toEqual(['0:', 'SET', 'a', '1', 'PXAT']);
    expect(Number(set[5]) - before).toBeGreaterThanOrEqual(100_000);
    expect(Number(set[5]) - Date.now()).toBeLessThanOrEqual(100_000);
    expect(expire.slice(0, 3)).toEqual(['0:', 'PEXPIREAT', 'a']);
    expect(expire[4]).toBe('GT');
    expect(setex.slice(1, 5)).toEqual(['SET', 'b', 'x', 'PXAT']);
  });

  it('propagates an expiry in the past as DEL, or UNLINK with lazyfree-lazy-expire', () => {
    const { batches, run, engine } = recording();
    run('SET', 'a', '1');
    run('EXPIREAT', 'a', '1');
    engine.config.set('lazyfree-lazy-expire', 'yes');
    run('SET', 'b', '1');
    run('PEXPIRE', 'b', '-5');
    expect(batches).toEqual([['0: SET a 1'], ['0: DEL a'], ['0: SET b 1'], ['0: UNLINK b']]);
  });

  it('propagates float increments as their result', () => {
    const { batches, run } = recording();
    run('INCRBYFLOAT', 'f', '1.5');
    run('HINCRBYFLOAT', 'h', 'x', '0.25');
    expect(batches).toEqual([['0: SET f 1.5 KEEPTTL'], ['0: HSET h x 0.25']]);
  });

  it('wraps several ops of one EXEC in MULTI/EXEC with their databases', () => {
    const { batches, run } = recording();
    run('MULTI');
    run('SET', 'a', '1');
    run('SELECT', '3');
    run('SET', 'b', '2');
    run('GET', 'b');
    run('EXEC');
    expect(batches).toEqual([['0: MULTI', '0: SET a 1', '3: SET b 2', '3: EXEC']]);
  });

  it('propagates a lazily expired key as DEL before the command that found it', () => {
    const { batches, run, engine, client } = recording();
    run('SET', 'a', '1');
    engine.propagation.suspend();
    client.db.setExpire('a', Date.now() - 1);
    engine.propagation.resume();
    run('SET', 'a', '2');
    expect(batches).toEqual([['0: SET a 1'], ['0: MULTI', '0: DEL a', '0: SET a 2', '0: EXEC']]);
  });

  it('propagates a served BLPOP as LPOP, after the push that woke it', () => {
    const { batches, run, engine } = recording();
    const waiter = connect(engine);
    engine.execute(waiter, ['BLPOP', 'list', '0']);
    run('RPUSH', 'list', 'x', 'y');
    expect(batches).toEqual([['0: RPUSH list x y'], ['0: LPOP list']]);
  });

  it('propagates SPOP with a count below the size as SREMs in MULTI/EXEC', () => {
    const { batches, run } = recording();
    run('SADD', 's', 'a', 'b', 'c');
    run('SPOP', 's', '2');
    run('SPOP', 's', '5');
    expect(batches[1][0]).toBe('0: MULTI');
    expect(batches[1].slice(1, 3).every((line) => line.startsWith('0: SREM s '))).toBe(true);
    expect(batches[1][3]).toBe('0: EXEC');
    expect(batches[2]).toEqual(['0: DEL s']);
  });

  it('forces FLUSHALL on an empty server', () => {
    const { batches, run } = recording();
    run('FLUSHALL');
    expect(batches).toEqual([['0: FLUSHALL']]);
  });

  it('sends PUBLISH to replicas only', () => {
    const { engine, client } = recording();
    const ops: PropagatedOp[] = [];
    engine.propagation.addListener((batch) => ops.push(...batch));
    engine.execute(client, ['PUBLISH', 'ch', 'hello']);
    expect(ops).toEqual([{ db: 0, argv: ['PUBLISH', 'ch', 'hello'], target: 2 }]);
    expect(PropagationEncoder.encode(ops).length).toBe(0);
    expect(PropagationEncoder.encode(ops, PropagationTarget.Replication).length).toBeGreaterThan(0);
  });
});

describe('PropagationEncoder', () => {
  it('inserts SELECT only when the database changes', () => {
    const encoder = new PropagationEncoder();
    encoder.append([
      { db: 0, argv: ['SET', 'a', '1'], target: PropagationTarget.All },
      { db: 0, argv: ['SET', 'b', '2'], target: PropagationTarget.All },
    ]);
    encoder.append([{ db: 5, argv: ['DEL', 'a'], target: PropagationTarget.All }]);
    const parser = new RequestParser();
    parser.feed(encoder.take());
    const commands: unknown[] = [];
    for (let next = parser.next(); next !== null; next = parser.next()) commands.push(next);
    expect(commands).toEqual([
      ['SELECT', '0'],
      ['SET', 'a', '1'],
      ['SET', 'b', '2'],
      ['SELECT', '5'],
      ['DEL', 'a'],
    ]);
  });

  it('is binary safe', () => {
    const bytes = PropagationEncoder.encode([
      { db: 1, argv: ['SET', 'k\r\n', '\u0000\u00ff'], target: PropagationTarget.All },
    ]);
    expect(bytes.toString('latin1')).toBe(
      '*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$3\r\nk\r\n\r\n$2\r\n\u0000\u00ff\r\n',
    );
  });
});
