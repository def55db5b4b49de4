import { until } from '@rc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, stopDaemons } from './test-support/daemon.js';
import { RawClient } from './test-support/raw-client.js';
import { freePort } from './test-support/servers.js';

/** Redis's report from its SIGALRM handler where it has no backtrace(), line for line. */
const REPORT = new RegExp(
  [
    String.raw`(\d+):signal-handler \(\d+\) `,
    '--- WATCHDOG TIMER EXPIRED ---',
    String.raw`\1:signal-handler \(\d+\) Sorry: no support for backtrace\(\)\.`,
    String.raw`\1:signal-handler \(\d+\) --------`,
    '',
    '',
  ].join('\n'),
);

describe('the software watchdog (watchdog-period)', () => {
  afterEach(stopDaemons);

  it('reports a command that holds the main thread past the period, from its own thread', async () => {
    const port = await freePort();
    const daemon = await startDaemon([
      '--port',
      String(port),
      '--save',
      '',
      '--enable-debug-command',
      'yes',
    ]);
    const client = await RawClient.open(port);
    expect((await client.command('CONFIG', 'SET', 'watchdog-period', '200'))?.toString()).toBe(
      '+OK\r\n',
    );
    expect((await client.command('DEBUG', 'SLEEP', '2'))?.toString()).toBe('+OK\r\n');
    await until(() => REPORT.test(daemon.output()), 'the watchdog report');
    expect(REPORT.exec(daemon.output())?.[1]).toBe(String(daemon.child.pid));
  });
});
