import { describe, expect, it } from 'vitest';
import { BLOCKED } from './command-table.js';
import { connect, engineWithClient } from './test-support/engine-client.js';

describe('a blocked call, once served', () => {
  it('is logged in SLOWLOG with its own arguments, after the command that served it', () => {
    const { engine, run } = engineWithClient();
    run('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    const waiter = connect(engine);
    expect(engine.execute(waiter, ['BLPOP', 'l', '0'])).toBe(BLOCKED);
    run('SLOWLOG', 'RESET');
    run('LPUSH', 'l', 'x');
    expect(waiter.out.take().toString('latin1')).toBe('*2\r\n$1\r\nl\r\n$1\r\nx\r\n');
    const newest = run('SLOWLOG', 'GET', '1');
    expect(newest).toContain('$5\r\nBLPOP\r\n$1\r\nl\r\n$1\r\n0\r\n');
  });

  it('counts in LATENCY HISTOGRAM when its timeout ends it', async () => {
    const { engine, run } = engineWithClient();
    const waiter = connect(engine);
    engine.execute(waiter, ['BLPOP', 'l', '0.01']);
    expect(run('LATENCY', 'HISTOGRAM', 'blpop')).toBe('*0\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(run('LATENCY', 'HISTOGRAM', 'blpop')).toMatch(
      /^\*2\r\n\$5\r\nblpop\r\n\*4\r\n\$5\r\ncalls\r\n:1\r\n/,
    );
  });

  it('counts as failed when CLIENT UNBLOCK ends it, with the error or as a timeout', () => {
    const { engine, run } = engineWithClient();
    run('CONFIG', 'RESETSTAT');
    for (const reason of ['ERROR', 'TIMEOUT']) {
      const waiter = connect(engine);
      expect(engine.execute(waiter, ['BLPOP', 'l', '0'])).toBe(BLOCKED);
      expect(run('CLIENT', 'UNBLOCK', String(waiter.id), reason)).toBe(':1\r\n');
    }
    const stats = run('INFO', 'commandstats');
    expect(stats).toMatch(
      /cmdstat_blpop:calls=2,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=2/,
    );
    expect(run('INFO', 'errorstats')).toContain('errorstat_UNBLOCKED:count=1');
  });
});
