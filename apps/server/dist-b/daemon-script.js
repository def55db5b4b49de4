import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
/**
 * The daemon as one CommonJS script (dist/daemon.cjs, made by scripts/bundle-daemon.mjs) with
 * V8's code cache for it beside it (dist/daemon.cjs.cache). Node 20 keeps no compiled code
 * between runs of an ES module, and compiling the 1.8 MB bundle was about 40 ms of the ~150 ms
 * of CPU the daemon took to answer its first PING; a script compiled with the cache skips it.
 * The build makes the cache after one start (scripts/warm-daemon-cache.mjs), so it also holds
 * the functions a start compiles. A cache from another Node or V8 is rejected by V8 and the
 * script compiles as without one.
 */
export const DAEMON_SCRIPT = new URL('./daemon.cjs', import.meta.url).pathname;
export const DAEMON_CODE_CACHE = `${DAEMON_SCRIPT}.cache`;
/**
 * The bundle wrapped as Node wraps a CommonJS module, compiled (with `cachedData` if given).
 * V8's young generation is held at the 2 MB it starts with from here until the engine has read
 * maxmemory: with a limit it stays so, without one it may grow (see letYoungGenerationGrow in
 * @rc/engine), where compiling and loading the script alone grew it to 8 MB for good. The flag
 * is set here, before compiling, for the build's cache as for every start: V8 rejects a code
 * cache made under other flags.
 */
export function compileDaemon(cachedData) {
    setFlagsFromString('--semi-space-growth-factor=1');
    const source = readFileSync(DAEMON_SCRIPT, 'utf8').replace(/^#!.*/, '');
    // Strict, as the ES modules it was bundled from.
    const wrapped = `(function (exports, require, module, __filename, __dirname) {'use strict';${source}\n})`;
    return new Script(wrapped, { filename: DAEMON_SCRIPT, cachedData });
}
/** Runs the daemon: its script compiled with the code cache when there is one. */
export function runDaemon() {
    const cache = existsSync(DAEMON_CODE_CACHE) ? readFileSync(DAEMON_CODE_CACHE) : undefined;
    runCompiled(compileDaemon(cache));
}
/** Runs a compiled bundle as Node runs a CommonJS module. */
export function runCompiled(script) {
    const run = script.runInThisContext();
    const module = { exports: {} };
    run(module.exports, createRequire(DAEMON_SCRIPT), module, DAEMON_SCRIPT, dirname(DAEMON_SCRIPT));
}
//# sourceMappingURL=daemon-script.js.map