import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('pub/sub differential'))(
  'pub/sub, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('RESP2 subscribed mode allows only pub/sub commands and PING', () =>
      servers.compare([
        ['SUBSCRIBE', 'a'],
        ['PSUBSCRIBE', 'n*'],
        ['PING'],
        ['PING', 'x'],
        ['GET', 'k'],
        // Subcommands are not the commands they share a name with.
        ['LATENCY', 'RESET'],
        ['CLUSTER', 'RESET'],
        ['PUNSUBSCRIBE'],
        ['UNSUBSCRIBE'],
        ['UNSUBSCRIBE'],
        ['GET', 'k'],
      ]));

    it('RESP3 subscriptions are push frames and every command works', () =>
      servers.compare(
        [
          ['SUBSCRIBE', 'a'],
          ['GET', 'k'],
          ['PING'],
          ['PUBLISH', 'a', 'hello'],
          ['UNSUBSCRIBE', 'a'],
        ],
        { protocol: 3 },
      ));

    it('shard channels: counted apart, SPUBLISH reaches SSUBSCRIBE only, RESP2 subscribed mode', () =>
      servers.compare([
        ['SSUBSCRIBE', 's1', 's2'],
        ['SSUBSCRIBE', 's1'],
        ['SUBSCRIBE', 'c1'],
        ['SPUBLISH', 's1', 'x'],
        ['PUBSUB', 'SHARDNUMSUB', 's1', 'c1'],
        ['SUNSUBSCRIBE', 's2', 'nope'],
        ['SUNSUBSCRIBE'],
        ['SUNSUBSCRIBE'],
        ['UNSUBSCRIBE'],
        ['SPUBLISH', 's1', 'x'],
        ['SSUBSCRIBE'],
      ]));

    it('shard channels in RESP3: a client hears its own SPUBLISH; not in MULTI', () =>
      servers.compare(
        [
          ['SSUBSCRIBE', 'news'],
          { raw: '*3\r\n$8\r\nSPUBLISH\r\n$4\r\nnews\r\n$2\r\nhi\r\n', replies: 2 },
          ['PUBLISH', 'news', 'not shard'],
          ['PUBSUB', 'SHARDCHANNELS'],
          ['PUBSUB', 'SHARDCHANNELS', 'n*'],
          ['PUBSUB', 'SHARDCHANNELS', 'x*'],
          ['PUBSUB', 'CHANNELS'],
          ['PUBSUB', 'SHARDNUMSUB'],
          ['MULTI'],
          ['SSUBSCRIBE', 'other'],
          ['EXEC'],
          ['SUNSUBSCRIBE', 'news'],
          ['PUBSUB', 'SHARDCHANNELS'],
        ],
        { protocol: 3 },
      ));

    it('PUBSUB introspection', () =>
      servers.compare([
        ['PUBSUB', 'NUMSUB', 'a', 'b'],
        ['PUBSUB', 'NUMPAT'],
        ['PUBSUB', 'CHANNELS'],
        ['PUBSUB', 'BOGUS'],
        ['PUBLISH', 'nobody', 'x'],
      ]));
  },
);
