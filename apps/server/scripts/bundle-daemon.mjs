// Makes dist/main.js, the daemon's entry, one self-contained module: tsc's output imports about
// 250 modules across the workspace packages, and resolving and loading each one doubled the
// time from spawn to "Ready to accept connections" (1.5–3.4 s against 0.8–1.7 s on a loaded
// 2-core machine). The library entry (dist/index.js) stays tsc's output; the watchdog's worker
// (dist/watchdog-thread.js) stays beside the bundle, where its URL points.
import { rename } from 'node:fs/promises';
import { build } from 'rolldown';

const entry = new URL('../dist/main.js', import.meta.url).pathname;
const bundled = new URL('../dist/main.bundle.js', import.meta.url).pathname;
await build({
  input: entry,
  platform: 'node',
  logLevel: 'warn',
  output: { file: bundled, format: 'esm' },
});
await rename(bundled, entry);
