import { readFileSync } from 'node:fs';
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
