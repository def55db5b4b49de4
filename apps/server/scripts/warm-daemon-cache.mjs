// Run by bundle-daemon.mjs with the daemon's arguments: starts the daemon from its bundle and,
// once the parent (which reads the "Ready to accept connections" line) writes to stdin, saves
// V8's code cache for the bundle as it is then, with every function the start compiled, and
// exits. A cache made right after compiling holds only the top-level code, and the daemon then
// compiled its start-up functions from source at each start (about 5 ms of CPU).
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const loader = new URL('../dist/daemon-script.js', import.meta.url);
const { DAEMON_CODE_CACHE, compileDaemon, runCompiled } = await import(loader.href);
const script = compileDaemon();
runCompiled(script);
process.stdin.once('data', () => {
  // V8 takes a cache only under the flags it was made with: the young generation held, as
  // compileDaemon holds it where a start checks the cache (an engine without maxmemory has since
  // let it grow).
  setFlagsFromString('--semi-space-growth-factor=1');
  writeFileSync(DAEMON_CODE_CACHE, script.createCachedData());
  process.exit(0);
});
