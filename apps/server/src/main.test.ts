import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from './test-support/servers.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function run(
  args: string[],
): Promise<{ code: number | null; output: string; exitedAfterSignalMs?: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('rc-server command line', () => {
  it('exits with code 1 and a clear error on an unknown option', async () => {
    const result = await run(['--no-such-option', '1']);
    expect(result.code).toBe(1);
    expect(result.output).toContain("Bad directive or wrong number of arguments: 'no-such-option'");
  });

  it('prints its version and help', async () => {
    expect((await run(['--version'])).output).toMatch(/^rc-server v=/);
    expect((await run(['--help'])).output).toContain('Usage: rc-server');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits cleanly within a second of ${signal}`, async () => {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'rc-main-'));
      const child = spawn(process.execPath, [main, '--port', String(port), '--dir', dir], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      await new Promise((resolve) => child.stdout.once('data', resolve));
      const sent = Date.now();
      const code = await new Promise<number | null>((resolve) => {
        child.once('exit', (exitCode) => resolve(exitCode));
        child.kill(signal);
      });
      expect(code).toBe(0);
      expect(Date.now() - sent).toBeLessThan(1000);
    });
  }
});
