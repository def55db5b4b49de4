import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { promisify } from 'node:util';
import {
  makeTestCertificates,
  requireOpensslOrSkip,
  startRedisServer,
  stopChild,
  tlsSettings,
  until,
  type TestCertificates,
} from '@rc/test-support';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, stopDaemons } from './test-support/daemon.js';
import { TLS_CONTEXT_SETTINGS } from './tls-listener.js';
import { RawClient, encodeCommand } from './test-support/raw-client.js';
import { freePort, requireRedisOrSkip, startRc } from './test-support/servers.js';

const run = promisify(execFile);
const enabled =
  requireRedisOrSkip('TLS: rc beside redis-server') && requireOpensslOrSkip('TLS tests');

/** A server with a TLS port beside its plain one (where the tests set it up and inspect it). */
interface TlsServer {
  readonly port: number;
  readonly tlsPort: number;
  stop(): Promise<void>;
}

let certificates: TestCertificates;
const running: TlsServer[] = [];

beforeAll(() => {
  if (enabled) certificates = makeTestCertificates();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
  await stopDaemons();
});

async function rcWithTls(extra: Array<[string, string]> = []): Promise<TlsServer> {
  const rc = await startRc([
    ['tls-port', String(await freePort())],
    ...tlsSettings(certificates),
    ...extra,
  ]);
  const server = { port: rc.port, tlsPort: rc.server.tls.port, stop: rc.stop };
  running.push(server);
  return server;
}

async function redisWithTls(extra: Array<[string, string]> = []): Promise<TlsServer> {
  const tlsPort = await freePort();
  const settings = [['tls-port', String(tlsPort)], ...tlsSettings(certificates), ...extra];
  const redis = await startRedisServer({
    args: settings.flatMap(([name, value]) => [`--${name}`, value]),
  });
  const server = { port: redis.port, tlsPort, stop: () => redis.stop() };
  running.push(server);
  return server;
}

/** Both servers with the same settings: rc first. */
function bothWithTls(extra: Array<[string, string]> = []): Promise<[TlsServer, TlsServer]> {
  return Promise.all([rcWithTls(extra), redisWithTls(extra)]);
}

/** A command's raw reply on a server's plain port. */
async function command(port: number, ...args: string[]): Promise<string> {
  const client = await RawClient.open(port);
  try {
    client.write(encodeCommand(args));
    return (await client.readReply(10_000))?.toString('latin1') ?? 'no reply';
  } finally {
    client.close();
  }
}

/**
 * What a TLS client gets for PING: the reply, and the cipher it negotiated when asked; or
 * `no reply` when the handshake or the server ended the connection first.
 */
function tlsPing(
  port: number,
  options: ConnectionOptions = {},
  showCipher = false,
): Promise<string> {
  return new Promise((resolve) => {
    const socket = connectTls({ host: '127.0.0.1', port, ca: certificates.ca.cert, ...options });
    let reply = '';
    let cipher = '';
    const done = (outcome: string): void => {
      socket.destroy();
      resolve(outcome);
    };
    socket.once('secureConnect', () => {
      cipher = socket.getCipher().name;
      socket.write('PING\r\n');
    });
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.endsWith('\r\n')) done(showCipher ? `${reply} ${cipher}` : reply);
    });
    socket.once('error', () => done('no reply'));
    socket.once('close', () => done('no reply'));
  });
}

const clientCertificate = (): ConnectionOptions => ({
  cert: certificates.client.cert,
  key: certificates.client.key,
});

describe.runIf(enabled)('TLS clients', () => {
  it('redis-cli --tls logs in as an ACL user and runs commands on a daemon listening on its TLS port only (port 0)', async () => {
    const tlsPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'rc-tls-daemon-'));
    const daemon = await startDaemon([
      '--port',
      '0',
      '--tls-port',
      String(tlsPort),
      '--dir',
      dir,
      '--save',
      '',
      '--user',
      'app',
      'on',
      '>apppass',
      '~*',
      '+@all',
      '-flushall',
      ...tlsSettings(certificates).flatMap(([name, value]) => [`--${name}`, value]),
    ]);
    expect(daemon.output()).toContain(`Running mode=standalone, port=${tlsPort}.`);
    const cli = (...args: string[]): Promise<{ stdout: string }> =>
      run('redis-cli', [
        '-p',
        String(tlsPort),
        '--tls',
        '--cacert',
        certificates.ca.certFile,
        '--cert',
        certificates.client.certFile,
        '--key',
        certificates.client.keyFile,
        '--user',
        'app',
        '--pass',
        'apppass',
        ...args,
      ]);
    expect((await cli('ACL', 'WHOAMI')).stdout).toBe('app\n');
    expect((await cli('FLUSHALL')).stdout).toContain('NOPERM');
    expect((await cli('SET', 'greeting', 'hello')).stdout).toBe('OK\n');
    expect((await cli('GET', 'greeting')).stdout).toBe('hello\n');
    expect((await cli('INFO', 'server')).stdout).toContain(`tcp_port:${tlsPort}\r\n`);
  });

  it('ioredis and node-redis connect with their tls options and log in as an ACL user', async () => {
    const rc = await rcWithTls();
    const admin = new Redis({ port: rc.port });
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>apppass', '~*', '+@all', '-flushall');
    admin.disconnect();
    const tls = { ca: certificates.ca.cert, ...clientCertificate() };
    const login = { username: 'app', password: 'apppass' };
    const ioredis = new Redis({ host: '127.0.0.1', port: rc.tlsPort, tls, ...login });
    try {
      expect(await ioredis.call('ACL', 'WHOAMI')).toBe('app');
      await expect(ioredis.flushall()).rejects.toThrow('NOPERM');
      expect(await ioredis.set('a', '1')).toBe('OK');
      expect(await ioredis.incr('a')).toBe(2);
    } finally {
      ioredis.disconnect();
    }
    const nodeRedis = createClient({
      socket: { host: '127.0.0.1', port: rc.tlsPort, tls: true, ...tls },
      ...login,
    });
    await nodeRedis.connect();
    try {
      expect(await nodeRedis.sendCommand(['ACL', 'WHOAMI'])).toBe('app');
      expect(await nodeRedis.get('a')).toBe('2');
      expect(await nodeRedis.lPush('list', ['x', 'y'])).toBe(2);
    } finally {
      await nodeRedis.quit();
    }
  });
});

describe.runIf(enabled)('TLS as redis-server has it', () => {
  it('tls-auth-clients yes, optional and no let in the same clients', async () => {
    const servers = await bothWithTls();
    const outcomes = async (server: TlsServer): Promise<string[]> => {
      const seen: string[] = [];
      for (const mode of ['yes', 'optional', 'no']) {
        await command(server.port, 'CONFIG', 'SET', 'tls-auth-clients', mode);
        seen.push(
          `${mode} with a certificate: ${await tlsPing(server.tlsPort, clientCertificate())}`,
          `${mode} without: ${await tlsPing(server.tlsPort)}`,
          `${mode} with an untrusted one: ${await tlsPing(server.tlsPort, {
            cert: certificates.stranger.cert,
            key: certificates.stranger.key,
          })}`,
        );
      }
      return seen;
    };
    const [ours, theirs] = [await outcomes(servers[0]), await outcomes(servers[1])];
    expect(ours).toEqual(theirs);
    expect(ours).toContain('yes with a certificate: +PONG\r\n');
    expect(ours).toContain('yes without: no reply');
    expect(ours).toContain('optional without: +PONG\r\n');
  });

  it('a plain client on the TLS port gets the same bytes and the connection closes', async () => {
    const servers = await bothWithTls();
    const received = (port: number): Promise<string> =>
      new Promise((resolve) => {
        const socket = connectTcp(port, '127.0.0.1', () => socket.write('PING\r\n'));
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('hex')));
      });
    expect(await received(servers[0].tlsPort)).toBe(await received(servers[1].tlsPort));
  });

  it('tls-protocols, tls-ciphers and tls-prefer-server-ciphers choose as OpenSSL does', async () => {
    const servers = await bothWithTls([['tls-auth-clients', 'no']]);
    const outcomes = async (server: TlsServer): Promise<string[]> => {
      const seen: string[] = [];
      const ping = async (label: string, options: ConnectionOptions): Promise<void> => {
        seen.push(`${label}: ${await tlsPing(server.tlsPort, options, true)}`);
      };
      const set = (name: string, value: string): Promise<string> =>
        command(server.port, 'CONFIG', 'SET', name, value);
      await ping('default, TLSv1.2 client', { maxVersion: 'TLSv1.2' });
      seen.push(await set('tls-protocols', 'TLSv1.2'));
      await ping('TLSv1.3 only client', { minVersion: 'TLSv1.3' });
      await ping('TLSv1.2 client', { maxVersion: 'TLSv1.2' });
      seen.push(await set('tls-ciphers', 'DEFAULT:-AES128-SHA256'));
      await ping('refused cipher', { ciphers: 'AES128-SHA256' });
      await ping('allowed cipher', { ciphers: 'AES256-SHA256' });
      seen.push(await set('tls-ciphers', 'AES128-SHA256:AES256-SHA256'));
      await ping('client order', { ciphers: 'AES256-SHA256:AES128-SHA256' });
      seen.push(await set('tls-prefer-server-ciphers', 'yes'));
      await ping('server order', { ciphers: 'AES256-SHA256:AES128-SHA256' });
      seen.push(await set('tls-protocols', 'TLSv1.3'));
      seen.push(await set('tls-ciphersuites', 'TLS_CHACHA20_POLY1305_SHA256'));
      await ping('TLSv1.3 suite', {});
      return seen;
    };
    const [ours, theirs] = [await outcomes(servers[0]), await outcomes(servers[1])];
    expect(ours).toEqual(theirs);
    expect(ours).toContain('refused cipher: no reply');
    expect(ours).toContain('server order: +PONG\r\n AES128-SHA256');
  });

  it('CONFIG SET of bad tls-* values fails as Redis and keeps the working context', async () => {
    const servers = await bothWithTls();
    const { server, client, stranger, dir } = certificates;
    const steps: string[][] = [
      ['CONFIG', 'SET', 'tls-key-file', join(dir, 'missing.key')],
      ['CONFIG', 'SET', 'tls-cert-file', join(dir, 'extensions.cnf')],
      ['CONFIG', 'SET', 'tls-key-file', stranger.keyFile],
      ['CONFIG', 'SET', 'tls-ca-cert-file', join(dir, 'extensions.cnf')],
      ['CONFIG', 'SET', 'tls-protocols', 'TLSv9'],
      ['CONFIG', 'SET', 'tls-ciphers', 'NO-SUCH-CIPHER'],
      ['CONFIG', 'SET', 'tls-ciphersuites', 'TLS_NO_SUCH_SUITE'],
      ['CONFIG', 'SET', 'tls-auth-clients', 'sometimes'],
      ['CONFIG', 'SET', 'tls-session-cache-timeout', 'soon'],
      ['CONFIG', 'SET', 'tls-cert-file', server.certFile, 'tls-key-file', server.keyFile],
      ['CONFIG', 'SET', 'tls-client-cert-file', client.certFile],
      ['CONFIG', 'SET', 'tls-client-key-file', client.keyFile],
      ['CONFIG', 'SET', 'tls-session-caching', 'no', 'tls-session-cache-size', '100'],
      ['CONFIG', 'SET', 'tls-replication', 'yes', 'tls-cluster', 'yes'],
      // One by one: a pattern lists them in each server's own hash order.
      ...[...TLS_CONTEXT_SETTINGS, 'tls-auth-clients'].map((name) => ['CONFIG', 'GET', name]),
    ];
    for (const step of steps) {
      const [ours, theirs] = [
        await command(servers[0].port, ...step),
        await command(servers[1].port, ...step),
      ];
      expect(ours, step.join(' ')).toBe(theirs);
    }
    expect(await tlsPing(servers[0].tlsPort, clientCertificate())).toBe('+PONG\r\n');
  });

  it('tls-ca-cert-dir trusts the certificates under their hashed names only', async () => {
    const caDir = mkdtempSync(join(tmpdir(), 'rc-tls-ca-'));
    const { stdout } = await run('openssl', [
      'x509',
      '-hash',
      '-noout',
      '-in',
      certificates.ca.certFile,
    ]);
    copyFileSync(certificates.ca.certFile, join(caDir, `${stdout.trim()}.0`));
    // Not under its hash: OpenSSL never looks at it.
    copyFileSync(certificates.stranger.certFile, join(caDir, 'stranger.crt'));
    const settings: Array<[string, string]> = [
      ['tls-ca-cert-file', ''],
      ['tls-ca-cert-dir', caDir],
    ];
    const stranger = { cert: certificates.stranger.cert, key: certificates.stranger.key };
    for (const server of await bothWithTls(settings)) {
      expect(await tlsPing(server.tlsPort, clientCertificate())).toBe('+PONG\r\n');
      expect(await tlsPing(server.tlsPort, stranger)).toBe('no reply');
    }
  });

  it('an encrypted key needs tls-key-file-pass', async () => {
    const servers = await bothWithTls();
    const encrypted = join(certificates.dir, 'encrypted.key');
    await run('openssl', [
      'rsa',
      '-in',
      certificates.server.keyFile,
      '-out',
      encrypted,
      '-aes256',
      '-passout',
      'pass:1234',
    ]);
    for (const server of servers) {
      expect(await command(server.port, 'CONFIG', 'SET', 'tls-key-file', encrypted)).toContain(
        'Unable to update TLS configuration',
      );
      expect(await command(server.port, 'CONFIG', 'SET', 'tls-key-file-pass', '1234')).toBe(
        '+OK\r\n',
      );
      expect(await command(server.port, 'CONFIG', 'SET', 'tls-key-file', encrypted)).toBe(
        '+OK\r\n',
      );
      expect(await tlsPing(server.tlsPort, clientCertificate())).toBe('+PONG\r\n');
    }
  });

  it('a daemon with bad TLS settings stops with the same log lines', async () => {
    const base = [
      ['--port', '0'],
      ['--tls-port', String(await freePort())],
      ['--save', ''],
      ['--dir', mkdtempSync(join(tmpdir(), 'rc-tls-daemon-'))],
    ].flat();
    const { server, dir } = certificates;
    const identity = ['--tls-cert-file', server.certFile, '--tls-key-file', server.keyFile];
    const cases: string[][] = [
      // Two bad settings: the certificate is named first, as Redis checks it first.
      [
        ...['--tls-cert-file', join(dir, 'missing.crt'), '--tls-key-file', server.keyFile],
        ...['--tls-ca-cert-file', join(dir, 'missing-ca.crt')],
      ],
      ['--tls-cert-file', server.certFile, '--tls-key-file', join(dir, 'missing.key')],
      ['--tls-cert-file', server.certFile],
      identity,
      [...identity, '--tls-ca-cert-file', join(dir, 'missing-ca.crt')],
      [...identity, '--tls-auth-clients', 'no', '--tls-protocols', 'TLSv1.2 SSLv3'],
    ];
    await Promise.all(
      cases.map(async (flags) => {
        const args = [...base, ...flags];
        const [rc, redis] = await Promise.all([startDaemon(args), runRedisServer(args)]);
        expect(await rc.exited, flags.join(' ')).toBe(1);
        await outputClosed(rc.child);
        expect(logMessages(rc.output()), flags.join(' ')).toEqual(logMessages(redis));
      }),
    );
    // Six daemons of each kind at once: slow on a busy machine.
  }, 120_000);
});

/** redis-server with these flags, run to its exit: what it printed. */
function runRedisServer(args: string[]): Promise<string> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stopped = setTimeout(() => void stopChild(child), 20_000);
  // 'close', not 'exit': the last lines may still be in the pipe when the process is gone.
  return new Promise((resolve) =>
    child.once('close', () => {
      clearTimeout(stopped);
      resolve(output);
    }),
  );
}

/** Resolves once everything the process printed was read. */
async function outputClosed(child: ChildProcess): Promise<void> {
  if (child.stdout?.closed === true && child.stderr?.closed === true) return;
  await new Promise((resolve) => child.once('close', resolve));
}

/** The TLS lines of a log, without pid, role and time. */
function logMessages(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.replace(/^\d+:[A-Z] .{24} [.\-*#] /, ''))
    .filter((line) => /TLS|tls-|certificate|private key|Failed listening/.test(line));
}

describe.runIf(enabled)('replication over TLS with a real redis-server', () => {
  const replicaSettings: Array<[string, string]> = [['tls-replication', 'yes']];

  const linkedAndCopied = async (master: TlsServer, replica: TlsServer): Promise<void> => {
    await until(
      async () =>
        (await command(replica.port, 'INFO', 'replication')).includes('master_link_status:up'),
      'replica link up over TLS',
      30_000,
    );
    expect(await command(master.port, 'SET', 'over-tls', 'yes')).toBe('+OK\r\n');
    await until(
      async () => (await command(replica.port, 'GET', 'over-tls')) === '$3\r\nyes\r\n',
      'the write replicated',
      30_000,
    );
    // The master lists the replica by its TLS port.
    const listing = await command(master.port, 'INFO', 'replication');
    expect(listing).toContain(`port=${replica.tlsPort},state=online`);
  };

  it('a redis-server replica syncs from an rc master', async () => {
    const master = await rcWithTls();
    await command(master.port, 'SET', 'before', 'sync');
    const replica = await redisWithTls([
      ...replicaSettings,
      ['replicaof', `127.0.0.1 ${master.tlsPort}`],
    ]);
    await linkedAndCopied(master, replica);
    expect(await command(replica.port, 'GET', 'before')).toBe('$4\r\nsync\r\n');
  }, 120_000);

  it('an rc replica syncs from a redis-server master', async () => {
    const master = await redisWithTls();
    await command(master.port, 'SET', 'before', 'sync');
    const replica = await rcWithTls([
      ...replicaSettings,
      ['replicaof', `127.0.0.1 ${master.tlsPort}`],
    ]);
    await linkedAndCopied(master, replica);
    expect(await command(replica.port, 'GET', 'before')).toBe('$4\r\nsync\r\n');
  }, 120_000);
});
