import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';
import { layout, serve, stopAll, type Run } from './spawned-servers.js';

afterEach(stopAll);

async function call(port: number, ...args: string[]): Promise<string> {
  const client = await RawClient.open(port);
  const reply = (await client.command(...args))?.toString() ?? '';
  client.close();
  return reply;
}

/** The rewrite's child as the suite finds it (get_child_pid: pgrep -P). */
function childOf(pid: number): number {
  const found = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'latin1' });
  return Number(found.stdout.split('\n')[0]);
}

async function rewriteDone(port: number): Promise<void> {
  for (;;) {
    const info = await call(port, 'INFO', 'persistence');
    if (info.includes('aof_rewrite_in_progress:0') && info.includes('aof_rewrite_scheduled:0')) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const manifest = (server: Run): string =>
  readFileSync(join(server.dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');

describe.runIf(requireRedisOrSkip('AOF rewrite, compared'))(
  'BGREWRITEAOF, compared with redis-server 7.0',
  () => {
    it('a rewrite whose child is killed fails, keeping the increment it opened', async () => {
      const dir = layout({});
      const outcomes: Array<{ manifest: string; status: string; lines: string[] }> = [];
      for (const kind of ['rc', 'redis'] as const) {
        const server = await serve(kind, dir);
        await call(server.port, 'SET', 'k', 'v');
        await call(server.port, 'CONFIG', 'SET', 'rdb-key-save-delay', '10000000');
        for (let attempt = 0; attempt < 3; attempt++) {
          await call(server.port, 'BGREWRITEAOF');
          const child = childOf(server.pid);
          expect(child).toBeGreaterThan(0);
          process.kill(child, 'SIGKILL');
          await rewriteDone(server.port);
        }
        const info = await call(server.port, 'INFO', 'persistence');
        outcomes.push({
          manifest: manifest(server),
          status:
            /aof_last_bgrewrite_status:\w+\r\naof_rewrites:\d+\r\naof_rewrites_consecutive_failures:\d+/.exec(
              info,
            )![0],
          lines: server.log().filter((line) => line.includes('terminated')),
        });
      }
      expect(outcomes[0]).toEqual(outcomes[1]);
      expect(outcomes[0].manifest).toBe(
        [
          'file appendonly.aof.1.base.rdb seq 1 type b',
          'file appendonly.aof.1.incr.aof seq 1 type i',
          'file appendonly.aof.2.incr.aof seq 2 type i',
          'file appendonly.aof.3.incr.aof seq 3 type i',
          'file appendonly.aof.4.incr.aof seq 4 type i',
          '',
        ].join('\n'),
      );
    }, 60_000);

    it('turning AOF off kills the running rewrite, which is no failure', async () => {
      const dir = layout({});
      const outcomes: Array<{ lines: string[]; status: string; reply: string }> = [];
      for (const kind of ['rc', 'redis'] as const) {
        const server = await serve(kind, dir);
        await call(server.port, 'SET', 'k', 'v');
        await call(server.port, 'CONFIG', 'SET', 'rdb-key-save-delay', '10000000');
        await call(server.port, 'BGREWRITEAOF');
        const child = childOf(server.pid);
        await call(server.port, 'CONFIG', 'SET', 'appendonly', 'no');
        await rewriteDone(server.port);
        const info = await call(server.port, 'INFO', 'persistence');
        await call(server.port, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
        outcomes.push({
          // Redis's child logs its SIGUSR1 on the next line; rc's stand-in child logs nothing.
          lines: server
            .log()
            .filter((line) => line.includes('rewrit'))
            .map((line) => line.split('\n')[0].replace(String(child), '<pid>')),
          status: /aof_last_bgrewrite_status:\w+/.exec(info)![0],
          // The next rewrite is not refused as already in progress.
          reply: await call(server.port, 'BGREWRITEAOF'),
        });
      }
      expect(outcomes[0]).toEqual(outcomes[1]);
      expect(outcomes[0].lines).toContain('Killing running AOF rewrite child: <pid>');
      expect(outcomes[0].status).toBe('aof_last_bgrewrite_status:ok');
    }, 60_000);

    it('DEBUG LOADAOF takes the manifest on disk; turning auto gc back on collects history', async () => {
      const dir = layout({});
      const manifests: string[][] = [];
      for (const kind of ['rc', 'redis'] as const) {
        const server = await serve(kind, dir, ['--enable-debug-command', 'yes']);
        const seen: string[] = [];
        await call(server.port, 'SET', 'k', 'v');
        await call(server.port, 'CONFIG', 'SET', 'aof-disable-auto-gc', 'yes');
        await call(server.port, 'BGREWRITEAOF');
        await rewriteDone(server.port);
        seen.push(manifest(server));
        await call(server.port, 'CONFIG', 'SET', 'aof-disable-auto-gc', 'no');
        seen.push(manifest(server));
        await call(server.port, 'CONFIG', 'SET', 'appendonly', 'no');
        await call(server.port, 'BGREWRITEAOF');
        await rewriteDone(server.port);
        await call(server.port, 'DEBUG', 'LOADAOF');
        await call(server.port, 'CONFIG', 'SET', 'appendonly', 'yes');
        await rewriteDone(server.port);
        seen.push(manifest(server));
        manifests.push(seen);
      }
      expect(manifests[0]).toEqual(manifests[1]);
      expect(manifests[0][2]).toBe(
        'file appendonly.aof.4.base.rdb seq 4 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
      );
    }, 60_000);

    it('a BGSAVE child: a rewrite waits for it, and killing it fails the save', async () => {
      const dir = layout({});
      const outcomes: string[][] = [];
      for (const kind of ['rc', 'redis'] as const) {
        const server = await serve(kind, dir);
        const seen: string[] = [];
        await call(server.port, 'SET', 'k', 'v');
        await call(server.port, 'CONFIG', 'SET', 'rdb-key-save-delay', '10000000');
        seen.push(await call(server.port, 'BGSAVE'));
        seen.push(await call(server.port, 'BGREWRITEAOF'));
        const info = await call(server.port, 'INFO', 'persistence');
        seen.push(/aof_rewrite_scheduled:\d/.exec(info)![0]);
        seen.push(/total_forks:\d+/.exec(await call(server.port, 'INFO', 'stats'))![0]);
        await call(server.port, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
        process.kill(childOf(server.pid), 'SIGKILL');
        await rewriteDone(server.port);
        seen.push(
          /rdb_last_bgsave_status:\w+/.exec(await call(server.port, 'INFO', 'persistence'))![0],
        );
        seen.push(/total_forks:\d+/.exec(await call(server.port, 'INFO', 'stats'))![0]);
        seen.push(...server.log().filter((line) => line.includes('terminated by signal')));
        outcomes.push(seen);
      }
      expect(outcomes[0]).toEqual(outcomes[1]);
      expect(outcomes[0]).toContain('Background saving terminated by signal 9');
    }, 60_000);

    it('appendonly yes whose first rewrite is killed drops its temporary increment', async () => {
      const dir = layout({});
      const outcomes: string[][] = [];
      for (const kind of ['rc', 'redis'] as const) {
        const server = await serve(kind, dir, ['--appendonly', 'no']);
        await call(server.port, 'SET', 'k', 'v');
        await call(server.port, 'CONFIG', 'SET', 'rdb-key-save-delay', '10000000');
        await call(server.port, 'CONFIG', 'SET', 'appendonly', 'yes');
        process.kill(childOf(server.pid), 'SIGKILL');
        await call(server.port, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
        await rewriteDone(server.port);
        outcomes.push([
          ...server
            .log()
            .filter((line) => /terminated|temp incr|^Background append/.test(line))
            .map((line) => line.replace(/pid \d+/, 'pid N')),
          manifest(server),
        ]);
      }
      expect(outcomes[0]).toEqual(outcomes[1]);
      expect(outcomes[0]).toContain(
        'Removing the temp incr aof file temp-appendonly.aof.incr in the background',
      );
    }, 60_000);
  },
);
