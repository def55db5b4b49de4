import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The built module: its paths point into dist/, where the build put the bundle and its cache.
const built = (await import(
  new URL('../dist/daemon-script.js', import.meta.url).href
)) as typeof import('./daemon-script.js');

describe('the daemon script', () => {
  it('compiles with the code cache the build made (V8 accepts it)', () => {
    const script = built.compileDaemon(readFileSync(built.DAEMON_CODE_CACHE));
    expect(script.cachedDataRejected).toBe(false);
  });
});

describe('readTextInPieces', () => {
  it('reads a UTF-8 file as a whole read does, characters split across its 64 KB pieces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-pieces-'));
    try {
      const file = join(dir, 'text');
      // 3- and 4-byte characters at every offset around the 64 KB boundaries.
      writeFileSync(file, 'a×→😀'.repeat(50_000));
      expect(built.readTextInPieces(file)).toBe(readFileSync(file, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
