import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient } from '../test-support/raw-client.js';
import { freePort, requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('CONFIG SET differential'))(
  'CONFIG SET as redis-server applies it',
  () => {
    const servers = useDifferential([['enable-protected-configs', 'yes']]);

    it('refuses duplicates and bad values, restoring every value of the call', () =>
      servers.compare([
        ['CONFIG', 'SET', 'maxmemory', '10mb', 'maxmemory', '20mb'],
        ['CONFIG', 'SET', 'maxmemory', '10mb', 'MAXMEMORY', '20mb'],
        ['CONFIG', 'SET', 'daemonize', 'yes', 'no-such-config', '1'],
        ['CONFIG', 'SET', 'no-such-config', '1', 'daemonize', 'yes'],
        ['CONFIG', 'SET', 'maxmemory-samples', '7', 'appendonly', 'maybe'],
        ['CONFIG', 'GET', 'maxmemory-samples'],
        ['CONFIG', 'SET', 'maxmemory-samples', '7', 'hz', '20'],
        ['CONFIG', 'GET', 'maxmemory-samples'],
        ['CONFIG', 'SET', 'maxmemory-samples', '5'],
        // Hidden from SLOWLOG and MONITOR, but stored as given.
        ['CONFIG', 'SET', 'masterauth', 'secret', 'requirepass', ''],
        ['CONFIG', 'GET', 'masterauth'],
        ['CONFIG', 'SET', 'masterauth', ''],
      ]));

    it('checks integer parameters against their bounds, under either name', () => {
      // Just outside each bound, then forms string2ll refuses; every change is undone after.
      const outside: Array<[name: string, values: string[]]> = [
        ['replica-priority', ['-1', '2147483648']],
        ['slave-priority', ['-1']],
        ['replica-announce-port', ['-1', '65536']],
        ['slave-announce-port', ['65536']],
        ['repl-ping-replica-period', ['0']],
        ['repl-ping-slave-period', ['0']],
        ['repl-timeout', ['0']],
        ['min-replicas-to-write', ['-1']],
        ['min-slaves-max-lag', ['-1']],
        ['active-defrag-cycle-min', ['0', '100']],
        ['active-expire-effort', ['0', '11']],
        ['maxmemory-eviction-tenacity', ['101']],
        ['maxclients', ['0', '-1', '4294967296']],
        ['slowlog-max-len', ['-1']],
        ['slowlog-log-slower-than', ['-2']],
        ['list-max-listpack-size', ['-2147483649']],
        ['list-max-ziplist-size', ['2147483648']],
        ['timeout', ['007', '+5', '-0', '9223372036854775808', '1.5']],
      ];
      return servers.compare([
        ...outside.flatMap(([name, values]) =>
          values.map((value) => ['CONFIG', 'SET', name, value]),
        ),
        ['CONFIG', 'SET', 'slave-priority', '42', 'repl-ping-slave-period', '3'],
        ['CONFIG', 'GET', 'replica-priority'],
        ['CONFIG', 'GET', 'repl-ping-replica-period'],
        ['CONFIG', 'SET', 'replica-priority', '2147483647', 'replica-announce-port', '65535'],
        ['CONFIG', 'GET', 'slave-priority'],
        ['CONFIG', 'GET', 'slave-announce-port'],
        ['CONFIG', 'SET', 'slave-read-only', 'no'],
        ['CONFIG', 'GET', 'replica-read-only'],
        ['CONFIG', 'SET', 'replica-priority', '100', 'replica-announce-port', '0'],
        ['CONFIG', 'SET', 'repl-ping-replica-period', '10', 'replica-read-only', 'yes'],
        // Memory units only where Redis takes them.
        ['CONFIG', 'SET', 'tls-session-cache-size', '20kb'],
        ['CONFIG', 'SET', 'list-max-listpack-size', '1kb'],
        ['CONFIG', 'SET', 'hash-max-listpack-value', '1kb', 'zset-max-ziplist-value', '2kb'],
        ['CONFIG', 'GET', 'hash-max-ziplist-value'],
        ['CONFIG', 'GET', 'zset-max-listpack-value'],
        ['CONFIG', 'SET', 'hash-max-listpack-value', '64', 'zset-max-listpack-value', '64'],
      ]);
    });

    it('checks enumerated values, percentiles and oom-score-adj-values as Redis', () =>
      servers.compare([
        ['CONFIG', 'SET', 'maxmemory-policy', 'ALLKEYS-LRU'],
        ['CONFIG', 'GET', 'maxmemory-policy'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'lru'],
        ['CONFIG', 'SET', 'loglevel', 'loud'],
        ['CONFIG', 'SET', 'appendfsync', 'sometimes'],
        ['CONFIG', 'SET', 'oom-score-adj', 'maybe'],
        ['CONFIG', 'SET', 'enable-protected-configs', 'local'],
        ['CONFIG', 'GET', 'enable-protected-configs'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '0.0 50.0 100.0'],
        ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '10.0 50.0 a'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '10.0 50.0 101.0'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '99.9 1e1'],
        ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', ''],
        ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9'],
        ['CONFIG', 'SET', 'oom-score-adj-values', '0 200'],
        ['CONFIG', 'SET', 'oom-score-adj-values', '0 200 2001'],
        ['CONFIG', 'SET', 'oom-score-adj-values', '0 x 800'],
        ['CONFIG', 'GET', 'oom-score-adj-values'],
        ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 64mb 16mb 90'],
        ['CONFIG', 'GET', 'client-output-buffer-limit'],
        ['CONFIG', 'SET', 'client-output-buffer-limit', 'replica 1gb 1kb 0 NORMAL 1 2 3'],
        ['CONFIG', 'GET', 'client-output-buffer-limit'],
        ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1 2'],
        ['CONFIG', 'SET', 'client-output-buffer-limit', 'master 1 2 3'],
        ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1 2 x'],
        ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub lots 2 3'],
        ['CONFIG', 'GET', 'client-output-buffer-limit'],
        [
          'CONFIG',
          'SET',
          'client-output-buffer-limit',
          'normal 0 0 0 replica 256mb 64mb 60 pubsub 32mb 8mb 60',
        ],
        ['CONFIG', 'REWRITE'],
      ]));

    it('takes shutdown flags several at once and memory as a percentage where Redis does', () =>
      servers.compare([
        ...[
          '',
          'now force',
          'NOSAVE force now',
          'default',
          'default now',
          'save nosave',
          'bla',
        ].flatMap((value) => [
          ['CONFIG', 'SET', 'shutdown-on-sigint', value],
          ['CONFIG', 'GET', 'shutdown-on-sigint'],
        ]),
        ['CONFIG', 'SET', 'shutdown-on-sigint', 'default', 'shutdown-on-sigterm', 'force'],
        ['CONFIG', 'GET', 'shutdown-on-sigterm'],
        ['CONFIG', 'SET', 'shutdown-on-sigterm', 'default'],
        ...[
          '10%',
          '200%',
          '100%',
          '0%',
          '-1%',
          '010%',
          'abc%',
          '1.5%',
          '1kb%',
          '%',
          '1mb',
          'x',
        ].flatMap((value) => [
          ['CONFIG', 'SET', 'maxmemory-clients', value],
          ['CONFIG', 'GET', 'maxmemory-clients'],
        ]),
        ['CONFIG', 'SET', 'maxmemory', '10%'],
        ['CONFIG', 'SET', 'maxmemory', '10000001', 'maxmemory-clients', '200%'],
        ['CONFIG', 'GET', 'maxmemory'],
        ['CONFIG', 'SET', 'maxmemory-clients', '0'],
      ]));

    it('checks proc-title-template as Redis: known variables, closed braces, a title left', () =>
      servers.compare([
        ['CONFIG', 'SET', 'proc-title-template', '{invalid-var}'],
        ['CONFIG', 'SET', 'proc-title-template', ''],
        ['CONFIG', 'SET', 'proc-title-template', '{title}'],
        ['CONFIG', 'SET', 'proc-title-template', '{title} {server-mode}'],
        ['CONFIG', 'SET', 'proc-title-template', 'x {'],
        ['CONFIG', 'SET', 'proc-title-template', '{title'],
        ['CONFIG', 'SET', 'proc-title-template', '{unixsocket}'],
        ['CONFIG', 'SET', 'proc-title-template', '{{}'],
        ['CONFIG', 'SET', 'proc-title-template', 'a}b'],
        ['CONFIG', 'SET', 'proc-title-template', 'T {title} {listen-addr} {port} {tls-port}'],
        ['CONFIG', 'GET', 'proc-title-template'],
        ['CONFIG', 'SET', 'proc-title-template', '{title} {listen-addr} {server-mode}'],
      ]));

    it('shows hidden test switches only when named exactly', () =>
      servers.compare([
        ['CONFIG', 'GET', 'key-load-delay'],
        ['CONFIG', 'GET', 'rdb-key-save-delay'],
        ['CONFIG', 'GET', 'loading-process-events-interval-bytes'],
        ['CONFIG', 'GET', 'key-load-*'],
        ['CONFIG', 'GET', 'rdb-key-save-*'],
        ['CONFIG', 'GET', 'loading-process-*'],
        ['CONFIG', 'SET', 'key-load-delay', '50'],
        ['CONFIG', 'GET', 'key-load-delay'],
        ['CONFIG', 'SET', 'key-load-delay', '0'],
      ]));

    it('caps hz and raises a watchdog-period under two cron intervals', () =>
      servers.compare([
        ...['1000', '0', '3', '10'].flatMap((hz) => [
          ['CONFIG', 'SET', 'hz', hz],
          ['CONFIG', 'GET', 'hz'],
          ...['1', '199', '200', '201', '666', '0'].flatMap((period) => [
            ['CONFIG', 'SET', 'watchdog-period', period],
            ['CONFIG', 'GET', 'watchdog-period'],
          ]),
        ]),
        ['CONFIG', 'SET', 'hz', '100', 'watchdog-period', '1'],
        ['CONFIG', 'GET', 'watchdog-period'],
        ['CONFIG', 'SET', 'hz', '10'],
        ['CONFIG', 'GET', 'watchdog-period'],
        ['CONFIG', 'SET', 'watchdog-period', '0'],
      ]));

    it('keeps listening on the old port when the new one is taken, and moves when it is free', async () => {
      for (const [port, other] of [
        [servers.rcPort(), servers.redisPort()],
        [servers.redisPort(), servers.rcPort()],
      ]) {
        const client = await RawClient.open(port);
        const taken = String(await client.command('CONFIG', 'SET', 'port', String(other)));
        expect(taken).toBe(
          "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
        );
        const badBind = String(await client.command('CONFIG', 'SET', 'bind', '999.999.999.999'));
        expect(badBind).toBe(
          "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n",
        );
        expect(String(await client.command('CONFIG', 'GET', 'port'))).toContain(`${port}\r\n`);
        // The address it already listens on: the old listener makes way for the new one.
        expect(String(await client.command('CONFIG', 'SET', 'bind', '127.0.0.1'))).toBe('+OK\r\n');
        const still = await RawClient.open(port);
        expect(String(await still.command('PING'))).toBe('+PONG\r\n');
        const free = await freePort();
        expect(String(await client.command('CONFIG', 'SET', 'port', String(free)))).toBe('+OK\r\n');
        const moved = await RawClient.open(free);
        expect(String(await moved.command('PING'))).toBe('+PONG\r\n');
        // Back where the other tests expect the server.
        expect(String(await moved.command('CONFIG', 'SET', 'port', String(port)))).toBe('+OK\r\n');
      }
    });

    it('listens on every bind address, keeping the old ones when any new one fails', async () => {
      const many = Array.from({ length: 17 }, (_, i) => `127.0.0.${i + 1}`).join(' ');
      const seen: string[][] = [];
      for (const port of [servers.rcPort(), servers.redisPort()]) {
        const client = await RawClient.open(port);
        const replies = [
          await client.command('CONFIG', 'SET', 'bind', many),
          await client.command('CONFIG', 'SET', 'bind', '127.0.0.1 198.51.100.7'),
          await client.command('CONFIG', 'GET', 'bind'),
          await client.command('CONFIG', 'SET', 'bind', '127.0.0.1 -198.51.100.7 127.0.0.3'),
          await client.command('CONFIG', 'GET', 'bind'),
        ];
        replies.push(await (await RawClient.open(port, { host: '127.0.0.3' })).command('PING'));
        replies.push(await (await RawClient.open(port)).command('PING'));
        replies.push(await client.command('CONFIG', 'SET', 'bind', '127.0.0.1'));
        seen.push(replies.map(String));
        client.close();
      }
      expect(seen[0]).toEqual(seen[1]);
      expect(seen[0].slice(0, 2)).toEqual([
        "-ERR CONFIG SET failed (possibly related to argument 'bind') - Too many bind addresses specified.\r\n",
        "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n",
      ]);
      expect(seen[0][4]).toBe('*2\r\n$4\r\nbind\r\n$33\r\n127.0.0.1 -198.51.100.7 127.0.0.3\r\n');
      expect(seen[0].slice(5)).toEqual(['+PONG\r\n', '+PONG\r\n', '+OK\r\n']);
    });
  },
);

describe.runIf(requireRedisOrSkip('startup watchdog-period differential'))(
  'a watchdog-period given at startup',
  () => {
    // Given before hz: Redis raises it once the whole configuration is read.
    const servers = useDifferential([
      ['watchdog-period', '1'],
      ['hz', '100'],
    ]);

    it('is raised to two cron intervals of the final hz', () =>
      servers.compare([
        ['CONFIG', 'GET', 'watchdog-period'],
        ['CONFIG', 'GET', 'hz'],
        ['CONFIG', 'SET', 'watchdog-period', '0'],
      ]));
  },
);
