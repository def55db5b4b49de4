import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { StringDecoder } from 'node:string_decoder';
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
export function compileDaemon(cachedData?: Buffer): Script {
  setFlagsFromString('--semi-space-growth-factor=1');
  const source = readTextInPieces(DAEMON_SCRIPT).replace(/^#!.*/, '');
  // Strict, as the ES modules it was bundled from.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {'use strict';${source}\n})`;
  return new Script(wrapped, { filename: DAEMON_SCRIPT, cachedData });
}

/** Pieces well under glibc's first mmap threshold (128 KB): taken from and given back to its heap. */
const PIECE_BYTES = 64 * 1024;

/**
 * A UTF-8 file read a piece at a time. Read whole, the 1.9 MB bundle is one mmapped block whose
 * release raises glibc's mmap threshold to its size for good (and its heap's trim threshold to
 * twice that): the keyspace's typed arrays, up to 2 MB at 100k keys, then came from the heap,
 * and each one outgrown stayed a hole in it, 4-7 MB of RSS after a load of 100k keys.
 */
export function readTextInPieces(path: string): string {
  const file = openSync(path, 'r');
  try {
    const piece = Buffer.allocUnsafeSlow(PIECE_BYTES);
    const decoder = new StringDecoder('utf8');
    let text = '';
    for (let read; (read = readSync(file, piece, 0, PIECE_BYTES, null)) > 0;) {
      text += decoder.write(piece.subarray(0, read));
    }
    return text + decoder.end();
  } finally {
    closeSync(file);
  }
}

/** Runs the daemon: its script compiled with the code cache when there is one. */
export function runDaemon(): void {
  const cache = existsSync(DAEMON_CODE_CACHE) ? readFileSync(DAEMON_CODE_CACHE) : undefined;
  runCompiled(compileDaemon(cache));
}

/** Runs a compiled bundle as Node runs a CommonJS module. */
export function runCompiled(script: Script): void {
  const run = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    directory: string,
  ) => void;
  const module = { exports: {} };
  run(module.exports, createRequire(DAEMON_SCRIPT), module, DAEMON_SCRIPT, dirname(DAEMON_SCRIPT));
}
