import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { requireRedisOrSkip, startRedisServer } from './redis-server.js';

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      socket.destroy();
      resolve(chunk.toString('latin1'));
    });
  });
}

describe('freePort', () => {
  it('returns a port nothing listens on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    await expect(ping(port)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe.runIf(requireRedisOrSkip('test-support redis-server'))('startRedisServer', () => {
  it('resolves once the server answers, and stop() ends the process', async () => {
    const redis = await startRedisServer({ args: ['--appendonly', 'no'] });
    expect(await ping(redis.port)).toBe('+PONG\r\n');
    await redis.stop();
    expect(redis.child.signalCode ?? redis.child.exitCode).not.toBeNull();
    await expect(ping(redis.port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
