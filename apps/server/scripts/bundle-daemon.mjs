// Makes the daemon's entry, dist/main.js, start fast. tsc's output imports about 250 modules
// across the workspace packages, and resolving and loading each one doubled the time from spawn
// to "Ready to accept connections" (1.5–3.4 s against 0.8–1.7 s on a loaded 2-core machine), so
// the program is bundled into one CommonJS script, dist/daemon.cjs, with V8's code cache for it
// (see src/daemon-script.ts), and dist/main.js becomes the two lines that run it. The cache is
// made by starting the daemon once (scripts/warm-daemon-cache.mjs, port 0, no save) so that it
// holds the functions a start compiles, not only the top-level code. The library entry
// (dist/index.js) stays tsc's output; the watchdog's worker (dist/watchdog-thread.js) stays
// beside the bundle, where its URL points.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { build } from 'rolldown';

const entry = new URL('../dist/main.js', import.meta.url).pathname;
const loader = new URL('../dist/daemon-script.js', import.meta.url);
const warm = new URL('./warm-daemon-cache.mjs', import.meta.url).pathname;
const { DAEMON_SCRIPT } = await import(loader.href);
await build({
  input: entry,
  platform: 'node',
  logLevel: 'warn',
  output: { file: DAEMON_SCRIPT, format: 'cjs' },
});
await warmCodeCache();
await writeFile(
  entry,
  "#!/usr/bin/env node\nimport { runDaemon } from './daemon-script.js';\n\nrunDaemon();\n",
);

/** Starts the daemon through warm-daemon-cache.mjs and has it write the cache once it is ready. */
function warmCodeCache() {
  const args = ['--port', '0', '--save', '', '--appendonly', 'no', '--dir', tmpdir()];
  const child = spawn(process.execPath, [warm, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    if (child.stdin.writableEnded) return;
    output += chunk;
    if (output.includes('Ready to accept connections')) child.stdin.end('\n');
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`warming the daemon's code cache failed (${code}): ${output}`));
    });
  });
}
