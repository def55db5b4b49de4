import { describe, expect, it } from 'vitest';
import { BLOCKED } from './command-table.js';
import { connect, engineWithClient } from './test-support/engine-client.js';

/** An engine whose LRU clock the test moves by hand, and a client to run commands. */
function setup() {
  const { engine, run } = engineWithClient();
  const idle = (key: string): string => run('OBJECT', 'IDLETIME', key);
  return { engine, run, idle };
}

describe('key access times (OBJECT IDLETIME)', () => {
  it('counts seconds since the last read or write', () => {
    const { engine, run, idle } = setup();
    run('SET', 'k', 'v');
    run('RPUSH', 'list', 'a');
    engine.lruClock += 7;
    expect(idle('k')).toBe(':7\r\n');
    run('GET', 'k');
    expect(idle('k')).toBe(':0\r\n');
    run('LPUSH', 'list', 'b');
    expect(idle('list')).toBe(':0\r\n');
    expect(idle('missing')).toBe('$-1\r\n');
  });

  it('is left alone by TYPE, EXISTS, the TTL family, OBJECT and MEMORY USAGE', () => {
    const { engine, run, idle } = setup();
    run('SET', 'k', 'v');
    engine.lruClock += 3;
    for (const argv of [
      ['TYPE', 'k'],
      ['EXISTS', 'k'],
      ['TTL', 'k'],
      ['PTTL', 'k'],
      ['EXPIRETIME', 'k'],
      ['OBJECT', 'ENCODING', 'k'],
      ['MEMORY', 'USAGE', 'k'],
    ]) {
      run(...argv);
    }
    expect(idle('k')).toBe(':3\r\n');
    run('TOUCH', 'k');
    expect(idle('k')).toBe(':0\r\n');
  });

  it('follows a key through RENAME and SWAPDB and forgets deleted keys', () => {
    const { engine, run, idle } = setup();
    run('SET', 'k', 'v');
    engine.lruClock += 5;
    run('RENAME', 'k', 'renamed');
    expect(idle('renamed')).toBe(':0\r\n');
    engine.lruClock += 4;
    run('SWAPDB', '0', '1');
    run('SELECT', '1');
    expect(idle('renamed')).toBe(':4\r\n');
    run('DEL', 'renamed');
    run('SET', 'renamed', 'again');
    expect(idle('renamed')).toBe(':0\r\n');
  });

  it('takes RESTORE IDLETIME, unless an LFU policy is selected', () => {
    const { run, idle } = setup();
    run('SET', 'k', 'v');
    const payload = run('DUMP', 'k').split('\r\n')[1];
    expect(run('RESTORE', 'copy', '0', payload, 'IDLETIME', '1000')).toBe('+OK\r\n');
    expect(idle('copy')).toBe(':1000\r\n');
    run('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    expect(run('RESTORE', 'lfu', '0', payload, 'IDLETIME', '1000')).toBe('+OK\r\n');
    expect(idle('lfu')).toMatch(/^-ERR An LFU maxmemory policy is selected/);
  });
});

describe('FLUSHALL and FLUSHDB', () => {
  it('end WATCHes and wake XREADGROUP waiters with their error', () => {
    const { engine, run } = setup();
    run('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    run('SET', 'k', 'v');
    const waiter = connect(engine);
    expect(
      engine.execute(waiter, ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']),
    ).toBe(BLOCKED);
    const watcher = connect(engine);
    engine.execute(watcher, ['WATCH', 'k']);
    run('FLUSHALL');
    expect(waiter.out.take().toString('latin1')).toBe(
      '-UNBLOCKED the stream key no longer exists\r\n',
    );
    engine.execute(watcher, ['MULTI']);
    engine.execute(watcher, ['PING']);
    watcher.out.take();
    engine.execute(watcher, ['EXEC']);
    expect(watcher.out.take().toString('latin1')).toBe('*-1\r\n');
  });
});

describe('loading string values as bytes', () => {
  it('holds what loading them as strings holds: values, TTLs, encodings, counted bytes', () => {
    const values = ['', 'v', '12', '-1', '9999', '10000', 'value:123', 'é\x00\xff', 'x'.repeat(44)];
    for (const maxmemoryPolicy of ['noeviction', 'allkeys-lru']) {
      const loaded = [engineWithClient(), engineWithClient()];
      for (const { run } of loaded) {
        run('CONFIG', 'SET', 'maxmemory', '1gb', 'maxmemory-policy', maxmemoryPolicy);
      }
      const [asStrings, asBytes] = loaded.map(({ engine }) => engine.databases[0]!);
      values.forEach((value, i) => {
        const expireAt = i % 2 === 0 ? null : 4_000_000_000_000 + i;
        asStrings!.load(`k${i}`, value, expireAt, false);
        const bytes = Buffer.from(`..${value}.`, 'latin1');
        asBytes!.loadStringBytes(`k${i}`, bytes, 2, 2 + value.length, expireAt, false);
      });
      expect(asBytes!.settleLoaded()).toBeNull();
      expect(asBytes!.memoryBytes).toBe(asStrings!.memoryBytes);
      expect(loaded[1]!.engine.sharedIntegers).toBe(maxmemoryPolicy === 'noeviction');
      for (let i = 0; i < values.length; i++) {
        for (const argv of [
          ['GET', `k${i}`],
          ['PEXPIRETIME', `k${i}`],
          ['OBJECT', 'ENCODING', `k${i}`],
        ]) {
          expect(loaded[1]!.run(...argv)).toBe(loaded[0]!.run(...argv));
        }
      }
    }
  });
});

describe('writing over a short string', () => {
  it('counts the key at what the same values set afresh count, whether written in place or not', () => {
    const written = engineWithClient();
    const history = [
      ['SET', 'n', '8'],
      ['INCR', 'n'],
      ['INCR', 'n'],
      ['INCRBY', 'n', '-20'],
      ['DECR', 'n'],
      ['INCRBY', 'n', '1000'],
      ['SET', 's', 'abc'],
      ['SET', 's', 'xyz'],
      ['SET', 's', 'longer'],
      ['SET', 's', 'short'],
      ['SET', 'e', '7', 'EX', '1000'],
      ['INCR', 'e'],
      ['INCR', 'e'],
    ];
    for (const argv of history) written.run(...argv);
    const fresh = engineWithClient();
    for (const key of ['n', 's', 'e'])
      fresh.run('SET', key, written.run('GET', key).split('\r\n')[1]!);
    fresh.run('PEXPIREAT', 'e', written.run('PEXPIRETIME', 'e').slice(1, -2));
    expect(written.run('GET', 'n')).toBe('$3\r\n989\r\n');
    expect(written.run('TTL', 'e')).toBe(':1000\r\n');
    expect(written.engine.databases[0]!.memoryBytes).toBe(fresh.engine.databases[0]!.memoryBytes);
  });
});
