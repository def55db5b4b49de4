import { describe, it } from 'vitest';
import { useDifferential, type Step } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/** `count` distinct elements named `prefix`0, `prefix`1, ... */
function elements(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

describe.runIf(requireRedisOrSkip('hyperloglog differential'))(
  'HyperLogLog, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('PFADD and PFCOUNT on the sparse form: the stored bytes and the estimates', () =>
      servers.compare([
        ['PFADD', 'h'],
        ['GET', 'h'],
        ['PFCOUNT', 'h'],
        ['PFADD', 'h', 'a', 'b', 'c'],
        ['PFADD', 'h', 'a'],
        ['PFADD', 'h', ''],
        ['GET', 'h'],
        ['PFCOUNT', 'h'],
        // The estimate is now cached in the value.
        ['GET', 'h'],
        ['PFADD', 'h', ...elements('e', 200)],
        ['PFCOUNT', 'h'],
        ['GET', 'h'],
        ['PFDEBUG', 'ENCODING', 'h'],
        ['PFDEBUG', 'DECODE', 'h'],
        ['PFCOUNT', 'missing'],
      ]));

    it('promotion to dense by size and by a register past 32, then dense updates', () =>
      servers.compare([
        ['CONFIG', 'SET', 'hll-sparse-max-bytes', '300'],
        ['PFADD', 'h', ...elements('x', 150)],
        ['PFDEBUG', 'ENCODING', 'h'],
        ['PFADD', 'h', ...elements('y', 2000)],
        ['PFDEBUG', 'ENCODING', 'h'],
        ['PFCOUNT', 'h'],
        ['GET', 'h'],
        ['PFADD', 'h', ...elements('z', 5000)],
        ['PFCOUNT', 'h'],
        ['GET', 'h'],
        ['PFDEBUG', 'DECODE', 'h'],
        ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'],
      ]));

    it('PFMERGE and PFCOUNT of several keys (sparse and dense sources)', () => {
      const steps: Step[] = [
        ['PFADD', 's1', ...elements('a', 100)],
        ['PFADD', 's2', ...elements('a', 50), ...elements('b', 50)],
        ['PFADD', 'd1', ...elements('c', 4000)],
        ['PFCOUNT', 's1', 's2'],
        ['PFCOUNT', 's1', 's2', 'd1', 'missing'],
        ['PFMERGE', 'm', 's1', 's2'],
        ['GET', 'm'],
        ['PFCOUNT', 'm'],
        ['PFMERGE', 'm', 'd1'],
        ['PFDEBUG', 'ENCODING', 'm'],
        ['PFCOUNT', 'm'],
        ['GET', 'm'],
        ['PFMERGE', 'empty'],
        ['GET', 'empty'],
      ];
      return servers.compare(steps);
    });

    it('errors: wrong types, values that are not HLLs, corrupt HLLs, PFDEBUG misuse', () =>
      servers.compare([
        ['SET', 'str', 'hello'],
        ['LPUSH', 'list', 'x'],
        ['PFADD', 'str', 'a'],
        ['PFADD', 'list', 'a'],
        ['PFCOUNT', 'str'],
        ['PFCOUNT', 'h', 'list'],
        ['PFMERGE', 'str', 'h'],
        ['PFADD', 'h', 'a', 'b'],
        // Broken magic, then an unknown encoding, then a dense value of the wrong length.
        ['SETRANGE', 'h', '0', 'X'],
        ['PFADD', 'h', 'c'],
        ['SETRANGE', 'h', '0', 'H'],
        ['SETRANGE', 'h', '4', '\u0002'],
        ['PFCOUNT', 'h'],
        ['SETRANGE', 'h', '4', '\u0000'],
        ['PFCOUNT', 'h'],
        // A sparse value with a stray opcode at its end.
        ['DEL', 'h'],
        ['PFADD', 'h', 'a', 'b'],
        ['APPEND', 'h', '\u00ff'],
        ['PFCOUNT', 'h'],
        ['PFADD', 'h', 'zzz'],
        ['PFDEBUG', 'GETREG', 'nokey'],
        ['PFDEBUG', 'BOGUS', 'h'],
        ['PFADD'],
      ]));
  },
);
