// Run by bundle-daemon.mjs with the daemon's arguments: starts the daemon from its bundle and,
// once the parent (which reads the "Ready to accept connections" line) writes to stdin, saves
// V8's code cache for the bundle as it is then, with every function the start compiled, and
// exits. A cache made right after compiling holds only the top-level code, and the daemon then
// compiled its start-up functions from source at each start (about 5 ms of CPU).
import { writeFileSync } from 'node:fs';

const loader = new URL('../dist/daemon-script.js', import.meta.url);
const { DAEMON_CODE_CACHE, compileDaemon, runCompiled } = await import(loader.href);
const script = compileDaemon();
runCompiled(script);
process.stdin.once('data', () => {
  writeFileSync(DAEMON_CODE_CACHE, script.createCachedData());
  process.exit(0);
});
