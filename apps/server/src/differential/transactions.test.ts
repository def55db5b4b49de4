import { describe, it } from 'vitest';
import { useDifferential, type Step } from '../test-support/differential.js';
import { encodeCommand } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('transactions differential'))(
  'transactions, compared with redis-server',
  () => {
    // DEBUG SLEEP and SET-ACTIVE-EXPIRE let keys expire logically at a known point.
    const servers = useDifferential([['enable-debug-command', 'yes']]);
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

    // Keys expire logically here: active expiry is off, so only lookups and EXEC see them.
    const expiring = (steps: Step[]): Step[] => [
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ...steps,
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ];

    /**
     * SET with a short TTL and WATCH in one write: the key is surely alive when WATCHed, however
     * long a busy machine takes between two round trips.
     */
    const setAndWatch: Step = {
      raw: [
        ['SET', 'k', 'v', 'PX', '100'],
        ['WATCH', 'k'],
      ]
        .map((command) => encodeCommand(command).toString('latin1'))
        .join(''),
      replies: 2,
    };

    it('a WATCHed key that expires before EXEC aborts it, even untouched', () =>
      servers.compare(
        expiring([
          setAndWatch,
          ['DEBUG', 'SLEEP', '0.2'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
          setAndWatch,
          ['DEBUG', 'SLEEP', '0.2'],
          ['GET', 'k'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
        ]),
      ));

    it('a key already expired when WATCHed: untouched, deleted or flushed, EXEC runs; written, it aborts', () =>
      servers.compare(
        expiring([
          ['SET', 'k', 'v', 'PX', '1'],
          ['DEBUG', 'SLEEP', '0.01'],
          ['WATCH', 'k'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
          ['SET', 'k', 'v', 'PX', '1'],
          ['DEBUG', 'SLEEP', '0.01'],
          ['WATCH', 'k'],
          ['DEL', 'k'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
          ['SET', 'k', 'v', 'PX', '1'],
          ['DEBUG', 'SLEEP', '0.01'],
          ['WATCH', 'k'],
          ['FLUSHDB'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
          ['SET', 'k', 'v', 'PX', '1'],
          ['DEBUG', 'SLEEP', '0.01'],
          ['WATCH', 'k'],
          ['FLUSHALL'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
          ['SET', 'k', 'v', 'PX', '1'],
          ['DEBUG', 'SLEEP', '0.01'],
          ['WATCH', 'k'],
          ['SET', 'k', 'w'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
        ]),
      ));

    it('SWAPDB and WATCHed keys that expired: replaced by nothing or by an expired key, EXEC runs', () =>
      servers.compare(
        expiring([
          ['SET', 'k', 'v', 'PX', '1'],
          ['DEBUG', 'SLEEP', '0.01'],
          ['WATCH', 'k'],
          ['SWAPDB', '0', '1'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
          ['FLUSHALL'],
          ['SET', 'k', 'v', 'PX', '1'],
          ['SELECT', '1'],
          ['SET', 'k', 'v', 'PX', '1'],
          ['SELECT', '0'],
          ['DEBUG', 'SLEEP', '0.01'],
          ['WATCH', 'k'],
          ['SWAPDB', '0', '1'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
          ['FLUSHALL'],
          ['SELECT', '1'],
          ['SET', 'k', 'v', 'PX', '1'],
          ['SELECT', '0'],
          ['DEBUG', 'SLEEP', '0.01'],
          ['WATCH', 'k'],
          ['SWAPDB', '0', '1'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
          ['FLUSHALL'],
          ['SET', 'k', 'v', 'PX', '1'],
          ['SELECT', '1'],
          ['SET', 'k', 'v'],
          ['SELECT', '0'],
          ['DEBUG', 'SLEEP', '0.01'],
          ['WATCH', 'k'],
          ['SWAPDB', '0', '1'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
          ['FLUSHALL'],
          ['SELECT', '1'],
          ['SET', 'k', 'v'],
          ['SELECT', '0'],
          ['WATCH', 'k'],
          ['SWAPDB', '0', '1'],
          ['MULTI'],
          ['PING'],
          ['EXEC'],
        ]),
      ));
  },
);
