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

describe.runIf(requireRedisOrSkip('cluster-mode differential'))(
  'a cluster-enabled node, compared with a cluster-enabled redis-server',
  () => {
    const servers = useDifferential([], { cluster: true });
    // Each scenario starts from a fresh node: no slots, epoch 0, knowing only itself.
    const fresh = ['CLUSTER', 'RESET', 'HARD'];
    const unknown = '0123456789abcdef0123456789abcdef01234567';

    it('answers slot assignment, its errors and keyed commands on unserved slots', () =>
      servers.compare([
        fresh,
        ['GET', 'foo'],
        ['CLUSTER', 'ADDSLOTS', '16384'],
        ['CLUSTER', 'ADDSLOTS', '-1'],
        ['CLUSTER', 'ADDSLOTS', 'x'],
        ['CLUSTER', 'ADDSLOTS', '1', '2', '1'],
        ['CLUSTER', 'ADDSLOTS', '1', '2'],
        ['CLUSTER', 'ADDSLOTS', '2'],
        ['CLUSTER', 'ADDSLOTSRANGE', '10', '5'],
        ['CLUSTER', 'ADDSLOTSRANGE', '10', '20', '30'],
        ['CLUSTER', 'ADDSLOTSRANGE', '10', '20', '15', '25'],
        ['CLUSTER', 'ADDSLOTSRANGE', '3', '12182'],
        ['CLUSTER', 'DELSLOTS', '16000'],
        ['CLUSTER', 'DELSLOTSRANGE', '0', '1'],
        ['CLUSTER', 'DELSLOTSRANGE', '1', '3'],
        ['CLUSTER', 'COUNTKEYSINSLOT', '16384'],
        ['CLUSTER', 'COUNTKEYSINSLOT', 'x'],
        ['CLUSTER', 'COUNTKEYSINSLOT', '12182'],
        ['CLUSTER', 'GETKEYSINSLOT', '12182', '-1'],
        ['CLUSTER', 'GETKEYSINSLOT', '12182', '10'],
        ['CLUSTER', 'KEYSLOT', '{user1000}.following'],
        // foo (slot 12182) is served; bar (5061) is too; unserved slots are down.
        ['MSET', 'foo', '1', 'bar', '2'],
        ['MSET', '{t}a', '1', '{t}b', '2', 'zzz', '3'],
        ['GET', 'key:not-served-16000'],
        ['CLUSTER', 'FLUSHSLOTS'],
        ['CLUSTER', 'COUNTKEYSINSLOT', '12182'],
      ]));

    it('answers epochs, node lookups, SETSLOT and the cluster-only refusals', () =>
      servers.compare([
        fresh,
        ['CLUSTER', 'SET-CONFIG-EPOCH', '-1'],
        ['CLUSTER', 'BUMPEPOCH'],
        ['CLUSTER', 'BUMPEPOCH'],
        ['CLUSTER', 'SET-CONFIG-EPOCH', '5'],
        ['CLUSTER', 'FORGET', unknown],
        ['CLUSTER', 'FORGET', 'short'],
        ['CLUSTER', 'REPLICATE', unknown],
        ['CLUSTER', 'REPLICAS', unknown],
        ['CLUSTER', 'SLAVES', unknown],
        ['CLUSTER', 'COUNT-FAILURE-REPORTS', unknown],
        ['CLUSTER', 'FAILOVER'],
        ['CLUSTER', 'FAILOVER', 'bogus'],
        ['CLUSTER', 'RESET', 'bogus'],
        ['CLUSTER', 'MEET', '127.0.0.1', 'x'],
        ['CLUSTER', 'MEET', '127.0.0.1', '7000', 'y'],
        ['CLUSTER', 'MEET', 'nowhere', '7000'],
        ['CLUSTER', 'MEET', '127.0.0.1', '70000'],
        ['CLUSTER', 'meet', '127.0.0.1', '7000', '17000', 'extra'],
        ['CLUSTER', 'FAILOVER', 'FORCE', 'extra'],
        ['CLUSTER', 'RESET', 'HARD', 'extra'],
        ['CLUSTER', 'SETSLOT', '1', 'MIGRATING', unknown],
        ['CLUSTER', 'ADDSLOTS', '1'],
        ['CLUSTER', 'SETSLOT', '1', 'MIGRATING', unknown],
        ['CLUSTER', 'SETSLOT', '1', 'IMPORTING', unknown],
        ['CLUSTER', 'SETSLOT', '2', 'NODE', unknown],
        ['CLUSTER', 'SETSLOT', '1', 'STABLE'],
        ['CLUSTER', 'SETSLOT', '1', 'BOGUS'],
        ['CLUSTER', 'SETSLOT', '99999', 'STABLE'],
        ['SELECT', '0'],
        ['SELECT', '1'],
        ['REPLICAOF', '127.0.0.1', '7000'],
        ['FAILOVER'],
        ['READONLY'],
        ['READWRITE'],
        ['ASKING'],
        ['CLUSTER', 'HELP'],
        ['CONFIG', 'SET', 'cluster-announce-hostname', 'x'.repeat(256)],
        ['CONFIG', 'SET', 'cluster-announce-hostname', '?.com'],
        ['CONFIG', 'SET', 'cluster-announce-hostname', 'abcXYZ-0123.example'],
        ['CONFIG', 'GET', 'cluster-announce-hostname'],
        ['CONFIG', 'SET', 'cluster-announce-hostname', ''],
        ['EVAL', '#!lua flags=no-cluster\nreturn 1', '0'],
        ['EVAL', '#!lua flags=no-writes\nreturn 1', '0'],
        [
          'FUNCTION',
          'LOAD',
          "#!lua name=nocluster\nredis.register_function{function_name='f1', callback=function() return 'hello' end, flags={'no-cluster'}}",
        ],
        ['FCALL', 'f1', '0'],
        ['FUNCTION', 'FLUSH'],
      ]));

    it('refuses a MULTI whose commands span slots, and EXEC after it', () =>
      servers.compare([
        fresh,
        ['CLUSTER', 'ADDSLOTSRANGE', '0', '16383'],
        ['MULTI'],
        ['SET', 'foo', '1'],
        ['SET', 'bar', '1'],
        ['EXEC'],
        ['SPUBLISH', 'channel', 'message'],
      ]));
  },
);
