import { describe, expect, it } from 'vitest';
import {
  fixedSteps,
  randomBlockingSteps,
  runBlockingSteps,
  type BlockingStep,
  type NextStep,
} from '../test-support/blocking-walk.js';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

const SEEDS = Array.from({ length: Number(process.env.NSEEDS ?? 6) }, (_, i) => i + 1);
const WALK_LENGTH = 120;

function expectSameFrames(steps: BlockingStep[]): void {
  steps.forEach((step, index) => {
    const history = steps
      .slice(Math.max(0, index - 8), index + 1)
      .map((each) => each.description)
      .join('\n');
    expect(step.ours, `step ${index}, after:\n${history}`).toEqual(step.theirs);
  });
}

describe.runIf(requireRedisOrSkip('blocking walk differential'))(
  'blocking commands across clients, compared with redis-server client by client',
  () => {
    const servers = useDifferential();
    const run = async (protocol: 2 | 3, next: NextStep) =>
      expectSameFrames(
        await runBlockingSteps(
          { rc: servers.rcPort(), redis: servers.redisPort() },
          protocol,
          next,
        ),
      );

    for (const protocol of [2, 3] as const) {
      for (const seed of SEEDS) {
        it(
          `random walk, RESP${protocol}, seed ${seed}`,
          () => run(protocol, randomBlockingSteps(seed, WALK_LENGTH)),
          60_000,
        );
      }

      it(`BLMOVE to a key of another type: WRONGTYPE for that waiter, the next one served (RESP${protocol})`, () =>
        run(
          protocol,
          fixedSteps([
            [0, ['SET', 'dst', 'x']],
            [1, ['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0']],
            [2, ['BRPOPLPUSH', 'src', 'other', '0']],
            [0, ['RPUSH', 'src', 'a', 'b']],
            [0, ['LRANGE', 'src', '0', '-1']],
            [0, ['LRANGE', 'other', '0', '-1']],
          ]),
        ));

      it(`XREADGROUP waiters when their group or stream goes away (RESP${protocol})`, () =>
        run(
          protocol,
          fixedSteps([
            [0, ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']],
            [0, ['XADD', 'plain', '1-1', 'f', 'v']],
            [1, ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']],
            [0, ['COPY', 'plain', 's', 'REPLACE']],
            [0, ['XGROUP', 'CREATE', 's', 'g', '$']],
            [1, ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']],
            [2, ['XREADGROUP', 'GROUP', 'g', 'd', 'BLOCK', '0', 'STREAMS', 's', '>']],
            [0, ['XGROUP', 'DESTROY', 's', 'g']],
            [0, ['XGROUP', 'CREATE', 's', 'g', '$']],
            [1, ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']],
            [0, ['SET', 's', 'string now']],
          ]),
        ));

      it(`only keys created, and streams replaced or deleted, wake waiters (RESP${protocol})`, () =>
        run(
          protocol,
          fixedSteps([
            [1, ['BLPOP', 'l', '0']],
            [0, ['ZADD', 'l', '1', 'a']],
            // Overwritten, not created: Redis leaves the waiter blocked on a list it could pop.
            [0, ['SORT', 'l', 'ALPHA', 'STORE', 'l']],
            [0, ['LPUSH', 'l', 'b']],
            [0, ['LRANGE', 'l', '0', '-1']],
            [0, ['DEL', 'l']],
            [0, ['RPUSH', 'l', 'c']],
          ]),
        ));

      it(`a replaced stream signals its key only while someone waits on a stream (RESP${protocol})`, () =>
        run(
          protocol,
          fixedSteps([
            [0, ['RPUSH', 'src', 'b', 'a']],
            [1, ['BLPOP', 'k', '0']],
            [0, ['XADD', 'k', '1-1', 'f', 'v']],
            [0, ['SORT', 'src', 'ALPHA', 'STORE', 'k']],
            [0, ['LLEN', 'k']],
            [0, ['DEL', 'k']],
            [0, ['XADD', 'k', '1-1', 'f', 'v']],
            [2, ['XREAD', 'BLOCK', '0', 'STREAMS', 'other', '$']],
            [0, ['SORT', 'src', 'ALPHA', 'STORE', 'k']],
            [0, ['LLEN', 'k']],
          ]),
        ));

      it(`a stream waiter is served once the last ID passes its own, entries or not (RESP${protocol})`, () =>
        run(
          protocol,
          fixedSteps([
            [0, ['XADD', 'old', '5-1', 'f', 'v']],
            [0, ['XTRIM', 'old', 'MAXLEN', '0']],
            [0, ['XGROUP', 'CREATE', 'old', 'g', '0']],
            [1, ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']],
            [0, ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']],
            [2, ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']],
            [3, ['XREADGROUP', 'GROUP', 'g', 'd', 'BLOCK', '0', 'STREAMS', 's', 'old', '>', '>']],
            // The destination goes, then comes back holding an emptied stream with a last ID.
            [0, ['RENAME', 'old', 's']],
            [0, ['XINFO', 'GROUPS', 's']],
          ]),
        ));

      it(`SWAPDB wakes a waiter whose key arrives and ends an XREADGROUP whose stream leaves (RESP${protocol})`, () =>
        run(
          protocol,
          fixedSteps([
            [0, ['SELECT', '1'], ['RPUSH', 'l', 'a'], ['SELECT', '0']],
            [1, ['BLPOP', 'l', '0']],
            [0, ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']],
            [2, ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']],
            [3, ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']],
            [0, ['SWAPDB', '0', '1']],
            [0, ['DBSIZE']],
          ]),
        ));
    }
  },
);
