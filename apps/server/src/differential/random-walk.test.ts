import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { FAMILIES, walk } from '../test-support/random-walk.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

const SEEDS = Array.from({ length: Number(process.env.NSEEDS ?? 6) }, (_, i) => i + 1);
const WALK_LENGTH = 150;

describe.runIf(requireRedisOrSkip('random walk differential'))(
  'seeded random walks per command family, compared with redis-server reply by reply',
  () => {
    const servers = useDifferential();
    for (const [name, family] of Object.entries(FAMILIES)) {
      for (const seed of SEEDS) {
        it(`${name}, seed ${seed}`, () => servers.compare(walk(family, seed, WALK_LENGTH)));
      }
    }
  },
);
