import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('transactions differential'))(
  'transactions, compared with redis-server',
  () => {
    const servers = useDifferential();
    for (const protocol of [2, 3] as const) {
      it(`MULTI/EXEC with runtime errors inside (RESP${protocol})`, () =>
        servers.compare([['MULTI'], ['SET', 'a', 'x'], ['INCR', 'a'], ['GET', 'a'], ['EXEC']], {
          protocol,
        }));
    }

    it('queue-time errors abort EXEC', () =>
      servers.compare([
        ['MULTI'],
        ['SET', 'a'],
        ['NOSUCH'],
        ['SET', 'a', 'b'],
        ['EXEC'],
        ['GET', 'a'],
      ]));

    it('nesting, EXEC and DISCARD without MULTI, WATCH inside MULTI', () =>
      servers.compare([
        ['EXEC'],
        ['DISCARD'],
        ['MULTI'],
        ['MULTI'],
        ['WATCH', 'a'],
        ['DISCARD'],
        ['MULTI'],
        ['EXEC'],
      ]));

    it('WATCH aborts EXEC when the key changed, UNWATCH forgets', () =>
      servers.compare([
        ['SET', 'w', '1'],
        ['WATCH', 'w'],
        ['SET', 'w', '2'],
        ['MULTI'],
        ['SET', 'w', '3'],
        ['EXEC'],
        ['GET', 'w'],
        ['WATCH', 'w'],
        ['UNWATCH'],
        ['SET', 'w', '4'],
        ['MULTI'],
        ['GET', 'w'],
        ['EXEC'],
      ]));

    it("changes Redis does not signal leave WATCH alone: a stream's groups and last id", () =>
      servers.compare([
        ['XADD', 's', '1-1', 'f', 'v'],
        ['WATCH', 's'],
        ['XGROUP', 'CREATE', 's', 'g', '0'],
        ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
        ['XGROUP', 'SETID', 's', 'g', '$'],
        ['XSETID', 's', '5-0'],
        ['XGROUP', 'DESTROY', 's', 'g'],
        ['MULTI'],
        ['XLEN', 's'],
        ['EXEC'],
        ['WATCH', 's'],
        ['XTRIM', 's', 'MAXLEN', '5'],
        ['XDEL', 's', '9-9'],
        ['MULTI'],
        ['XLEN', 's'],
        ['EXEC'],
        ['WATCH', 's'],
        ['XDEL', 's', '1-1'],
        ['MULTI'],
        ['XLEN', 's'],
        ['EXEC'],
      ]));
  },
);
