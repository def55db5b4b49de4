import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

// Replies that carry times (idle, delivery time) differ between runs and are left out.
describe.runIf(requireRedisOrSkip('stream consumer groups differential'))(
  'stream consumer groups, compared with redis-server',
  () => {
    const servers = useDifferential();

    for (const protocol of [2, 3] as const) {
      it(`XGROUP, XREADGROUP, XACK, XPENDING summary, XINFO GROUPS (RESP${protocol})`, () =>
        servers.compare(
          [
            ['XGROUP', 'CREATE', 's', 'g', '$'],
            ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
            ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
            ['XADD', 's', '1-0', 'a', '1'],
            ['XADD', 's', '2-0', 'b', '2'],
            ['XADD', 's', '3-0', 'c', '3'],
            ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
            ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'],
            ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'],
            ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
            ['XREADGROUP', 'GROUP', 'nogroup', 'alice', 'STREAMS', 's', '>'],
            ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '$'],
            ['XREADGROUP', 'STREAMS', 's', '>'],
            ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', 't', '>'],
            ['XREAD', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
            ['XREAD', 'NOACK', 'STREAMS', 's', '0'],
            ['XPENDING', 's', 'g'],
            ['XACK', 's', 'g', '1-0', '9-0'],
            ['XACK', 's', 'g', 'x'],
            ['XPENDING', 's', 'g'],
            ['XDEL', 's', '2-0'],
            ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
            ['XINFO', 'GROUPS', 's'],
            ['XGROUP', 'CREATECONSUMER', 's', 'g', 'carol'],
            ['XGROUP', 'CREATECONSUMER', 's', 'g', 'carol'],
            ['XGROUP', 'DELCONSUMER', 's', 'g', 'bob'],
            ['XGROUP', 'DELCONSUMER', 's', 'nogroup', 'bob'],
            ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '0'],
            ['XGROUP', 'SETID', 's', 'g', '-'],
            ['XINFO', 'GROUPS', 's'],
            ['XGROUP', 'DESTROY', 's', 'g'],
            ['XGROUP', 'DESTROY', 's', 'g'],
            ['XPENDING', 's', 'g'],
            ['XGROUP', 'CREATE', 'none', 'g', '$'],
            ['XGROUP', 'CREATE', 's', 'g2', 'bad-id'],
            ['XGROUP', 'CREATE', 's', 'g2', '0', 'ENTRIESREAD', '-5'],
          ],
          { protocol },
        ));
    }

    it('XREADGROUP creates its consumer only for a stream it answers', () =>
      servers.compare([
        ['XADD', 's', '1-1', 'f', 'v'],
        ['XGROUP', 'CREATE', 's', 'g', '$'],
        ['XREADGROUP', 'GROUP', 'g', 'idle', 'STREAMS', 's', '>'],
        ['XINFO', 'CONSUMERS', 's', 'g'],
        ['XINFO', 'GROUPS', 's'],
        ['XREADGROUP', 'GROUP', 'g', 'history', 'STREAMS', 's', '0'],
        ['XINFO', 'GROUPS', 's'],
      ]));

    it('XCLAIM and XAUTOCLAIM with JUSTID', () =>
      servers.compare([
        ['XADD', 's', '1-0', 'a', '1'],
        ['XADD', 's', '2-0', 'b', '2'],
        ['XGROUP', 'CREATE', 's', 'g', '0'],
        ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'JUSTID'],
        ['XCLAIM', 's', 'g', 'bob', '0', '2-0'],
        ['XCLAIM', 's', 'g', 'bob', '3600000', '1-0'],
        ['XCLAIM', 's', 'g', 'bob', 'x', '1-0'],
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'BOGUS'],
        ['XCLAIM', 's', 'nogroup', 'bob', '0', '1-0'],
        ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0-0', 'COUNT', '1', 'JUSTID'],
        ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0-0', 'JUSTID'],
        ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0-0', 'COUNT', '0'],
        ['XDEL', 's', '2-0'],
        ['XAUTOCLAIM', 's', 'g', 'dave', '0', '0-0'],
        ['XPENDING', 's', 'g'],
      ]));

    /** XPENDING's extended form, its idle times masked. */
    const pending = (...args: string[]) => ({
      command: ['XPENDING', 's', 'g', ...args],
      normalize: (reply: string) => reply.replace(/(\$\d+\r\n\w+\r\n):\d+\r\n/g, '$1:IDLE\r\n'),
    });

    it('XPENDING extended form: IDLE, consumer filter, exclusive bounds, COUNT, errors', () =>
      servers.compare([
        ...['1-0', '2-0', '3-0', '4-0'].map((id) => ['XADD', 's', id, 'f', 'v']),
        ['XGROUP', 'CREATE', 's', 'g', '0'],
        ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
        ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'],
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'IDLE', '100000000', 'JUSTID'],
        pending('-', '+', '10'),
        pending('IDLE', '50000000', '-', '+', '10'),
        pending('IDLE', '50000000', '-', '+', '10', 'alice'),
        pending('-', '+', '10', 'alice'),
        pending('(1-0', '(4-0', '10'),
        pending('(1', '+', '1'),
        pending('-', '+', '0'),
        pending('-', '+', '-1'),
        pending('+', '-', '10'),
        pending('-', '+', '10', 'nobody'),
        ['XPENDING', 's', 'g', 'IDLE', 'x', '-', '+', '10'],
        ['XPENDING', 's', 'g', 'IDLE', '10'],
        ['XPENDING', 's', 'g', '-', '+'],
        ['XPENDING', 's', 'g', '-', '+', 'x'],
        ['XPENDING', 's', 'g', 'x', '+', '10'],
        pending('-', '+', '10', 'alice', 'extra'),
        ['XPENDING', 's', 'g', 'x', '+', 'y'],
        ['XPENDING', 's', 'g', '(18446744073709551615-18446744073709551615', '+', '1'],
        ['XPENDING', 's', 'g', '-', '(0-0', '1'],
        ['XPENDING', 's', 'nogroup', '-', '+', '10'],
        ['XPENDING', 'none', 'g'],
      ]));

    it('XREADGROUP NOACK leaves nothing pending; history reads after XACK', () =>
      servers.compare([
        ...['1-0', '2-0', '3-0'].map((id) => ['XADD', 's', id, 'f', 'v']),
        ['XGROUP', 'CREATE', 's', 'g', '0'],
        ['XREADGROUP', 'GROUP', 'g', 'alice', 'NOACK', 'COUNT', '1', 'STREAMS', 's', '>'],
        ['XPENDING', 's', 'g'],
        ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '>'],
        ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
        ['XACK', 's', 'g', '2-0', '9-0'],
        ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
        ['XREADGROUP', 'GROUP', 'g', 'alice', 'NOACK', 'STREAMS', 's', '0'],
        ['XINFO', 'GROUPS', 's'],
        ['XGROUP', 'CREATE', 's', 'g2', '$', 'ENTRIESREAD', '2'],
        ['XGROUP', 'CREATE', 's', 'g3', '1-0', 'ENTRIESREAD', '1'],
        ['XGROUP', 'SETID', 's', 'g2', '0', 'ENTRIESREAD', '3'],
        ['XGROUP', 'SETID', 's', 'g2', '$', 'ENTRIESREAD', 'x'],
        ['XINFO', 'GROUPS', 's'],
        ['XDEL', 's', '2-0'],
        ['XINFO', 'GROUPS', 's'],
        ['XGROUP', 'DESTROY', 's', 'g3'],
        ['XGROUP', 'DESTROY', 's', 'g3'],
        ['XGROUP', 'CREATE', 's', 'g4', '$', 'BOGUS'],
        ['XGROUP', 'HELP'],
      ]));

    it('XCLAIM with IDLE, TIME, FORCE, RETRYCOUNT and LASTID', () =>
      servers.compare([
        ['XADD', 's', '1-0', 'a', '1'],
        ['XADD', 's', '2-0', 'b', '2'],
        ['XADD', 's', '3-0', 'c', '3'],
        ['XGROUP', 'CREATE', 's', 'g', '0'],
        ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '>'],
        // IDLE and TIME set the last delivery back: XAUTOCLAIM's minimum idle time sees it.
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'IDLE', '100000000', 'JUSTID'],
        ['XAUTOCLAIM', 's', 'g', 'carol', '50000000', '0-0', 'JUSTID'],
        ['XAUTOCLAIM', 's', 'g', 'dave', '50000000', '0-0', 'JUSTID'],
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'TIME', '1', 'JUSTID'],
        ['XAUTOCLAIM', 's', 'g', 'carol', '50000000', '0-0'],
        // FORCE makes a pending entry for an ID that is in the stream but was never delivered.
        ['XCLAIM', 's', 'g', 'bob', '0', '2-0'],
        ['XCLAIM', 's', 'g', 'bob', '0', '2-0', 'FORCE'],
        ['XCLAIM', 's', 'g', 'bob', '0', '9-0', 'FORCE'],
        ['XCLAIM', 's', 'g', 'bob', '0', '3-0', 'FORCE', 'RETRYCOUNT', '7', 'JUSTID'],
        ['XPENDING', 's', 'g'],
        pending('-', '+', '10'),
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'LASTID', '5-0', 'JUSTID'],
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'LASTID', '4-0', 'JUSTID'],
        ['XINFO', 'GROUPS', 's'],
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'RETRYCOUNT', '-1'],
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'RETRYCOUNT', 'x'],
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'IDLE', 'x'],
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'TIME', 'x'],
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'LASTID', 'bad'],
        ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'IDLE'],
      ]));
  },
);
