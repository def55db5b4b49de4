import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { requireSentinelOrSkip, startSentinel } from './redis-sentinel.js';

function send(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(command));
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      socket.destroy();
      resolve(chunk.toString('latin1'));
    });
  });
}

describe.runIf(requireSentinelOrSkip('test-support redis-sentinel'))('startSentinel', () => {
  it('resolves once the sentinel answers, with its directives, and stop() ends it', async () => {
    const sentinel = await startSentinel(['sentinel announce-hostnames yes']);
    expect(await send(sentinel.port, 'PING\r\n')).toBe('+PONG\r\n');
    expect(await send(sentinel.port, 'SENTINEL CONFIG GET announce-hostnames\r\n')).toBe(
      '*2\r\n$18\r\nannounce-hostnames\r\n$3\r\nyes\r\n',
    );
    await sentinel.stop();
    await expect(send(sentinel.port, 'PING\r\n')).rejects.toThrow(/ECONNREFUSED/);
  });
});
