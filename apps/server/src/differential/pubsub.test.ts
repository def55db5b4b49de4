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
