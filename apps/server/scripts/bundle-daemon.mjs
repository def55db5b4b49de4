// Makes the daemon's entry, dist/main.js, start fast. tsc's output imports about 250 modules
// across the workspace packages, and resolving and loading each one doubled the time from spawn
// to "Ready to accept connections" (1.5–3.4 s against 0.8–1.7 s on a loaded 2-core machine), so
// the program is bundled into one CommonJS script, dist/daemon.cjs, with V8's code cache for it
// (see src/daemon-script.ts), and dist/main.js becomes the two lines that run it. The library
// entry (dist/index.js) stays tsc's output; the watchdog's worker (dist/watchdog-thread.js)
// stays beside the bundle, where its URL points.
import { writeFile } from 'node:fs/promises';
import { build } from 'rolldown';

const entry = new URL('../dist/main.js', import.meta.url).pathname;
const loader = new URL('../dist/daemon-script.js', import.meta.url);
const { DAEMON_SCRIPT, DAEMON_CODE_CACHE, compileDaemon } = await import(loader.href);
await build({
  input: entry,
  platform: 'node',
  logLevel: 'warn',
  output: { file: DAEMON_SCRIPT, format: 'cjs' },
});
await writeFile(DAEMON_CODE_CACHE, compileDaemon().createCachedData());
await writeFile(
  entry,
  "#!/usr/bin/env node\nimport { runDaemon } from './daemon-script.js';\n\nrunDaemon();\n",
);
