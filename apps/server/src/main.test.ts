import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RdbWriter } from '@rc/rdb';
import { until } from '@rc/test-support';
import { blob, dumpPayload, element, listpack, stream } from './test-support/dump-payload.js';
import { RawClient } from './test-support/raw-client.js';
import { freePort, requireRedisOrSkip } from './test-support/servers.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const BINARIES = { rc: [process.execPath, main], redis: ['redis-server'] } as const;
type Binary = keyof typeof BINARIES;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(binary: Binary, args: string[]): Promise<Outcome> {
  const [command, ...first] = BINARIES[binary];
  return new Promise((resolve) => {
    const child = spawn(command, [...first, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A log line's message, without the pid, role letter and time, which differ by nature. */
const LOG_LINE = /^\d+:[CMS] \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} ([.\-*#]) (.*)$/;

function messages(log: string): string[] {
  return log
    .split('\n')
    .map((line) => LOG_LINE.exec(line))
    .filter((match) => match !== null)
    .map((match) => `${match[1]} ${match[2]}`);
}

/**
 * For tests that expect SIGABRT from a panic or an assertion. redis-server's crash report ends
 * with a memory test that writes over its heap while jemalloc's background thread still runs (only
 * the bio and I/O threads are stopped first); under load it then sometimes dies by SIGSEGV
 * instead of abort()'s SIGABRT, after a complete report. rc runs no memory test either way.
 */
const NO_MEMTEST = ['--crash-memcheck-enabled', 'no'];

interface Started {
  readonly pid: number;
  readonly port: number;
  /** The signal it died by, once it exited and its output was read. */
  readonly exited: Promise<string | null>;
  log(): string;
  kill(): void;
}

/**
 * The binary on a free port in a fresh directory (after `configFile`, if given), once it logged
 * that it is ready.
 */
async function startBinary(binary: Binary, args: string[], configFile?: string): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'rc-main-'));
  const port = await freePort();
  const [command, ...first] = BINARIES[binary];
  const file = configFile === undefined ? [] : [configFile];
  const child = spawn(command, [...first, ...file, '--port', String(port), '--dir', dir, ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  // 'close', not 'exit': the log read from its pipe is whole only once the pipe closed.
  const exited = new Promise<string | null>((resolve) =>
    child.once('close', (_code, signal) => resolve(signal)),
  );
  // Node's start on a loaded machine took over 15 s (until's default).
  await until(() => log.includes('Ready to accept connections'), 'the ready line', 45_000);
  return {
    pid: child.pid ?? 0,
    port,
    exited,
    log: () => log,
    kill: () => child.kill('SIGKILL'),
  };
}

const daemons: number[] = [];
afterEach(() => {
  for (const pid of daemons.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

describe('rc-server command line', () => {
  it('prints its version, and its usage to stderr with exit code 1 as redis-server', async () => {
    expect((await run('rc', ['--version'])).stdout).toMatch(/^Redis server v=7\.0\.15 /);
    const help = await run('rc', ['--help']);
    expect(help.code).toBe(1);
    expect(help.stderr).toContain('Usage: rc-server');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`logs ${signal} and exits 0`, async () => {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'rc-main-'));
      const child = spawn(process.execPath, [main, '--port', String(port), '--dir', dir], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await until(() => output.includes('Ready to accept connections'), 'the ready line', 45_000);
      const code = await new Promise<number | null>((resolve) => {
        child.once('exit', (exitCode) => resolve(exitCode));
        child.kill(signal);
      });
      expect(code).toBe(0);
      const lines = messages(output);
      expect(lines).toContain(`# Received ${signal} scheduling shutdown...`);
      expect(lines.at(-1)).toBe('# Redis is now ready to exit, bye bye...');
    });
  }
});

describe.runIf(requireRedisOrSkip('daemon process differential'))(
  'rc-server as a process, compared with redis-server',
  () => {
    // Each case: the arguments, and whether a config file with these lines comes first.
    const badStarts: Array<{ args: string[]; file?: string }> = [
      { args: ['--port'] },
      { args: ['--port', 'notaport'] },
      { args: ['--port', '6380', '--loglevel'] },
      { args: ['--port', '6379', '6380'] },
      { args: ['--port', '--loglevel', 'verbose'] },
      { args: ['--port', '--bla', '--loglevel', 'verbose'] },
      { args: ['--no-such-option', '1'] },
      { args: ['--replicaof', '127.0.0.1', 'abc'] },
      { args: ['--replicaof', '--127.0.0.1', 'abc'] },
      { args: ['--appendonly', 'maybe'] },
      { args: ['--save', '900'] },
      { args: ['--maxmemory', 'lots'] },
      { args: ['--dbfilename', 'a/b.rdb'] },
      { args: ['--loglevel', 'verbose'], file: 'port 1\nbogus 2\n' },
      { args: [], file: '# comment\n\nport "unbalanced\n' },
      { args: [], file: 'include /nonexistent/other.conf\n' },
      { args: ['--user', 'foo', '--user', 'foo'] },
      { args: ['--user', 'default', '--user', 'default'] },
      { args: ['--user', 'alice', 'on', 'bogus'] },
      { args: ['--user', 'alice', 'on', '#nothex'] },
      { args: ['--rename-command', 'nosuch', 'x'] },
      { args: ['--rename-command', 'get', 'set'] },
    ];
    for (const { args, file } of badStarts) {
      it(`refuses ${file === undefined ? '' : 'a config file and '}${JSON.stringify(args)} as redis-server`, async () => {
        const prefix: string[] = [];
        if (file !== undefined) {
          const path = join(mkdtempSync(join(tmpdir(), 'rc-conf-')), 'redis.conf');
          writeFileSync(path, file);
          prefix.push(path);
        }
        const [ours, theirs] = await Promise.all([
          run('rc', [...prefix, ...args]),
          run('redis', [...prefix, ...args]),
        ]);
        expect(ours.code).toBe(1);
        expect(ours.code).toBe(theirs.code);
        expect(ours.stderr).toBe(theirs.stderr);
        expect(messages(ours.stdout)).toEqual(messages(theirs.stdout));
      });
    }

    it('logs the startup and SHUTDOWN lines Redis logs, to the logfile, in its format', async () => {
      const logged: Record<Binary, string[]> = { rc: [], redis: [] };
      for (const binary of ['rc', 'redis'] as const) {
        const dir = mkdtempSync(join(tmpdir(), 'rc-log-'));
        const port = await freePort();
        const logfile = join(dir, 'server.log');
        const pidfile = join(dir, 'server.pid');
        const started = await run(binary, [
          '--port',
          String(port),
          '--dir',
          dir,
          '--logfile',
          logfile,
          '--pidfile',
          pidfile,
          '--daemonize',
          'yes',
          '--save',
          '900 1',
        ]);
        // daemonize: the parent exits 0 at once, the daemon writes its pid file.
        expect(started.code).toBe(0);
        await until(
          () => existsSync(pidfile) && readFileSync(logfile, 'latin1').includes('Ready'),
          'the daemon',
        );
        const pid = Number(readFileSync(pidfile, 'latin1'));
        daemons.push(pid);
        const client = await RawClient.open(port);
        expect(String(await client.command('SET', 'k', 'v'))).toBe('+OK\r\n');
        client.write('*1\r\n$8\r\nSHUTDOWN\r\n');
        await client.waitClosed(5000);
        await until(() => !existsSync(pidfile), 'the pid file removed');
        const text = readFileSync(logfile, 'latin1');
        for (const line of text.split('\n').filter((l) => /^\d+:/.test(l))) {
          expect(line).toMatch(LOG_LINE);
          expect(line.startsWith(`${pid}:`)).toBe(true);
        }
        logged[binary] = messages(text);
      }
      // Redis's own extra lines (its clock source, kernel warnings) are not rc's business.
      const shared = (lines: string[]): string[] =>
        lines.filter((line) => logged.rc.includes(line) && logged.redis.includes(line));
      const expected = [
        '# oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
        '# Configuration loaded',
        '# Server initialized',
        '* Ready to accept connections',
        '# User requested shutdown...',
        '* Saving the final RDB snapshot before exiting.',
        '* DB saved on disk',
        '* Removing the pid file.',
        '# Redis is now ready to exit, bye bye...',
      ];
      expect(shared(logged.rc)).toEqual(shared(logged.redis));
      for (const line of expected) expect(logged.rc).toContain(line);
      expect(logged.rc.filter((line) => line.includes('Running mode=standalone'))).toHaveLength(1);
    });

    it('shows the PID in the logo with always-show-logo, and fails on a port in use', async () => {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'rc-logo-'));
      const child = spawn(
        process.execPath,
        [main, '--port', String(port), '--dir', dir, '--always-show-logo', 'yes'],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await until(() => output.includes('Ready to accept connections'), 'the ready line', 45_000);
      expect(output).toContain(` PID: ${child.pid}`);
      const [ours, theirs] = await Promise.all([
        run('rc', ['--port', String(port), '--dir', dir]),
        run('redis', ['--port', String(port), '--dir', dir]),
      ]);
      child.kill('SIGKILL');
      expect(ours.code).toBe(theirs.code);
      // Only IPv4's * fails: IPv6's port is free, as both listeners are IPv6 only.
      const failure = (outcome: Outcome): string[] =>
        messages(outcome.stdout).filter((line) =>
          /^# (Failed listening|Warning: Could)/.test(line),
        );
      expect(failure(ours)).toEqual(failure(theirs));
      expect(failure(ours)).toEqual([
        `# Warning: Could not create server TCP listening socket *:${port}: bind: Address already in use`,
        `# Failed listening on port ${port} (TCP), aborting.`,
      ]);
    });

    it('writes a bug report and dies by SIGSEGV on DEBUG SEGFAULT, as redis-server', async () => {
      for (const binary of ['rc', 'redis'] as const) {
        const server = await startBinary(binary, ['--enable-debug-command', 'yes']);
        const client = await RawClient.open(server.port);
        client.write('*2\r\n$5\r\nDEBUG\r\n$8\r\nSEGFAULT\r\n');
        expect(await server.exited).toBe('SIGSEGV');
        const log = server.log();
        expect(log).toContain('=== REDIS BUG REPORT START: Cut & paste starting from here ===');
        expect(messages(log)).toContain('# Redis 7.0.15 crashed by signal: 11, si_code: 2');
        expect(log).toContain(
          '=== REDIS BUG REPORT END. Make sure to include from START to END. ===',
        );
      }
    });

    it('fails an assertion reading a corrupt value RESTORE took unchecked, as redis-server', async () => {
      // The entry's lp-count has a wrong backlen: RESTORE's walk stops at the entry's v, XRANGE
      // walks on.
      const corrupt = dumpPayload(stream(4, [0], [4, 5]));
      for (const binary of ['rc', 'redis'] as const) {
        const server = await startBinary(binary, ['--sanitize-dump-payload', 'no', ...NO_MEMTEST]);
        const client = await RawClient.open(server.port);
        expect(String(await client.command('RESTORE', 'key', '0', corrupt))).toBe('+OK\r\n');
        expect(String(await client.command('TYPE', 'key'))).toBe('+stream\r\n');
        // No reply comes: the server dies.
        client.command('XRANGE', 'key', '-', '+').catch(() => {});
        expect(await server.exited).toBe('SIGABRT');
        expect(messages(server.log())).toContain('# === ASSERTION FAILED ===');
      }
    });

    it('panics loading a hash listpack with a field twice that it converts, as redis-server', async () => {
      const twice = dumpPayload([16, ...blob(listpack(['f', 'v', 'f', 'w'].map(element)))]);
      const logs: Record<Binary, string[]> = { rc: [], redis: [] };
      for (const binary of ['rc', 'redis'] as const) {
        const server = await startBinary(binary, [
          '--hash-max-listpack-entries',
          '1',
          ...NO_MEMTEST,
        ]);
        const client = await RawClient.open(server.port);
        client.command('RESTORE', 'key', '0', twice).catch(() => {});
        expect(await server.exited).toBe('SIGABRT');
        // Up to the panic's source location, which names Redis's file or rc.
        logs[binary] = messages(server.log())
          .filter((line) => /dup elements|Guru Meditation/.test(line))
          .map((line) => line.replace(/ #\S+$/, ''));
      }
      expect(logs.rc).toEqual(logs.redis);
      expect(logs.rc).toEqual([
        '# listpack with dup elements dump (hexdump of 19 bytes):',
        '# Guru Meditation: Listpack corruption detected',
      ]);
    });

    it('panics on a key twice in dump.rdb at startup, as redis-server', async () => {
      const writer = new RdbWriter();
      writer.header([['redis-ver', '7.0.15']]);
      writer.selectDb(0, 2, 0);
      writer.key('k', { type: 'string', value: 'a' }, null);
      writer.key('k', { type: 'string', value: 'b' }, null);
      writer.end();
      const file = writer.take();
      const logs: Record<Binary, string[]> = { rc: [], redis: [] };
      for (const binary of ['rc', 'redis'] as const) {
        const dir = mkdtempSync(join(tmpdir(), 'rc-main-'));
        writeFileSync(join(dir, 'dump.rdb'), file);
        const port = String(await freePort());
        const outcome = await run(binary, ['--port', port, '--dir', dir, '--save', '']);
        expect(outcome.code).toBe(null);
        logs[binary] = messages(outcome.stdout)
          .filter((line) => /duplicated|Guru Meditation/i.test(line))
          .map((line) => line.replace(/ #\S+$/, ''));
      }
      expect(logs.rc).toEqual(logs.redis);
      expect(logs.rc).toEqual([
        "# RDB has duplicated key 'k' in DB 0",
        '# Guru Meditation: Duplicated key found in RDB file',
      ]);
    });

    it('keeps the OOM score as oom-score-adj says, by role, as redis-server', async () => {
      const scores: Record<Binary, number[]> = { rc: [], redis: [] };
      for (const binary of ['rc', 'redis'] as const) {
        const server = await startBinary(binary, []);
        const client = await RawClient.open(server.port);
        const score = (): number =>
          Number(readFileSync(`/proc/${server.pid}/oom_score_adj`, 'latin1'));
        const steps = [
          ['CONFIG', 'SET', 'oom-score-adj-values', '10 20 30'],
          ['CONFIG', 'SET', 'oom-score-adj', 'yes'],
          ['CONFIG', 'SET', 'oom-score-adj-values', '15 20 30'],
          ['REPLICAOF', '127.0.0.1', '1'],
          ['REPLICAOF', 'NO', 'ONE'],
          ['CONFIG', 'SET', 'oom-score-adj', 'absolute'],
          ['CONFIG', 'SET', 'oom-score-adj', 'no'],
        ];
        scores[binary].push(score());
        for (const step of steps) {
          expect(String(await client.command(...step))).toBe('+OK\r\n');
          scores[binary].push(score());
        }
        server.kill();
      }
      expect(scores.rc).toEqual(scores.redis);
    });

    it('rewrites its config file as redis-server does (CONFIG REWRITE)', async () => {
      const files: Record<Binary, string> = { rc: '', redis: '' };
      for (const binary of ['rc', 'redis'] as const) {
        const path = join(mkdtempSync(join(tmpdir(), 'rc-rewrite-')), 'redis.conf');
        writeFileSync(
          path,
          [
            '# kept as it is',
            'save 900 1',
            'save 300 10',
            '',
            '',
            'maxmemory 10mb',
            'slave-read-only yes',
            'appendonly no',
            'hz 10',
            '',
          ].join('\n'),
        );
        const server = await startBinary(binary, [], path);
        const client = await RawClient.open(server.port);
        const steps = [
          ['CONFIG', 'SET', 'maxmemory', '20mb'],
          ['CONFIG', 'SET', 'save', '60 5'],
          ['CONFIG', 'SET', 'replica-read-only', 'no'],
          ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
          ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
          ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 64mb 16mb 90'],
          ['CONFIG', 'SET', 'hz', '10'],
          ['CONFIG', 'REWRITE'],
        ];
        for (const step of steps) {
          expect(String(await client.command(...step))).toBe('+OK\r\n');
        }
        server.kill();
        // The port and directory are each server's own.
        files[binary] = readFileSync(path, 'latin1')
          .replace(/^port \d+$/m, 'port P')
          .replace(/^dir .*$/m, 'dir D');
      }
      const [keptRc, appendedRc] = files.rc.split('# Generated by CONFIG REWRITE\n');
      const [keptRedis, appendedRedis] = files.redis.split('# Generated by CONFIG REWRITE\n');
      expect(keptRc).toBe(keptRedis);
      // Redis appends in its hash table's order, which changes with every start.
      const sorted = (text: string): string[] => text.split('\n').sort();
      expect(sorted(appendedRc)).toEqual(sorted(appendedRedis));
    });

    it('answers to the names rename-command gives, as redis-server', async () => {
      const replies: Record<Binary, string[]> = { rc: [], redis: [] };
      for (const binary of ['rc', 'redis'] as const) {
        const args = ['--rename-command', 'flushdb', 'badger', '--rename-command', 'get', ''];
        const server = await startBinary(binary, args);
        const client = await RawClient.open(server.port);
        for (const step of [
          ['FLUSHDB'],
          ['BADGER'],
          ['GET', 'x'],
          ['COMMAND', 'INFO', 'badger', 'flushdb', 'get'],
          ['ACL', 'SETUSER', 'u', '+flushdb', '+get'],
          ['ACL', 'DRYRUN', 'u', 'badger'],
          ['ACL', 'DRYRUN', 'u', 'flushdb'],
        ]) {
          replies[binary].push(String(await client.command(...step)));
        }
        client.close();
        server.kill();
      }
      expect(replies.rc).toEqual(replies.redis);
    });

    it('refuses to start on ACL users it cannot load, logging as redis-server', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rc-users-'));
      const config = join(dir, 'redis.conf');
      writeFileSync(config, 'user alice on >pw +nosuchcommand\n');
      const aclfile = join(dir, 'users.acl');
      writeFileSync(aclfile, 'user bob on +get\nnot a user line\n');
      const starts = [
        [config],
        ['--aclfile', '/nonexistent/users.acl'],
        ['--aclfile', aclfile],
        ['--aclfile', aclfile, '--user', 'alice', 'on'],
      ];
      for (const args of starts) {
        const port = ['--port', String(await freePort())];
        const [ours, theirs] = await Promise.all([
          run('rc', [...args, ...port]),
          run('redis', [...args, ...port]),
        ]);
        // What follows the start's own lines (pid, clock), but the machine's memory warnings.
        const last = (outcome: Outcome) => {
          const lines = messages(outcome.stdout);
          return lines
            .slice(lines.indexOf('# Server initialized') + 1)
            .filter((line) => !line.startsWith('# WARNING'));
        };
        expect({ code: ours.code, log: last(ours) }).toEqual({
          code: theirs.code,
          log: last(theirs),
        });
        expect(ours.code).toBe(1);
      }
    });

    it('refuses to start on an RDB file with a bad checksum, logging as redis-server', async () => {
      // A file redis-server saved, its checksum then overwritten.
      const source = await startBinary('redis', []);
      const client = await RawClient.open(source.port);
      await client.command('SET', 'k', 'v');
      const reply = String(await client.command('CONFIG', 'GET', 'dir'));
      await client.command('SAVE');
      source.kill();
      const dir = /\r\n\$\d+\r\n(.*)\r\n$/.exec(reply)?.[1] ?? '';
      const saved = readFileSync(join(dir, 'dump.rdb'));
      saved.write('foobar00', saved.length - 8, 'latin1');
      const logged: Record<Binary, { code: number | null; lines: string[] }> = {
        rc: { code: null, lines: [] },
        redis: { code: null, lines: [] },
      };
      for (const binary of ['rc', 'redis'] as const) {
        const copy = mkdtempSync(join(tmpdir(), 'rc-crc-'));
        writeFileSync(join(copy, 'dump.rdb'), saved);
        const outcome = await run(binary, ['--port', String(await freePort()), '--dir', copy]);
        logged[binary] = {
          code: outcome.code,
          lines: messages(outcome.stdout)
            .filter((line) => line.includes('RDB'))
            .map((line) =>
              line
                .replace(/\d+ seconds/, 'N seconds')
                .replace(/function at .* ->/, 'function at ->'),
            ),
        };
      }
      expect(logged.rc).toEqual(logged.redis);
      expect(logged.rc.code).toBe(1);
      expect(logged.rc.lines.at(-1)).toContain('RDB CRC error');
    });
  },
);
