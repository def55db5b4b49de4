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
/** How to stop each process started so far. */
export const running = [];
/** Kills what the test started: run after each test. */
export function stopAll() {
    for (const stop of running.splice(0))
        stop();
}
export function layout(files) {
    const dir = mkdtempSync(join(tmpdir(), 'rc-aof-load-'));
    for (const [name, content] of Object.entries(files)) {
        mkdirSync(join(dir, name, '..'), { recursive: true });
        writeFileSync(join(dir, name), content);
    }
    return dir;
}
/** Log lines as the suite reads them: the message after the level mark, lines joined. */
export function logLines(output) {
    const start = output.indexOf('Server initialized');
    const lines = [];
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
export async function serve(server, dir, extra = []) {
    const copy = mkdtempSync(join(tmpdir(), `rc-aof-${server}-`));
    cpSync(dir, copy, { recursive: true });
    const port = await freePort();
    const args = ['--port', String(port), '--dir', copy, '--save', '', '--appendonly', 'yes'];
    const child = server === 'rc'
        ? spawn(process.execPath, [rcMain, ...args, ...extra])
        : spawn('redis-server', [...args, ...extra]);
    running.push(() => child.kill('SIGKILL'));
    let output = '';
    const pid = child.pid ?? 0;
    const log = () => logLines(output);
    return new Promise((resolve) => {
        const ready = () => {
            if (output.includes('Ready to accept connections')) {
                resolve({ code: null, lines: log(), port, pid, dir: copy, log });
            }
        };
        child.stdout.on('data', (chunk) => {
            output += chunk.toString('latin1');
            ready();
        });
        child.once('exit', (code) => resolve({ code, lines: log(), port, pid, dir: copy, log }));
    });
}
//# sourceMappingURL=spawned-servers.js.map