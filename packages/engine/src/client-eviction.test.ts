import { describe, expect, it } from 'vitest';
import { Client, type ClientConnection } from './client.js';
import { Engine } from './engine.js';

/** A client of `engine` whose query buffer holds `bytes`, closed through `closed`. */
function clientHolding(engine: Engine, bytes: number, closed: Client[]): Client {
  const connection: ClientConnection = {
    remoteAddress: '127.0.0.1:1',
    localAddress: '127.0.0.1:2',
    pendingOutputBytes: 0,
    queryBufferLength: bytes,
    queryBufferFree: 0,
    scheduleFlush: () => undefined,
    resume: () => undefined,
    close: () => undefined,
    closeAsap: () => closed.push(client),
  };
  const client = engine.connect(connection);
  engine.clientEviction.update(client);
  return client;
}

describe('ClientEviction', () => {
  it('counts nothing and evicts no one while maxmemory-clients is 0', () => {
    const engine = new Engine();
    const closed: Client[] = [];
    clientHolding(engine, 10_000_000, closed);
    expect(engine.clientEviction.enabled).toBe(false);
    expect(engine.clientEviction.evict()).toBe(false);
    expect(closed).toEqual([]);
  });

  it('evicts the largest clients until the rest fit, sparing NO-EVICT ones', () => {
    const engine = new Engine();
    const closed: Client[] = [];
    const small = clientHolding(engine, 100_000, closed);
    const large = clientHolding(engine, 1_000_000, closed);
    const spared = clientHolding(engine, 2_000_000, closed);
    spared.noEvict = true;
    engine.config.set('maxmemory-clients', '1mb');
    engine.clientEviction.update(spared);
    expect(engine.clientEviction.evict()).toBe(false);
    expect(closed).toEqual([large]);
    expect(small.closingAsap).toBe(false);
    expect(engine.stats.evictedClients).toBe(1);
  });

  it('takes a percentage of maxmemory', () => {
    const engine = new Engine();
    const closed: Client[] = [];
    const client = clientHolding(engine, 300_000, closed);
    engine.config.set('maxmemory', '10mb');
    engine.config.set('maxmemory-clients', '1%');
    expect(closed).toEqual([client]);
  });
});
