import { replyFrameLength } from '@rc/resp';
import { describe, expect, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { RawClient } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/** Known differences: rc commands Redis 7.0 does not have. */
const NEWER_THAN_REDIS_7_0: Record<string, string> = {
  'client|setinfo':
    'added in Redis 7.2 (its description comes from 7.2.0); 7.0 has no such command',
};

/**
 * Known differences: subcommands Redis 7.0 has and rc does not implement, so rc's containers
 * list fewer subcommands in COMMAND INFO and COMMAND DOCS (and COMMAND LIST).
 */
const UNIMPLEMENTED_SUBCOMMANDS: Record<string, string[]> = {};

type Protocol = 2 | 3;

/** Raw replies of commands sent one at a time on a fresh connection. */
async function rawReplies(
  port: number,
  protocol: Protocol,
  commands: string[][],
): Promise<Buffer[]> {
  const client = await RawClient.open(port);
  try {
    if (protocol === 3) await client.command('HELLO', '3');
    const replies: Buffer[] = [];
    for (const command of commands) {
      const reply = await client.command(...command);
      if (reply === null) throw new Error(`no reply to ${command.join(' ')}`);
      replies.push(reply);
    }
    return replies;
  } finally {
    client.close();
  }
}

/** The frames of an aggregate reply (an array's elements, a map's keys and values in turn). */
function elements(frame: Buffer): Buffer[] {
  const headerEnd = frame.indexOf('\r\n') + 2;
  const count = Number(frame.subarray(1, headerEnd - 2).toString('latin1'));
  const children = frame[0] === 0x25 /* % */ ? count * 2 : count;
  const parts: Buffer[] = [];
  let at = headerEnd;
  for (let i = 0; i < children; i++) {
    const length = replyFrameLength(frame, at);
    parts.push(frame.subarray(at, at + length));
    at += length;
  }
  return parts;
}

function text(frame: Buffer): string {
  return frame.toString('latin1');
}

/** A bulk string's content. */
function bulkText(frame: Buffer): string {
  return text(frame.subarray(frame.indexOf('\r\n') + 2, frame.length - 2));
}

/** Pairs of a flat key, value list (a map's elements) by their key's text. */
function byKey(parts: Buffer[]): Map<string, Buffer> {
  const pairs = new Map<string, Buffer>();
  for (let i = 0; i < parts.length; i += 2) pairs.set(bulkText(parts[i]), parts[i + 1]);
  return pairs;
}

/** COMMAND INFO entries by command name. */
function infoByName(entries: Buffer[]): Map<string, Buffer> {
  return new Map(entries.map((entry) => [bulkText(elements(entry)[0]), entry]));
}

function isContainer(name: string, names: readonly string[]): boolean {
  return names.some((other) => other.startsWith(`${name}|`));
}

describe.runIf(requireRedisOrSkip('command introspection differential'))(
  'COMMAND introspection, compared with redis-server',
  () => {
    const servers = useDifferential();

    async function rcNames(): Promise<string[]> {
      const [list] = await rawReplies(servers.rcPort(), 2, [['COMMAND', 'LIST']]);
      return elements(list).map(bulkText);
    }

    /** rc's names that Redis describes too, split into plain commands and containers. */
    async function comparableNames(): Promise<{ plain: string[]; containers: string[] }> {
      const names = (await rcNames()).filter((name) => !(name in NEWER_THAN_REDIS_7_0));
      return {
        plain: names.filter((name) => !isContainer(name, names)),
        containers: names.filter((name) => isContainer(name, names)),
      };
    }

    /**
     * Redis's subcommands of a container as rc should list them: without the unimplemented
     * ones, plus rc's newer ones (which have no Redis counterpart to compare).
     */
    function expectedSubcommands(container: string, redisNames: string[], rcNames: string[]) {
      const missing = (UNIMPLEMENTED_SUBCOMMANDS[container] ?? []).map(
        (name) => `${container}|${name}`,
      );
      for (const name of missing) expect(redisNames, 'a listed difference').toContain(name);
      const newer = rcNames.filter((name) => name in NEWER_THAN_REDIS_7_0);
      return [...redisNames.filter((name) => !missing.includes(name)), ...newer].sort();
    }

    it('lists only commands Redis 7.0 has, apart from the listed newer ones', async () => {
      const names = await rcNames();
      const [redisList] = await rawReplies(servers.redisPort(), 2, [['COMMAND', 'LIST']]);
      const redisNames = new Set(elements(redisList).map(bulkText));
      const unknown = names.filter((name) => !redisNames.has(name));
      expect(unknown.sort()).toEqual(Object.keys(NEWER_THAN_REDIS_7_0).sort());
    });

    it('COMMAND INFO of every command and subcommand rc has, byte for byte', async () => {
      const { plain } = await comparableNames();
      await servers.compare(plain.map((name) => ['COMMAND', 'INFO', name]));
    });

    it('COMMAND DOCS of every command and subcommand rc has, byte for byte', async () => {
      const { plain } = await comparableNames();
      await servers.compare(plain.map((name) => ['COMMAND', 'DOCS', name]));
    });

    it('COMMAND INFO of containers: their own fields byte for byte, subcommands by name', async () => {
      const { containers } = await comparableNames();
      for (const protocol of [2, 3] as const) {
        const commands = containers.map((name) => ['COMMAND', 'INFO', name]);
        const ours = await rawReplies(servers.rcPort(), protocol, commands);
        const theirs = await rawReplies(servers.redisPort(), protocol, commands);
        containers.forEach((container, i) => {
          const [oursEntry] = elements(ours[i]);
          const [theirsEntry] = elements(theirs[i]);
          const oursFields = elements(oursEntry);
          const theirsFields = elements(theirsEntry);
          expect(oursFields.slice(0, 9).map(text), `RESP${protocol} ${container}`).toEqual(
            theirsFields.slice(0, 9).map(text),
          );
          const oursChildren = infoByName(elements(oursFields[9]));
          const theirsChildren = infoByName(elements(theirsFields[9]));
          const expected = expectedSubcommands(
            container,
            [...theirsChildren.keys()],
            [...oursChildren.keys()],
          );
          expect([...oursChildren.keys()].sort(), container).toEqual(expected);
          for (const [name, entry] of oursChildren) {
            if (name in NEWER_THAN_REDIS_7_0) continue;
            expect(text(entry), `RESP${protocol} ${name}`).toBe(text(theirsChildren.get(name)!));
          }
        });
      }
    });

    it('COMMAND DOCS of containers: their own fields byte for byte, subcommands by name', async () => {
      const { containers } = await comparableNames();
      for (const protocol of [2, 3] as const) {
        const commands = containers.map((name) => ['COMMAND', 'DOCS', name]);
        const ours = await rawReplies(servers.rcPort(), protocol, commands);
        const theirs = await rawReplies(servers.redisPort(), protocol, commands);
        containers.forEach((container, i) => {
          const oursDocs = byKey(elements(elements(ours[i])[1]));
          const theirsDocs = byKey(elements(elements(theirs[i])[1]));
          expect([...oursDocs.keys()], container).toEqual([...theirsDocs.keys()]);
          for (const [field, value] of oursDocs) {
            if (field === 'subcommands') continue;
            expect(text(value), `RESP${protocol} ${container} ${field}`).toBe(
              text(theirsDocs.get(field)!),
            );
          }
          const oursChildren = byKey(elements(oursDocs.get('subcommands')!));
          const theirsChildren = byKey(elements(theirsDocs.get('subcommands')!));
          const expected = expectedSubcommands(
            container,
            [...theirsChildren.keys()],
            [...oursChildren.keys()],
          );
          expect([...oursChildren.keys()].sort(), container).toEqual(expected);
          for (const [name, docs] of oursChildren) {
            if (name in NEWER_THAN_REDIS_7_0) continue;
            expect(text(docs), `RESP${protocol} ${name}`).toBe(text(theirsChildren.get(name)!));
          }
        });
      }
    });

    it('COMMAND and COMMAND INFO without names: every top-level command once, as Redis describes it', async () => {
      const { plain } = await comparableNames();
      for (const protocol of [2, 3] as const) {
        const [ours, oursInfo, oursCount] = await rawReplies(servers.rcPort(), protocol, [
          ['COMMAND'],
          ['COMMAND', 'INFO'],
          ['COMMAND', 'COUNT'],
        ]);
        const [theirs] = await rawReplies(servers.redisPort(), protocol, [['COMMAND']]);
        expect(text(oursInfo)).toBe(text(ours));
        const entries = elements(ours);
        expect(text(oursCount)).toBe(`:${entries.length}\r\n`);
        const oursByName = infoByName(entries);
        expect(oursByName.size).toBe(entries.length);
        const theirsByName = infoByName(elements(theirs));
        for (const [name, entry] of oursByName) {
          if (!plain.includes(name)) continue;
          expect(text(entry), `RESP${protocol} ${name}`).toBe(text(theirsByName.get(name)!));
        }
      }
    });

    it('COMMAND DOCS without names: every top-level command once, as Redis documents it', async () => {
      const { plain } = await comparableNames();
      for (const protocol of [2, 3] as const) {
        const [ours, oursCount] = await rawReplies(servers.rcPort(), protocol, [
          ['COMMAND', 'DOCS'],
          ['COMMAND', 'COUNT'],
        ]);
        const [theirs] = await rawReplies(servers.redisPort(), protocol, [['COMMAND', 'DOCS']]);
        const oursByName = byKey(elements(ours));
        expect(text(oursCount)).toBe(`:${oursByName.size}\r\n`);
        const theirsByName = byKey(elements(theirs));
        for (const [name, docs] of oursByName) {
          if (!plain.includes(name)) continue;
          expect(text(docs), `RESP${protocol} ${name}`).toBe(text(theirsByName.get(name)!));
        }
      }
    });

    it("COMMAND LIST FILTERBY ACLCAT: Redis's members of each category that rc has", async () => {
      const names = await rcNames();
      const categories = [
        ...['keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string'],
        ...['bitmap', 'hyperloglog', 'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow'],
        ...['blocking', 'dangerous', 'connection', 'transaction', 'scripting', 'READ'],
      ];
      const commands = categories.map((category) => [
        'COMMAND',
        'LIST',
        'FILTERBY',
        'ACLCAT',
        category,
      ]);
      const ours = await rawReplies(servers.rcPort(), 2, commands);
      const theirs = await rawReplies(servers.redisPort(), 2, commands);
      categories.forEach((category, i) => {
        const expected = elements(theirs[i])
          .map(bulkText)
          .filter((name) => names.includes(name));
        const newer = elements(ours[i])
          .map(bulkText)
          .filter((name) => name in NEWER_THAN_REDIS_7_0);
        expect(elements(ours[i]).map(bulkText).sort(), category).toEqual(
          [...expected, ...newer].sort(),
        );
      });
    });

    it('COMMAND INFO, DOCS and LIST: unknown names, several names, filters and errors', () =>
      servers.compare([
        ['COMMAND', 'INFO', 'get', 'nosuch', 'GET', 'config|get', 'CONFIG|GET'],
        ['COMMAND', 'INFO', 'get|x', 'config|get|x', 'config|', 'config|nosuch', '|get'],
        ['COMMAND', 'DOCS', 'nosuch', 'set', 'nosuch', 'xgroup|create', 'get|x'],
        ['COMMAND', 'DOCS', 'nosuch'],
        ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'getdel'],
        ['COMMAND', 'LIST', 'FILTERBY', 'pattern', 'GETD?L'],
        ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'config|g*'],
        ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'nosuch*'],
        ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'nosuch'],
        ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch'],
        ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', '@read'],
        ['COMMAND', 'LIST', 'FILTERBY', 'BOGUS', 'x'],
        ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN'],
        ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'a', 'b'],
        ['COMMAND', 'LIST', 'BOGUS'],
        ['COMMAND', 'COUNT', 'extra'],
        ['COMMAND', 'HELP'],
        ['COMMAND', 'HELP', 'extra'],
        ['COMMAND', 'BOGUS'],
      ]));

    it('COMMAND GETKEYS: fixed positions, ranges and steps', () =>
      servers.compare([
        ['COMMAND', 'GETKEYS', 'GET', 'k'],
        ['COMMAND', 'GETKEYS', 'get', 'k'],
        ['COMMAND', 'GETKEYS', 'MSET', 'a', '1', 'b', '2', 'c', '3'],
        ['COMMAND', 'GETKEYS', 'MSET', 'a', '1', 'b'],
        ['COMMAND', 'GETKEYS', 'DEL', 'a', 'b', 'c'],
        ['COMMAND', 'GETKEYS', 'RENAME', 'a', 'b'],
        ['COMMAND', 'GETKEYS', 'SMOVE', 'src', 'dst', 'm'],
        ['COMMAND', 'GETKEYS', 'LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'],
        ['COMMAND', 'GETKEYS', 'BLPOP', 'a', 'b', '0'],
        ['COMMAND', 'GETKEYS', 'BRPOPLPUSH', 'a', 'b', '0'],
        ['COMMAND', 'GETKEYS', 'OBJECT', 'ENCODING', 'k'],
        ['COMMAND', 'GETKEYS', 'MEMORY', 'USAGE', 'k', 'SAMPLES', '5'],
        ['COMMAND', 'GETKEYS', 'XINFO', 'STREAM', 's', 'FULL'],
        ['COMMAND', 'GETKEYS', 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
        ['COMMAND', 'GETKEYS', 'COPY', 'a', 'b', 'DB', '1'],
        ['COMMAND', 'GETKEYS', 'LCS', 'a', 'b', 'LEN'],
        ['COMMAND', 'GETKEYS', 'SET', 'k', 'v'],
        ['COMMAND', 'GETKEYS', 'SET', 'k', 'v', 'GET'],
        ['COMMAND', 'GETKEYS', 'SORT', 'k'],
        ['COMMAND', 'GETKEYS', 'SORT_RO', 'k', 'BY', 'w_*'],
      ]));

    it('COMMAND GETKEYS: movable keys counted by numkeys', () =>
      servers.compare([
        ['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'dst', '2', 'a', 'b', 'WEIGHTS', '1', '2'],
        ['COMMAND', 'GETKEYS', 'ZINTERSTORE', 'dst', '1', 'a'],
        ['COMMAND', 'GETKEYS', 'ZDIFFSTORE', 'dst', '3', 'a', 'b'],
        ['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'dst', '0', 'a'],
        ['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'dst', 'x', 'a'],
        ['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'dst', '-1', 'a'],
        ['COMMAND', 'GETKEYS', 'ZUNION', '2', 'a', 'b', 'WITHSCORES'],
        ['COMMAND', 'GETKEYS', 'ZINTER', '1', 'a'],
        ['COMMAND', 'GETKEYS', 'ZDIFF', '5', 'a', 'b'],
        ['COMMAND', 'GETKEYS', 'ZINTERCARD', '2', 'a', 'b', 'LIMIT', '3'],
        ['COMMAND', 'GETKEYS', 'SINTERCARD', '2', 'a', 'b'],
        ['COMMAND', 'GETKEYS', 'SINTERCARD', '3', 'a', 'b'],
        ['COMMAND', 'GETKEYS', 'EVAL', 'return 1', '2', 'a', 'b', 'arg'],
        ['COMMAND', 'GETKEYS', 'EVAL', 'return 1', '0'],
        ['COMMAND', 'GETKEYS', 'EVAL', 'return 1', '0', 'arg'],
        ['COMMAND', 'GETKEYS', 'EVAL', 'return 1', '3', 'a'],
        ['COMMAND', 'GETKEYS', 'EVAL', 'return 1', 'x', 'a'],
        ['COMMAND', 'GETKEYS', 'EVALSHA', 'abc', '1', 'a'],
        ['COMMAND', 'GETKEYS', 'EVAL_RO', 'return 1', '1', 'a'],
        ['COMMAND', 'GETKEYS', 'EVALSHA_RO', 'abc', '0'],
        ['COMMAND', 'GETKEYS', 'LMPOP', '2', 'a', 'b', 'LEFT', 'COUNT', '2'],
        ['COMMAND', 'GETKEYS', 'LMPOP', '3', 'a', 'LEFT'],
        ['COMMAND', 'GETKEYS', 'BLMPOP', '0', '2', 'a', 'b', 'RIGHT'],
        ['COMMAND', 'GETKEYS', 'ZMPOP', '1', 'a', 'MIN'],
        ['COMMAND', 'GETKEYS', 'BZMPOP', '1.5', '2', 'a', 'b', 'MAX'],
        ['COMMAND', 'GETKEYS', 'BZMPOP', '1.5', '0', 'a', 'MAX'],
      ]));

    it('COMMAND GETKEYS: movable keys after a keyword', () =>
      servers.compare([
        ['COMMAND', 'GETKEYS', 'XREAD', 'STREAMS', 'a', 'b', '0', '0'],
        ['COMMAND', 'GETKEYS', 'XREAD', 'COUNT', '2', 'BLOCK', '0', 'STREAMS', 'a', '0'],
        ['COMMAND', 'GETKEYS', 'XREAD', 'STREAMS', 'a', 'b', '0'],
        ['COMMAND', 'GETKEYS', 'XREAD', 'STREAMS', 'streams', 'streams', '0', '0'],
        ['COMMAND', 'GETKEYS', 'XREAD', 'COUNT', 'STREAMS', 'a', '0'],
        ['COMMAND', 'GETKEYS', 'XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 'a', '>'],
        ['COMMAND', 'GETKEYS', 'XREADGROUP', 'GROUP', 'g', 'STREAMS', 'STREAMS', 'a', '>'],
        ['COMMAND', 'GETKEYS', 'SORT', 'k', 'STORE', 'dst'],
        [
          'COMMAND',
          'GETKEYS',
          'SORT',
          'k',
          'BY',
          'store',
          'GET',
          '#',
          'STORE',
          'd1',
          'STORE',
          'd2',
        ],
        ['COMMAND', 'GETKEYS', 'SORT', 'k', 'LIMIT', '0', 'store', 'ALPHA'],
        ['COMMAND', 'GETKEYS', 'SORT', 'k', 'STORE'],
        ['COMMAND', 'GETKEYS', 'GEORADIUS', 'k', '0', '0', '1', 'km', 'STORE', 'dst'],
        [
          'COMMAND',
          'GETKEYS',
          'GEORADIUS',
          'k',
          '0',
          '0',
          '1',
          'km',
          'STOREDIST',
          'd',
          'STORE',
          'e',
        ],
        ['COMMAND', 'GETKEYS', 'GEORADIUS', 'k', '0', '0', '1', 'km', 'WITHDIST'],
        ['COMMAND', 'GETKEYS', 'GEORADIUSBYMEMBER', 'k', 'm', '1', 'km', 'STORE', 'dst'],
        ['COMMAND', 'GETKEYS', 'GEORADIUS_RO', 'k', '0', '0', '1', 'km'],
        [
          'COMMAND',
          'GETKEYS',
          'GEOSEARCHSTORE',
          'dst',
          'src',
          'FROMMEMBER',
          'm',
          'BYRADIUS',
          '1',
          'km',
        ],
      ]));

    it("COMMAND GETKEYS: errors, in Redis's order of checks", () =>
      servers.compare([
        ['COMMAND', 'GETKEYS'],
        ['COMMAND', 'GETKEYS', 'nosuch', 'k'],
        ['COMMAND', 'GETKEYS', 'PING', 'x'],
        ['COMMAND', 'GETKEYS', 'CONFIG', 'GET', 'x'],
        ['COMMAND', 'GETKEYS', 'CONFIG'],
        ['COMMAND', 'GETKEYS', 'OBJECT', 'NOSUCH', 'k'],
        ['COMMAND', 'GETKEYS', 'OBJECT', 'HELP'],
        ['COMMAND', 'GETKEYS', 'XINFO'],
        ['COMMAND', 'GETKEYS', 'COMMAND', 'GETKEYS', 'GET', 'k'],
        ['COMMAND', 'GETKEYS', 'GET'],
        ['COMMAND', 'GETKEYS', 'GET', 'a', 'b'],
        ['COMMAND', 'GETKEYS', 'PUBLISH', 'c', 'm'],
        ['COMMAND', 'GETKEYS', 'XREAD', 'STREAMS', 'a'],
        ['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'dst', '2'],
      ]));

    it("COMMAND GETKEYSANDFLAGS: the key specs' flags, or none from a fallback procedure", () =>
      servers.compare([
        ['COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k', 'v'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k', 'v', 'get'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'LMOVE', 'a', 'b', 'LEFT', 'LEFT'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'ZUNIONSTORE', 'dst', '2', 'a', 'b'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'EVAL', 'return 1', '1', 'a'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'EVAL', 'return 1', '0'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'ZUNION', '02', 'a', 'b'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'ZUNION', ' 1', 'a', 'b'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'ZUNION', '1x', 'a', 'b'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'XREAD', 'STREAMS', 'a', 'b', '0', '0'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'SORT', 'k', 'STORE', 'dst'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'GEORADIUS', 'k', '0', '0', '1', 'km', 'STORE', 'dst'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'DEL', 'a', 'b'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'nosuch'],
      ]));
  },
);
