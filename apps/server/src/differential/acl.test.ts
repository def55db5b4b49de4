import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useDifferential, type Step } from '../test-support/differential.js';
import { inText } from '../test-support/reply-masks.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

const USERS = ['alice', 'bob', 'carol', 'dave', 'eve'];

/** Each scenario starts with the default user as at startup and no other user. */
const FRESH: Step[] = [
  ['ACL', 'DELUSER', ...USERS],
  ['ACL', 'SETUSER', 'default', 'reset', 'on', 'nopass', '~*', '&*', '+@all'],
  ['ACL', 'LOG', 'RESET'],
];

/**
 * Redis lists single-command rules in the order of its command dictionary, which is seeded at
 * random on each start: those rules (not the +@all/-@all start nor categories) are compared
 * sorted. Everything else in the text stays in place.
 */
const commandRules = inText((text) =>
  text.replace(/([+-]@all(?: [+-]@\w+)*)((?: [+-][a-z][\w|-]*)*)/g, (_, start, singles) => {
    const sorted = (singles as string).split(' ').filter(Boolean).sort();
    return [start, ...sorted].join(' ');
  }),
);

/**
 * ACL CAT's commands come in no defined order: compared sorted. rc also has Redis 7.2's CLIENT
 * SETINFO (clients such as node-redis send it), which 7.0 lists nowhere.
 */
function categoryCommands(reply: string): string {
  const parts = reply.split('\r\n');
  const items: string[] = [];
  for (let i = 1; i + 1 < parts.length; i += 2) {
    if (parts[i + 1] !== 'client|setinfo') items.push(`${parts[i]}\r\n${parts[i + 1]}`);
  }
  return `*${items.length}\r\n${items.sort().join('\r\n')}\r\n`;
}

/** ACL LOG: the age is masked, and of the client's line only its command and user are kept. */
function logEntries(reply: string): string {
  return reply
    .replace(/(age-seconds\r\n)(\$\d+\r\n[\d.e-]+|,[\d.e-]+)\r\n/g, '$1<age>\r\n')
    .replace(/\$\d+\r\n(id=\d+ addr=[^\r]*)\r\n/g, (_, line: string) => {
      const kept = line
        .split(' ')
        .filter((pair) => pair.startsWith('cmd=') || pair.startsWith('user='));
      return `<client ${kept.join(' ')}>\r\n`;
    });
}

/** GENPASS is random: only its length and alphabet are compared. */
function hexLength(reply: string): string {
  return reply.replace(/\r\n([0-9a-f]+)\r\n$/, (_, hex: string) => `\r\n<hex ${hex.length}>\r\n`);
}

describe.runIf(requireRedisOrSkip('ACL differential'))('ACL, compared with redis-server', () => {
  const servers = useDifferential();

  it('creates users and shows them with GETUSER, LIST and USERS', () =>
    servers.compare([
      ...FRESH,
      ['ACL', 'SETUSER', 'alice'],
      ['ACL', 'GETUSER', 'alice'],
      ['ACL', 'SETUSER', 'alice', 'on', '>p1', '>p2', '~k*', '%R~r*', '%W~w*', '&ch*', '+get'],
      ['ACL', 'GETUSER', 'alice'],
      ['ACL', 'SETUSER', 'alice', '<p1', '%RW~r*', 'resetchannels', '&news'],
      ['ACL', 'GETUSER', 'alice'],
      ['ACL', 'SETUSER', 'bob', 'on', 'nopass', 'allkeys', 'allchannels', 'allcommands'],
      ['ACL', 'SETUSER', 'carol', 'on', `#${'a'.repeat(64)}`, 'skip-sanitize-payload'],
      ['ACL', 'SETUSER', 'carol', `!${'a'.repeat(64)}`, 'sanitize-payload', 'off'],
      { command: ['ACL', 'LIST'], normalize: commandRules },
      ['ACL', 'USERS'],
      ['ACL', 'GETUSER', 'nobody'],
      ['ACL', 'WHOAMI'],
      ['ACL', 'DELUSER', 'bob', 'nobody', 'carol'],
      ['ACL', 'USERS'],
    ]));

  it('refuses bad rules with Redis errors and applies none of a refused SETUSER', () =>
    servers.compare([
      ...FRESH,
      ['ACL', 'SETUSER', 'alice', 'on', '>pw', '+nosuchcommand'],
      ['ACL', 'USERS'],
      ['ACL', 'SETUSER', 'alice', '+@nosuchcategory'],
      ['ACL', 'SETUSER', 'alice', 'bogus'],
      ['ACL', 'SETUSER', 'alice', '#abc'],
      ['ACL', 'SETUSER', 'alice', `#${'A'.repeat(64)}`],
      ['ACL', 'SETUSER', 'alice', '<notset'],
      ['ACL', 'SETUSER', 'alice', 'allkeys', '~k*'],
      ['ACL', 'SETUSER', 'alice', 'allchannels', '&c'],
      ['ACL', 'SETUSER', 'alice', '+config|get|appendonly'],
      ['ACL', 'SETUSER', 'alice', '+config|nosuch'],
      ['ACL', 'SETUSER', 'alice', '-config|nosuch'],
      ['ACL', 'SETUSER', 'alice', '+get|key1|key2'],
      ['ACL', 'SETUSER', 'alice', '+debug|'],
      ['ACL', 'SETUSER', 'alice', '%X~k'],
      ['ACL', 'SETUSER', 'alice', '~has space'],
      ['ACL', 'SETUSER', 'alice', '(~k* +get'],
      ['ACL', 'SETUSER', 'has space'],
      ['ACL', 'SETUSER', 'alice', 'on', '>pw', '+get', 'nocommands-typo'],
      ['ACL', 'USERS'],
      ['ACL', 'DELUSER', 'default'],
      ['ACL', 'DELUSER', 'alice', 'default'],
      ['ACL', 'CAT', 'nosuch'],
      ['ACL', 'CAT', 'a', 'b'],
      ['ACL', 'LOG', 'x'],
      ['ACL', 'LOG', '1', '2'],
      ['ACL', 'GENPASS', '0'],
      ['ACL', 'GENPASS', '4097'],
      ['ACL', 'GENPASS', 'x'],
      ['ACL', 'LOAD'],
      ['ACL', 'SAVE'],
      ['ACL', 'HELP', 'x'],
      ['ACL', 'NOSUCH'],
      ['ACL', 'DRYRUN', 'nobody', 'get', 'k'],
      ['ACL', 'DRYRUN', 'default', 'nosuch'],
      ['ACL', 'DRYRUN', 'default', 'config', 'nosuch'],
      ['ACL', 'DRYRUN', 'default', 'get'],
      ['ACL', 'DRYRUN', 'default', 'config'],
    ]));

  it('describes command rules back as categories and single commands', () =>
    servers.compare(
      [
        ...FRESH,
        ...[
          ['reset', '+@all', '-@string', '+incr', '-debug', '+debug|digest'],
          ['reset', '+@string', '-incr', '+acl', '+debug|digest', '+debug|segfault'],
          ['reset', '+@all', '-client', '+client|id', '+client|setname'],
          ['reset', '+@all', '-client|kill'],
          ['reset', '-@all', '+acl', '+config', '-config|set'],
          ['reset', '-@all', '+acl', '+select|0', '+select|1', '+select|0'],
          ['reset', '+memory|doctor'],
          ['reset', '+memory|doctor', '+memory'],
          ['reset', '+@all', '+client|id'],
          ['reset', '+@all', '-memory|doctor', '-memory'],
          ['reset', '+@read', '+@write', '-@keyspace', '+@hash', '-hset'],
          ['reset', '-@all', '+@all', '-@dangerous', '+info'],
          ['reset', '~a', '(~b* +get)', '(%R~c* -@all +@read &x)'],
          ['reset', '(~b*', '+set', '+get)', 'clearselectors', '(+ping)'],
        ].flatMap((rules): Step[] => [
          ['ACL', 'SETUSER', 'alice', ...rules],
          { command: ['ACL', 'GETUSER', 'alice'], normalize: commandRules },
          { command: ['ACL', 'LIST'], normalize: commandRules },
        ]),
      ],
      { protocol: 2 },
    ));

  it('lists every category and fits each one back as the only rule', async () => {
    const probe = await RawClient.open(servers.redisPort());
    const listed = (await probe.command('ACL', 'CAT'))?.toString('latin1') ?? '';
    probe.close();
    const categories = listed.split('\r\n').filter((_, i) => i > 0 && i % 2 === 0);
    expect(categories.length).toBe(21);
    await servers.compare(
      [
        ...FRESH,
        ['ACL', 'CAT'],
        ...categories.flatMap((category): Step[] => [
          { command: ['ACL', 'CAT', category.toUpperCase()], normalize: categoryCommands },
          ['ACL', 'SETUSER', 'alice', 'reset', '+@all', `-@${category}`],
          { command: ['ACL', 'GETUSER', 'alice'], normalize: commandRules },
          ['ACL', 'SETUSER', 'alice', 'reset', '-@all', `+@${category}`],
          { command: ['ACL', 'GETUSER', 'alice'], normalize: commandRules },
        ]),
      ],
      { protocol: 2 },
    );
  });

  it('refuses commands, keys and channels with NOPERM, and logs each refusal', () =>
    servers.compare([
      ...FRESH,
      ['ACL', 'SETUSER', 'alice', 'on', '>pw', '~k*', '%R~ro*', '%W~wo*', '&ch*', '+@all', '-ping'],
      ['ACL', 'SETUSER', 'alice', '-client|kill', '-select', '+select|0', '-flushall'],
      ['AUTH', 'alice', 'pw'],
      ['ACL', 'WHOAMI'],
      ['SET', 'k1', 'v'],
      ['SET', 'other', 'v'],
      ['GET', 'ro1'],
      ['SET', 'ro1', 'v'],
      ['SET', 'wo1', 'v'],
      ['GET', 'wo1'],
      ['COPY', 'ro1', 'wo1'],
      ['COPY', 'wo1', 'ro1'],
      ['MSET', 'k1', 'a', 'zz', 'b', 'k2', 'c'],
      ['PING'],
      ['CLIENT', 'KILL', 'ID', '999999'],
      ['CLIENT', 'GETNAME'],
      ['SELECT', '0'],
      ['SELECT', '1'],
      ['PUBLISH', 'ch1', 'm'],
      ['PUBLISH', 'other', 'm'],
      ['SPUBLISH', 'other', 'm'],
      ['EVAL', "return redis.call('get', 'zz')", '0'],
      ['EVAL', "return redis.call('ping')", '0'],
      ['EVAL', "return redis.call('publish', 'zz', 'm')", '0'],
      ['EVAL', "return redis.acl_check_cmd('get', 'zz')", '0'],
      ['EVAL', "return redis.acl_check_cmd('get', 'k1')", '0'],
      ['EVAL', "return redis.acl_check_cmd('nosuch')", '0'],
      ['SORT', 'k1', 'BY', 'w*'],
      ['SORT', 'k1', 'BY', 'nosort'],
      ['SORT', 'k1', 'GET', '#'],
      ['MULTI'],
      ['GET', 'zz'],
      ['PING'],
      ['EXEC'],
      { command: ['ACL', 'LOG'], normalize: logEntries },
      ['ACL', 'DRYRUN', 'alice', 'get', 'zz'],
      ['ACL', 'DRYRUN', 'alice', 'publish', 'nope', 'm'],
      ['ACL', 'DRYRUN', 'alice', 'ping'],
      ['ACL', 'DRYRUN', 'alice', 'get', 'k1'],
      ['ACL', 'DRYRUN', 'alice', 'config', 'get', 'x'],
      ['ACL', 'DRYRUN', 'alice', 'subscribe', 'ch1', 'x'],
      ['AUTH', 'default', ''],
    ]));

  it('checks subscriptions against channel rules, patterns literally', () =>
    servers.compare(
      [
        ...FRESH,
        ['ACL', 'SETUSER', 'alice', 'on', 'nopass', '+@all', '&ch*', '&lit?'],
        ['AUTH', 'alice', 'x'],
        ['SUBSCRIBE', 'ch1', 'bad'],
        ['PSUBSCRIBE', 'ch*'],
        ['PSUBSCRIBE', 'c*'],
        ['SSUBSCRIBE', 'lit1'],
        ['UNSUBSCRIBE', 'bad'],
      ],
      { protocol: 3 },
    ));

  it('re-checks queued commands at EXEC when the rules changed meanwhile', () =>
    servers.compare([
      ...FRESH,
      ['ACL', 'SETUSER', 'alice', 'on', '>pw', '~*', '+@all'],
      ['AUTH', 'alice', 'pw'],
      ['MULTI'],
      ['SET', 'a', '1'],
      ['PING'],
      ['GET', 'a'],
      { other: ['ACL', 'SETUSER', 'alice', '-ping', 'resetkeys', '~b*'] },
      ['EXEC'],
      { command: ['ACL', 'LOG'], normalize: logEntries },
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      { other: ['ACL', 'SETUSER', 'alice', '+@all', 'allkeys'] },
    ]));

  it('logs failed logins and groups alike refusals', () =>
    servers.compare([
      ...FRESH,
      ['ACL', 'SETUSER', 'alice', 'on', '>pw', '+@all', '~*', '-get'],
      ['AUTH', 'alice', 'wrong'],
      ['AUTH', 'nobody', 'wrong'],
      ['auth', 'nobody', 'wrong'],
      ['HELLO', '2', 'AUTH', 'alice', 'nope'],
      ['AUTH', 'wrong'],
      ['AUTH', 'alice', 'pw'],
      ['GET', 'x'],
      ['GET', 'y'],
      { command: ['ACL', 'LOG'], normalize: logEntries },
      { command: ['ACL', 'LOG', '1'], normalize: logEntries },
      { command: ['ACL', 'LOG', '-1'], normalize: logEntries },
      ['ACL', 'LOG', 'RESET'],
      ['ACL', 'LOG'],
      { other: ['CONFIG', 'SET', 'acllog-max-len', '2'] },
      ['AUTH', 'a', 'b'],
      ['AUTH', 'c', 'd'],
      ['AUTH', 'e', 'f'],
      { command: ['ACL', 'LOG'], normalize: logEntries },
      { other: ['CONFIG', 'SET', 'acllog-max-len', '128'] },
    ]));

  it('makes requirepass the default user password and a disabled default user refuse', () =>
    servers.compare([
      ...FRESH,
      ['CONFIG', 'SET', 'requirepass', 'secret'],
      ['ACL', 'GETUSER', 'default'],
      { command: ['ACL', 'LIST'], normalize: commandRules },
      ['AUTH', 'secret'],
      ['CONFIG', 'SET', 'requirepass', ''],
      ['ACL', 'GETUSER', 'default'],
      ['ACL', 'SETUSER', 'default', 'off'],
      ['RESET'],
      ['GET', 'x'],
      ['HELLO', '2'],
      { other: ['ACL', 'SETUSER', 'default', 'on'] },
      ['AUTH', 'default', 'anything'],
      ['GET', 'x'],
    ]));

  it('starts new users with the channels acl-pubsub-default gives', () =>
    servers.compare([
      ...FRESH,
      ['CONFIG', 'SET', 'acl-pubsub-default', 'allchannels'],
      ['ACL', 'SETUSER', 'alice'],
      ['ACL', 'SETUSER', 'bob', 'resetchannels', '&x', '(+get)'],
      { command: ['ACL', 'LIST'], normalize: commandRules },
      ['CONFIG', 'SET', 'acl-pubsub-default', 'resetchannels'],
      ['ACL', 'SETUSER', 'alice', 'reset'],
      ['ACL', 'SETUSER', 'carol'],
      { command: ['ACL', 'LIST'], normalize: commandRules },
    ]));

  it('generates passwords of the asked size', () =>
    servers.compare([
      { command: ['ACL', 'GENPASS'], normalize: hexLength },
      { command: ['ACL', 'GENPASS', '1'], normalize: hexLength },
      { command: ['ACL', 'GENPASS', '5'], normalize: hexLength },
      { command: ['ACL', 'GENPASS', '4096'], normalize: hexLength },
    ]));

  it('closes the connections of a deleted user, its own included after the reply', () =>
    servers.compare([
      ...FRESH,
      ['ACL', 'SETUSER', 'alice', 'on', '>pw', '+acl', '+client'],
      ['AUTH', 'alice', 'pw'],
      ['CLIENT', 'KILL', 'USER', 'nobody'],
      ['ACL', 'DELUSER', 'alice'],
      ['PING'],
    ]));
});

describe.runIf(requireRedisOrSkip('ACL file differential'))(
  'ACL SAVE and LOAD with an aclfile, compared with redis-server',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-aclfile-'));
    const file = join(dir, 'users.acl');
    writeFileSync(file, 'user default on nopass ~* &* +@all\n');
    const servers = useDifferential([['aclfile', file]]);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('saves users, loads them back and refuses a bad file whole', () =>
      servers.compare([
        // Both servers share the file: each run starts by saving just the default user.
        ['ACL', 'DELUSER', 'alice', 'bob'],
        ['ACL', 'SAVE'],
        ['ACL', 'LOAD'],
        ['ACL', 'SETUSER', 'alice', 'on', '>pw', '~k*', '&c', '+get', '(+set ~s*)'],
        ['ACL', 'SAVE'],
        ['ACL', 'DELUSER', 'alice'],
        ['ACL', 'LOAD'],
        { command: ['ACL', 'LIST'], normalize: commandRules },
        ['ACL', 'SETUSER', 'bob', 'on'],
        ['ACL', 'LOAD'],
        ['ACL', 'USERS'],
        { other: ['ACL', 'LOAD'] },
      ]));

    it('reports every bad line of a file it refuses', async () => {
      writeFileSync(
        file,
        [
          'user alice on >pw +get',
          'nouser here',
          'user alice off',
          'user bob on +nosuch ~k allkeys ~x bogus',
          'user',
          'user carol (+get',
          '',
        ].join('\n'),
      );
      await servers.compare([
        ['ACL', 'LOAD'],
        ['ACL', 'USERS'],
      ]);
    });

    it('reads the file the other server saved', async () => {
      const rc = await RawClient.open(servers.rcPort());
      const redis = await RawClient.open(servers.redisPort());
      const list = async (client: RawClient) =>
        commandRules((await client.command('ACL', 'LIST'))?.toString('latin1') ?? '');
      writeFileSync(file, 'user default on nopass ~* &* +@all\n');
      expect((await rc.command('ACL', 'LOAD'))?.toString()).toBe('+OK\r\n');
      await rc.command('ACL', 'SETUSER', 'eve', 'on', '>pw', '%R~r*', '&n', '-@all', '+@read');
      await rc.command('ACL', 'SETUSER', 'dave', 'on', '(~x* +get)', '+@all', '-flushall');
      const written = await list(rc);
      expect((await rc.command('ACL', 'SAVE'))?.toString()).toBe('+OK\r\n');
      expect((await redis.command('ACL', 'LOAD'))?.toString()).toBe('+OK\r\n');
      expect(await list(redis)).toBe(written);
      writeFileSync(file, '');
      expect((await redis.command('ACL', 'SAVE'))?.toString()).toBe('+OK\r\n');
      expect((await rc.command('ACL', 'LOAD'))?.toString()).toBe('+OK\r\n');
      expect(await list(rc)).toBe(written);
      rc.close();
      redis.close();
    });
  },
);
