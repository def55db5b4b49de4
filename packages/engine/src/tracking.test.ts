import { describe, expect, it } from 'vitest';
import { connect, engineWithClient } from './test-support/engine-client.js';

/** One engine, a tracking client in RESP3 and a second client that writes. */
function setup() {
  const { engine, run } = engineWithClient();
  run('HELLO', '3');
  const writer = connect(engine);
  const write = (...argv: string[]) => {
    engine.execute(writer, argv);
    return writer.out.take().toString('latin1');
  };
  const stats = () => {
    const info = run('INFO', 'stats');
    return ['keys', 'items', 'prefixes'].map((name) =>
      Number(new RegExp(`tracking_total_${name}:(\\d+)`).exec(info)?.[1]),
    );
  };
  return { engine, run, write, stats };
}

const invalidate = (...keys: string[]) =>
  `>2\r\n$10\r\ninvalidate\r\n*${keys.length}\r\n${keys.map((key) => `$${key.length}\r\n${key}\r\n`).join('')}`;

/** Redis broadcasts BCAST invalidations once per event-loop turn. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('CLIENT TRACKING', () => {
  it('counts keys and items, and forgets a key once its readers are told', () => {
    const { run, write, stats } = setup();
    run('CLIENT', 'TRACKING', 'ON');
    run('MGET', 'a', 'b');
    expect(stats()).toEqual([2, 2, 0]);
    expect(write('SET', 'a', '1')).toBe('+OK\r\n');
    expect(run('PING')).toBe(`${invalidate('a')}+PONG\r\n`);
    expect(stats()).toEqual([1, 1, 0]);
    write('SET', 'a', '2');
    expect(run('PING')).toBe('+PONG\r\n');
  });

  it("sends the running client's own invalidations after its reply", () => {
    const { run } = setup();
    run('CLIENT', 'TRACKING', 'ON');
    run('GET', 'k');
    expect(run('SET', 'k', 'v')).toBe(`+OK\r\n${invalidate('k')}`);
    run('GET', 'k');
    expect(run('FLUSHALL')).toBe('+OK\r\n>2\r\n$10\r\ninvalidate\r\n_\r\n');
  });

  it('tracking-table-max-keys invalidates the oldest keys after the command', () => {
    const { run, write, stats } = setup();
    run('CLIENT', 'TRACKING', 'ON');
    run('MGET', 'a', 'b', 'c');
    expect(write('CONFIG', 'SET', 'tracking-table-max-keys', '1')).toBe('+OK\r\n');
    expect(run('PING')).toBe(`${invalidate('a')}${invalidate('b')}+PONG\r\n`);
    expect(stats()).toEqual([1, 1, 0]);
  });

  it('BCAST sends each turn the keys under its prefixes in byte order, NOLOOP leaves its own out', async () => {
    const { run, write, stats } = setup();
    run('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'a:', 'NOLOOP');
    write('MSET', 'a:2', 'x', 'b:1', 'y', 'a:1', 'z');
    run('SET', 'a:3', 'mine');
    await nextTurn();
    expect(run('PING')).toBe(`${invalidate('a:1', 'a:2')}+PONG\r\n`);
    expect(stats()).toEqual([0, 0, 1]);
    run('CLIENT', 'TRACKING', 'OFF');
    expect(stats()).toEqual([0, 0, 0]);
  });

  it('a closed redirect target is reported to a RESP3 client, once per invalidation', () => {
    const { engine, run, write } = setup();
    const target = connect(engine);
    run('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(target.id));
    run('GET', 'k');
    engine.disconnect(target);
    write('SET', 'k', 'v');
    expect(run('CLIENT', 'TRACKINGINFO')).toContain(
      `>2\r\n$21\r\ntracking-redir-broken\r\n:${target.id}\r\n`,
    );
    expect(run('CLIENT', 'TRACKINGINFO')).toContain('broken_redirect');
  });
});
