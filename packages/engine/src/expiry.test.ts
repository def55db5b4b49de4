import { afterEach, describe, expect, it } from 'vitest';
import { engineWithClient } from './test-support/engine-client.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the active expiry cycle', () => {
  const started: Array<{ stop(): void }> = [];
  afterEach(() => {
    for (const engine of started.splice(0)) engine.stop();
  });

  it('reclaims expired keys without access, except while DEBUG PAUSE-CRON holds it', async () => {
    const { engine, run } = engineWithClient([['enable-debug-command', 'yes']]);
    engine.start();
    started.push(engine);
    expect(run('DEBUG', 'PAUSE-CRON', '1')).toBe('+OK\r\n');
    run('SET', 'k', 'v', 'PX', '10');
    await wait(300);
    expect(run('INFO', 'stats')).toContain('expired_keys:0\r\n');
    expect(run('DEBUG', 'PAUSE-CRON', 'no')).toBe('+OK\r\n');
    await wait(300);
    expect(run('INFO', 'stats')).toContain('expired_keys:1\r\n');
    expect(run('DBSIZE')).toBe(':0\r\n');
  });
});
