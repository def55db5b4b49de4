import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '@rc/engine';
import { protectedModeRefuses } from './protected-mode.js';
import { RcServer } from './server.js';
import { RawClient } from './test-support/raw-client.js';

describe('protectedModeRefuses', () => {
  it('refuses peers other than 127.0.0.1 and ::1 while the default user has no password', () => {
    const engine = new Engine();
    for (const peer of ['127.0.0.2', '192.0.2.2', '::ffff:127.0.0.1', 'fd00::2', undefined]) {
      expect(protectedModeRefuses(engine, peer)).toBe(true);
    }
    for (const peer of ['127.0.0.1', '::1']) expect(protectedModeRefuses(engine, peer)).toBe(false);
    engine.config.set('requirepass', 'secret');
    expect(protectedModeRefuses(engine, '192.0.2.2')).toBe(false);
    engine.config.set('requirepass', '');
    expect(protectedModeRefuses(engine, '192.0.2.2')).toBe(true);
    // A password given through ACL counts as well.
    engine.acl.defaultUser.apply('>secret');
    expect(protectedModeRefuses(engine, '192.0.2.2')).toBe(false);
    engine.acl.defaultUser.apply('nopass');
    engine.config.set('protected-mode', 'no');
    expect(protectedModeRefuses(engine, '192.0.2.2')).toBe(false);
  });
});

describe('protected mode in rc', () => {
  let server: RcServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('never refuses a unix socket peer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-protected-'));
    const path = join(dir, 'rc.sock');
    server = new RcServer({
      config: [
        ['save', ''],
        ['dir', dir],
        ['unixsocket', path],
      ],
    });
    await server.listen(0, '127.0.0.1');
    const client = await RawClient.openPath(path);
    expect(String(await client.command('PING'))).toBe('+PONG\r\n');
    client.close();
  });
});
