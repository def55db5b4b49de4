import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('replication guards differential'))(
  'min-replicas-to-write and replica-serve-stale-data, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('refuses writes without enough good replicas, in and out of MULTI', () =>
      servers.compare([
        ['CONFIG', 'SET', 'min-replicas-to-write', '1'],
        ['SET', 'a', '1'],
        ['GET', 'a'],
        ['PING'],
        ['MULTI'],
        ['SET', 'a', '1'],
        ['GET', 'a'],
        ['EXEC'],
        ['CONFIG', 'SET', 'min-replicas-max-lag', '0'],
        ['SET', 'a', '2'],
        ['CONFIG', 'SET', 'min-replicas-max-lag', '10'],
        ['CONFIG', 'SET', 'min-slaves-to-write', '0'],
        ['CONFIG', 'SET', 'min-replicas-to-write', '0'],
        ['SET', 'a', '3'],
        ['GET', 'a'],
      ]));

    it('a replica whose link is down answers only stale-allowed commands when told to', () =>
      servers.compare([
        ['SET', 'a', '1'],
        // Nothing listens on port 1: the link stays down.
        ['REPLICAOF', '127.0.0.1', '1'],
        ['GET', 'a'],
        ['CONFIG', 'SET', 'replica-serve-stale-data', 'no'],
        ['GET', 'a'],
        ['PING'],
        ['ECHO', 'x'],
        ['CONFIG', 'GET', 'replica-serve-stale-data'],
        ['SET', 'b', '1'],
        ['MULTI'],
        ['GET', 'a'],
        ['EXEC'],
        ['CONFIG', 'SET', 'replica-serve-stale-data', 'yes'],
        ['GET', 'a'],
        ['REPLICAOF', 'NO', 'ONE'],
        ['GET', 'a'],
      ]));

    it('EXEC re-checks the replicas and the master link: changes made after queuing abort it', () =>
      servers.compare([
        ['MULTI'],
        ['SET', 'a', '1'],
        { other: ['CONFIG', 'SET', 'min-replicas-to-write', '1'] },
        ['EXEC'],
        ['MULTI'],
        ['GET', 'a'],
        ['EXEC'],
        { other: ['CONFIG', 'SET', 'min-replicas-to-write', '0'] },
        ['REPLICAOF', '127.0.0.1', '1'],
        ['MULTI'],
        ['GET', 'a'],
        { other: ['CONFIG', 'SET', 'replica-serve-stale-data', 'no'] },
        ['EXEC'],
        ['MULTI'],
        ['PING'],
        ['EXEC'],
        { other: ['CONFIG', 'SET', 'replica-serve-stale-data', 'yes'] },
        ['REPLICAOF', 'NO', 'ONE'],
        ['GET', 'a'],
      ]));
  },
);
