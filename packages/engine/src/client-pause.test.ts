import { describe, expect, it } from 'vitest';
import { BLOCKED } from './command-table.js';
import { connect, engineWithClient } from './test-support/engine-client.js';

/** The microtask that reruns held-back commands after the one that ended the pause. */
const afterUnpause = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup() {
  const { engine, client, run } = engineWithClient();
  const other = connect(engine);
  const runOther = (...argv: string[]) => {
    const result = engine.execute(other, argv);
    return { blocked: result === BLOCKED, reply: other.out.take().toString('latin1') };
  };
  const third = connect(engine);
  const runThird = (...argv: string[]) => engine.execute(third, argv) === BLOCKED;
  const blockedClients = () => /blocked_clients:(\d+)/.exec(run('INFO', 'clients'))?.[1];
  return { engine, client, run, runOther, runThird, blockedClients };
}

describe('CLIENT PAUSE', () => {
  it('WRITE holds back writes until UNPAUSE, counted as blocked, while reads go on', async () => {
    const { run, runOther, runThird, blockedClients } = setup();
    expect(run('CLIENT', 'PAUSE', '60000', 'WRITE')).toBe('+OK\r\n');
    expect(runOther('SET', 'k', 'v')).toEqual({ blocked: true, reply: '' });
    // PUBLISH may feed replicas: held back too.
    expect(runThird('PUBLISH', 'channel', 'message')).toBe(true);
    expect(blockedClients()).toBe('2');
    expect(run('GET', 'k')).toBe('$-1\r\n');
    expect(run('CLIENT', 'UNPAUSE')).toBe('+OK\r\n');
    await afterUnpause();
    expect(run('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(blockedClients()).toBe('0');
  });

  it('ALL holds back every command; a script declared no-writes passes a WRITE pause', () => {
    const { run, runOther } = setup();
    run('CLIENT', 'PAUSE', '60000', 'WRITE');
    expect(runOther('EVAL', '#!lua flags=no-writes\nreturn 1', '0').reply).toBe(':1\r\n');
    expect(runOther('EVAL', 'return 1', '0').blocked).toBe(true);
    const all = setup();
    all.run('CLIENT', 'PAUSE', '60000');
    expect(all.runOther('PING').blocked).toBe(true);
  });

  it('CLIENT UNBLOCK leaves a held-back client alone', () => {
    const { engine, run, runOther } = setup();
    run('CLIENT', 'PAUSE', '60000', 'WRITE');
    runOther('SET', 'k', 'v');
    const otherId = [...engine.clients.keys()].at(-1);
    expect(run('CLIENT', 'UNBLOCK', String(otherId))).toBe(':0\r\n');
  });

  it('keeps keys past their TTL while paused: hidden, not deleted', async () => {
    const { engine, run } = setup();
    run('SET', 'k', 'v', 'PX', '1');
    run('CLIENT', 'PAUSE', '60000', 'WRITE');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(run('GET', 'k')).toBe('$-1\r\n');
    expect(engine.databases[0].data.has('k')).toBe(true);
    run('CLIENT', 'UNPAUSE');
    expect(run('GET', 'k')).toBe('$-1\r\n');
    expect(engine.databases[0].data.has('k')).toBe(false);
  });

  it('ends by itself at its deadline', async () => {
    const { run, runOther } = setup();
    run('CLIENT', 'PAUSE', '20', 'WRITE');
    expect(runOther('SET', 'k', 'v').blocked).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await afterUnpause();
    expect(run('GET', 'k')).toBe('$1\r\nv\r\n');
  });

  it("keeps a failover's pause apart: CLIENT UNPAUSE ends only its own, the strictest holds", async () => {
    const { engine, run, runOther } = setup();
    engine.clientPause.pause('write', Infinity, 'failover');
    run('CLIENT', 'PAUSE', '60000', 'WRITE');
    run('CLIENT', 'UNPAUSE');
    expect(engine.clientPause.current).toBe('write');
    // CLIENT UNPAUSE itself would wait under ALL: ended from the engine's side here.
    engine.clientPause.pause('all', Date.now() + 60000);
    expect(runOther('GET', 'k').blocked).toBe(true);
    engine.clientPause.unpause();
    await afterUnpause();
    // Less strict now: the held-back read runs, writes wait for the failover.
    expect(engine.clientPause.current).toBe('write');
    expect(runOther('SET', 'k', 'v').blocked).toBe(true);
    engine.clientPause.unpause('failover');
    await afterUnpause();
    expect(engine.clientPause.current).toBe(null);
    expect(run('GET', 'k')).toBe('$1\r\nv\r\n');
  });
});
