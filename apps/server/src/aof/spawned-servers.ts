import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test-support/servers.js';

/*
 * The rc daemon and redis-server as separate processes on copies of one data directory, for
 * the AOF tests that compare what each logs, exits with and leaves on disk.
 */

const rcMain = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Files of a data directory: paths relative to it, and their bytes. */
export type Layout = Record<string, string | Buffer>;

export interface Run {
  /** The exit code, or null while it still serves (it was ready). */
  readonly code: number | null;
  /** Log lines from "Server initialized" on, without pid, role and time. */
  readonly lines: string[];
  readonly port: number;
  readonly pid: number;
  /** The copy of the data directory it runs in. */
  readonly dir: string;
  /** Its log so far, as `lines` gives it. */
  log(): string[];
}

/** How to stop each process started so far. */
export const running: Array<() => void> = [];

/** Kills what the test started: run after each test. */
export function stopAll(): void {
  for (const stop of running.splice(0)) stop();
}

export function layout(files: Layout): string {
  const dir = mkdtempSync(join(tmpdir(), 'rc-aof-load-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Log lines as the suite reads them: the message after the level mark, lines joined. */
export function logLines(output: string): string[] {
  const start = output.indexOf('Server initialized');
  const lines: string[] = [];
  for (const entry of output.slice(start).split(/\n(?=\d+:[CMS] )/)) {
    const message = entry.replace(/^\d+:[CMS] \d\d \w{3} \d{4} [\d:.]+ [#*.-] /, '').trimEnd();
    // Host warnings (memory overcommit, THP) and timings differ by machine; rc does not print
    // an RDB's aux fields (version, age, memory) as it loads one.
    if (message.startsWith('WARNING') || message === '' || /^(Loading RDB|RDB )/.test(message)) {
      continue;
    }
    lines.push(message.replace(/\d+\.\d{3} seconds/, 'N seconds'));
  }
  return lines;
}

/** Starts a server on a copy of `dir`; resolves once it serves or has exited. */
export async function serve(
  server: 'rc' | 'redis',
  dir: string,
  extra: string[] = [],
): Promise<Run> {
  const copy = mkdtempSync(join(tmpdir(), `rc-aof-${server}-`));
  cpSync(dir, copy, { recursive: true });
  const port = await freePort();
  const args = ['--port', String(port), '--dir', copy, '--save', '', '--appendonly', 'yes'];
  const child =
    server === 'rc'
      ? spawn(process.execPath, [rcMain, ...args, ...extra])
      : spawn('redis-server', [...args, ...extra]);
  running.push(() => child.kill('SIGKILL'));
  let output = '';
  const pid = child.pid ?? 0;
  const log = (): string[] => logLines(output);
  return new Promise((resolve) => {
    const ready = (): void => {
      if (output.includes('Ready to accept connections')) {
        resolve({ code: null, lines: log(), port, pid, dir: copy, log });
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('latin1');
      ready();
    });
    child.once('exit', (code) => resolve({ code, lines: log(), port, pid, dir: copy, log }));
  });
}
