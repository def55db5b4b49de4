import { until } from '@rc/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { useDifferential, type Step } from '../test-support/differential.js';
import { RawClient } from '../test-support/raw-client.js';
import { Formats, maskInfo, type InfoMasks } from '../test-support/reply-masks.js';
import {
  requireRedisOrSkip,
  startRc,
  startRedis,
  type RunningServer,
} from '../test-support/servers.js';

/**
 * What redis-sentinel sends to the servers it monitors (sentinel.c: its command and pub/sub
 * links, the hello messages, the failover's reconfiguration transaction) and the replies it
 * parses, compared with redis-server byte for byte.
 */

/** INFO replication's volatile values: the process's random replication ids. */
const REPLICATION_MASKS: InfoMasks = {
  fields: { master_replid: Formats.hex40, master_replid2: Formats.hex40 },
  parts: [],
  unordered: [],
};

/**
 * With a replica attached, also its ports and every offset and delay (a master's PINGs to its
 * replicas add to the offsets on their own schedule).
 */
const LINKED_MASKS: InfoMasks = {
  fields: {
    ...REPLICATION_MASKS.fields,
    master_port: Formats.integer,
    master_last_io_seconds_ago: Formats.integer,
    master_link_down_since_seconds: Formats.integer,
    slave_read_repl_offset: Formats.integer,
    slave_repl_offset: Formats.integer,
    master_repl_offset: Formats.integer,
    repl_backlog_histlen: Formats.integer,
  },
  parts: [[/^slave\d+$/, { port: Formats.integer, offset: Formats.integer, lag: Formats.integer }]],
  unordered: [],
};

/** ROLE with a replica attached: ports and offsets masked, the rest kept. */
function maskRole(reply: string): string {
  return reply
    .replace(/:\d+\r\n/g, ':<integer>\r\n')
    .replace(/\$\d+\r\n\d+\r\n/g, '$<integer>\r\n');
}

const replicationInfo: Step = {
  command: ['INFO', 'replication'],
  normalize: maskInfo(REPLICATION_MASKS),
};

/** ROLE on a replica: its link's state moves between connect and connecting while refused. */
const replicaRole: Step = {
  command: ['ROLE'],
  normalize: (reply) => reply.replace(/\$(7|10)\r\n(connect|connecting)\r\n/, '$<state>\r\n'),
};

/** A hello message as Sentinel publishes it: itself, its epoch, the master and its epoch. */
const hello =
  '127.0.0.1,26379,0123456789abcdef0123456789abcdef01234567,0,mymaster,127.0.0.1,6379,0';

/** The failover's reconfiguration of an instance, in Sentinel's order, as one transaction. */
function reconfigure(...replicaOf: string[]): Step[] {
  return [
    ['MULTI'],
    ['SLAVEOF', ...replicaOf],
    ['CONFIG', 'REWRITE'],
    ['CLIENT', 'KILL', 'TYPE', 'normal'],
    ['CLIENT', 'KILL', 'TYPE', 'pubsub'],
    ['EXEC'],
  ];
}

describe.runIf(requireRedisOrSkip('Sentinel differential'))(
  'what redis-sentinel sends and parses, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('the command link: its name, PING, INFO, ROLE, hello messages, SCRIPT KILL', () =>
      servers.compare([
        ['CLIENT', 'SETNAME', 'sentinel-01234567-cmd'],
        ['CLIENT', 'GETNAME'],
        ['PING'],
        replicationInfo,
        ['ROLE'],
        ['PUBLISH', '__sentinel__:hello', hello],
        ['SCRIPT', 'KILL'],
      ]));

    it('the pub/sub link: SUBSCRIBE to the hello channel, then the hellos of other sentinels', () =>
      servers.compare(
        [
          ['CLIENT', 'SETNAME', 'sentinel-01234567-pubsub'],
          ['SUBSCRIBE', '__sentinel__:hello'],
          { other: ['PUBLISH', '__sentinel__:hello', hello] },
          { raw: '', replies: 1 },
          { other: ['PUBLISH', '__sentinel__:hello', `${hello},extra`] },
          { raw: '', replies: 1 },
          ['PING'],
        ],
        { protocol: 2 },
      ));

    it('the reconfiguration transaction: replica of a new master, its clients killed, then master again', () =>
      servers.compare([
        { other: ['CLIENT', 'SETNAME', 'normal-client'] },
        ...reconfigure('127.0.0.1', '1'),
        replicaRole,
        replicationInfo,
        ...reconfigure('127.0.0.1', '1'),
        { other: ['SUBSCRIBE', 'channel'] },
        ...reconfigure('NO', 'ONE'),
        ['ROLE'],
        replicationInfo,
      ]));

    it('SLAVEOF and REPLICAOF forms: already connected, NO ONE twice, bad arguments', () =>
      servers.compare([
        ['SLAVEOF', 'NO', 'ONE'],
        ['REPLICAOF', '127.0.0.1', '1'],
        ['REPLICAOF', '127.0.0.1', '1'],
        ['SLAVEOF', '127.0.0.1', '1'],
        ['REPLICAOF', '127.0.0.1', 'port'],
        ['REPLICAOF', '127.0.0.1', '-1'],
        ['REPLICAOF', 'NO', 'TWO'],
        ['REPLICAOF', 'no', 'one'],
        ['REPLICAOF', 'no', 'one'],
        ['SLAVEOF'],
      ]));

    it('what a replica tells Sentinel: priority, announced address, replica-announced', () =>
      servers.compare([
        ['REPLICAOF', '127.0.0.1', '1'],
        replicationInfo,
        ['CONFIG', 'SET', 'replica-priority', '0'],
        ['CONFIG', 'SET', 'replica-announced', 'no'],
        ['CONFIG', 'SET', 'replica-announce-ip', '10.0.0.5'],
        ['CONFIG', 'SET', 'replica-announce-port', '7001'],
        replicationInfo,
        ['CONFIG', 'GET', 'slave-priority'],
        ['CONFIG', 'GET', 'slave-announce-ip'],
        ['CONFIG', 'GET', 'slave-announce-port'],
        ['CONFIG', 'GET', 'replica-announced'],
        ['CONFIG', 'SET', 'slave-priority', '100'],
        ['CONFIG', 'SET', 'replica-announced', 'yes'],
        ['CONFIG', 'SET', 'replica-announce-ip', ''],
        ['CONFIG', 'SET', 'replica-announce-port', '0'],
        ['CONFIG', 'SET', 'replica-priority', '-1'],
        ['CONFIG', 'SET', 'replica-announce-port', '65536'],
        replicationInfo,
        ['REPLICAOF', 'NO', 'ONE'],
      ]));

    it('a user with the permissions Sentinel needs (ACL), and one without', () =>
      servers.compare([
        [
          'ACL',
          'SETUSER',
          'sentinel-user',
          'ON',
          '>sentinel-pass',
          'allchannels',
          '+multi',
          '+slaveof',
          '+ping',
          '+exec',
          '+subscribe',
          '+config|rewrite',
          '+role',
          '+publish',
          '+info',
          '+client|setname',
          '+client|kill',
          '+script|kill',
        ],
        ['ACL', 'SETUSER', 'no-sentinel', 'ON', '>other-pass', '+ping', '+auth'],
        ['AUTH', 'sentinel-user', 'wrong'],
        ['AUTH', 'no-sentinel', 'other-pass'],
        ['CLIENT', 'SETNAME', 'sentinel-01234567-cmd'],
        ['PUBLISH', '__sentinel__:hello', hello],
        ['ROLE'],
        ['MULTI'],
        ['SLAVEOF', 'NO', 'ONE'],
        ['EXEC'],
        ['AUTH', 'sentinel-user', 'sentinel-pass'],
        ['CLIENT', 'SETNAME', 'sentinel-01234567-cmd'],
        ['PING'],
        ['ROLE'],
        ['PUBLISH', '__sentinel__:hello', hello],
        ['SCRIPT', 'KILL'],
        ['GET', 'key'],
        ['CLIENT', 'LIST'],
        ...reconfigure('NO', 'ONE'),
        { other: ['ACL', 'DELUSER', 'sentinel-user', 'no-sentinel'] },
      ]));
  },
);

describe.runIf(requireRedisOrSkip('Sentinel differential, requirepass'))(
  'a server behind requirepass, as Sentinel authenticates (auth-pass), compared with redis-server',
  () => {
    const servers = useDifferential([['requirepass', 'secret']]);

    it('commands before AUTH, a wrong password, then the command link', () =>
      servers.compare([
        ['PING'],
        ['CLIENT', 'SETNAME', 'sentinel-01234567-cmd'],
        ['SUBSCRIBE', '__sentinel__:hello'],
        ['AUTH', 'wrong'],
        ['AUTH', 'default', 'wrong'],
        ['AUTH', 'secret'],
        ['CLIENT', 'SETNAME', 'sentinel-01234567-cmd'],
        ['PING'],
        ['ROLE'],
        ['AUTH', 'default', 'secret'],
        ['PUBLISH', '__sentinel__:hello', hello],
      ]));
  },
);

const started: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

type Kind = 'rc' | 'redis';

async function start(kind: Kind): Promise<RunningServer> {
  const server = kind === 'rc' ? await startRc() : await startRedis();
  started.push(server);
  return server;
}

async function reply(port: number, ...command: string[]): Promise<string> {
  const client = await RawClient.open(port);
  try {
    return (await client.command(...command))?.toString('latin1') ?? '(no reply)';
  } finally {
    client.close();
  }
}

/**
 * What Sentinel reads from a master and its replica of one kind (INFO replication, ROLE): the
 * replica announcing another address and a priority, its link up with the master's writes
 * acknowledged, then down once the master is gone.
 */
async function linkedScenario(kind: Kind): Promise<string[]> {
  const master = await start(kind);
  const replica = await start(kind);
  const info = maskInfo(LINKED_MASKS);
  for (const [name, value] of [
    ['replica-announce-ip', '127.0.0.2'],
    ['replica-announce-port', '7001'],
    ['replica-priority', '7'],
  ]) {
    await reply(replica.port, 'CONFIG', 'SET', name, value);
  }
  await reply(replica.port, 'REPLICAOF', '127.0.0.1', String(master.port));
  await until(
    async () => (await reply(master.port, 'INFO', 'replication')).includes('state=online'),
    'the replica online',
    60_000,
  );
  await reply(master.port, 'SET', 'key', 'value');
  expect(await reply(master.port, 'WAIT', '1', '60000')).toBe(':1\r\n');
  const linked = [
    info(await reply(master.port, 'INFO', 'replication')),
    maskRole(await reply(master.port, 'ROLE')),
    info(await reply(replica.port, 'INFO', 'replication')),
    maskRole(await reply(replica.port, 'ROLE')),
  ];
  await master.stop();
  await until(
    async () => (await reply(replica.port, 'INFO', 'replication')).includes('link_status:down'),
    'the link down',
    60_000,
  );
  return [...linked, info(await reply(replica.port, 'INFO', 'replication'))];
}

describe.runIf(requireRedisOrSkip('Sentinel differential, linked servers'))(
  'a master and its replica as Sentinel reads them, rc pair against redis-server pair',
  () => {
    it(
      'INFO replication and ROLE on both ends, link up then down',
      { timeout: 240_000 },
      async () => {
        const theirs = await linkedScenario('redis');
        const ours = await linkedScenario('rc');
        for (let i = 0; i < theirs.length; i++) expect(ours[i], `reply ${i}`).toBe(theirs[i]);
      },
    );
  },
);
