import { createServer, connect, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@rc/test-support';
import { bindAddresses, closeListeners, listenOnAddresses, listeningPort } from './listeners.js';

const opened: Server[] = [];
afterEach(() => closeListeners(opened.splice(0)));

/** Listens as the server does, keeping the log lines; null when listening failed. */
function listen(port: number, addresses: string[]): { servers: Server[] | null; log: string[] } {
  const log: string[] = [];
  const servers = listenOnAddresses(
    {
      port,
      addresses,
      backlog: 511,
      create: () => createServer((socket) => socket.end('hello')),
    },
    (level, message) => log.push(`${level} ${message}`),
  );
  opened.push(...(servers ?? []));
  return { servers, log };
}

/** What a connection to host:port reads before the server ends it. */
function greeting(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect({ host, port });
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

/** Whether a port can be listened on again on 127.0.0.1 (nothing holds it any more). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('bindAddresses', () => {
  it("splits bind's value, none for the empty string", () => {
    expect(bindAddresses('* -::*')).toEqual(['*', '-::*']);
    expect(bindAddresses('127.0.0.1 ::1')).toEqual(['127.0.0.1', '::1']);
    expect(bindAddresses('')).toEqual([]);
  });
});

describe('listenOnAddresses', () => {
  it('listens on every address, on the port the first one got when given port 0', async () => {
    const { servers, log } = listen(0, ['127.0.0.1', '127.0.0.2', '::1']);
    expect(log).toEqual([]);
    expect(servers).toHaveLength(3);
    const port = listeningPort(servers![0]);
    expect(servers!.map(listeningPort)).toEqual([port, port, port]);
    for (const host of ['127.0.0.1', '127.0.0.2', '::1']) {
      expect(await greeting(host, port)).toBe('hello');
    }
  });

  it('takes * as every IPv4 address and ::* as every IPv6 one, IPv6 only', async () => {
    const { servers } = listen(0, ['::*']);
    const port = listeningPort(servers![0]);
    expect(servers![0].address()).toMatchObject({ address: '::', family: 'IPv6' });
    expect(await greeting('::1', port)).toBe('hello');
    // An IPv6-only socket leaves the IPv4 side of the port to another listener.
    const { servers: ipv4 } = listen(port, ['*']);
    expect(ipv4![0].address()).toMatchObject({ address: '0.0.0.0', port });
  });

  it('resolves a host name in the family of the address', () => {
    const { servers, log } = listen(0, ['localhost']);
    expect(log).toEqual([]);
    expect(servers![0].address()).toMatchObject({ address: '127.0.0.1' });
  });

  it('skips an optional address missing from this machine, logging why', async () => {
    const port = await freePort();
    const { servers, log } = listen(port, ['-198.51.100.7', '127.0.0.1']);
    expect(servers).toHaveLength(1);
    expect(log).toEqual([
      `warning Warning: Could not create server TCP listening socket 198.51.100.7:${port}: bind: Cannot assign requested address`,
    ]);
  });

  it('fails on a required address, closing the listeners opened before it', async () => {
    const port = await freePort();
    const { servers, log } = listen(port, ['127.0.0.1', '198.51.100.7']);
    expect(servers).toBeNull();
    expect(log).toEqual([
      `warning Warning: Could not create server TCP listening socket 198.51.100.7:${port}: bind: Cannot assign requested address`,
    ]);
    expect(await isFree(port)).toBe(true);
  });

  it('fails on a name that does not resolve, even when optional', async () => {
    const port = await freePort();
    const { servers, log } = listen(port, ['-999.999.999.999']);
    expect(servers).toBeNull();
    expect(log).toEqual([
      `warning Warning: Could not create server TCP listening socket 999.999.999.999:${port}: Name or service not known`,
    ]);
  });

  it('fails on an address in use', async () => {
    const { servers: first } = listen(0, ['127.0.0.1']);
    const port = listeningPort(first![0]);
    const { servers, log } = listen(port, ['127.0.0.1']);
    expect(servers).toBeNull();
    expect(log).toEqual([
      `warning Warning: Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use`,
    ]);
  });
});
