import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('cluster differential'))(
  'cluster commands on a standalone server, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('exist, check arity and subcommands, and reply that cluster support is disabled', () =>
      servers.compare([
        ['CLUSTER', 'INFO'],
        ['CLUSTER', 'HELP'],
        ['CLUSTER', 'KEYSLOT', 'key'],
        ['CLUSTER', 'KEYSLOT'],
        ['CLUSTER', 'SLOTS', 'extra'],
        ['CLUSTER', 'BOGUS'],
        ['CLUSTER'],
        ['READONLY'],
        ['READWRITE'],
        ['ASKING'],
        ['ASKING', 'extra'],
        ['MULTI'],
        ['CLUSTER', 'NODES'],
        ['EXEC'],
      ]));
  },
);
