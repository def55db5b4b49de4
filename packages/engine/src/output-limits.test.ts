import { describe, expect, it } from 'vitest';
import { Client, type ClientConnection } from './client.js';
import { Config } from './config.js';
import { Database } from './keyspace.js';
import { OutputLimits } from './output-limits.js';

function limits(value: string): OutputLimits {
  const config = new Config();
  config.set('client-output-buffer-limit', value);
  return new OutputLimits(config);
}

const client = (): Client =>
  new Client(1, undefined as unknown as Database, {} as unknown as ClientConnection, null);

describe('OutputLimits', () => {
  it("holds a client to its class's hard limit: normal, or pubsub while it subscribes", () => {
    const set = limits('normal 1000 0 0 pubsub 5000 0 0');
    const subscriber = client();
    expect(set.exceeded(subscriber, 1000)).toBe(true);
    subscriber.channels.add('news');
    expect(set.exceeded(subscriber, 1000)).toBe(false);
    expect(set.exceeded(subscriber, 5000)).toBe(true);
  });

  it('closes over the soft limit only once it held for more than its seconds', () => {
    const set = limits('normal 0 1000 0');
    const slow = client();
    // First seen over the soft limit: the clock starts.
    expect(set.exceeded(slow, 2000)).toBe(false);
    expect(slow.outputSoftLimitSince).toBeGreaterThan(0);
    slow.outputSoftLimitSince -= 1;
    expect(set.exceeded(slow, 2000)).toBe(true);
    // Back under it, the clock stops.
    expect(set.exceeded(slow, 10)).toBe(false);
    expect(slow.outputSoftLimitSince).toBe(0);
  });

  it('holds a client back at its hard limit, else its soft limit, else 16 MB', () => {
    expect(limits('normal 4mb 2mb 10').holdBackAt(client())).toBe(4 * 1024 * 1024);
    expect(limits('normal 0 2mb 10').holdBackAt(client())).toBe(2 * 1024 * 1024);
    expect(limits('normal 0 0 0').holdBackAt(client())).toBe(16 * 1024 * 1024);
  });
});
