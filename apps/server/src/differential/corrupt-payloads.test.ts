import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { dumpPayload } from '../test-support/dump-payload.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
const u16 = (n: number) => [n & 0xff, n >> 8];
const double = (n: number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(n);
  return [...bytes];
};
/** An RDB string of raw bytes (length below 64). */
const blob = (bytes: number[]) => [bytes.length, ...bytes];

/** A ziplist of one-letter strings; `previous` overrides the length the second entry records. */
function ziplist(letters: string[], previous?: number): number[] {
  const entries = letters.map((letter, i) => [
    i === 0 ? 0 : (previous ?? 3),
    0x01,
    letter.charCodeAt(0),
  ]);
  const tail = 10 + 3 * (letters.length - 1);
  const total = 10 + 3 * letters.length + 1;
  return [...u32(total), ...u32(tail), ...u16(letters.length), ...entries.flat(), 0xff];
}

/** A listpack element: a small integer, or a string of up to 63 bytes. */
function element(value: number | string): number[] {
  const encoded =
    typeof value === 'number' ? [value] : [0x80 | value.length, ...Buffer.from(value, 'latin1')];
  return [...encoded, encoded.length];
}

function listpack(elements: number[][]): number[] {
  const body = elements.flat();
  return [...u32(6 + body.length + 1), ...u16(elements.length), ...body, 0xff];
}

/** A stream of one entry {f: v} at 1-1 (RDB_TYPE_STREAM_LISTPACKS), with `lpCount` recorded. */
function stream(lpCount: number, groups: number[] = [0]): number[] {
  const nodeKey = [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1];
  const node = listpack([1, 0, 1, 'f', 0, 2, 0, 0, 'v', lpCount].map((each) => element(each)));
  return [15, 1, ...blob(nodeKey), ...blob(node), 1, 1, 1, ...groups];
}

/** One group "g" with no pending entries and the consumers named. */
function group(consumers: string[]): number[] {
  return [
    1,
    ...blob([...Buffer.from('g')]),
    1,
    1,
    0,
    consumers.length,
    ...consumers.flatMap((name) => [...blob([...Buffer.from(name)]), ...double(0), 0]),
  ];
}

const CASES: Array<[string, Array<number | string>]> = [
  ['set with a member twice', [2, 2, 1, 'a', 1, 'a']],
  ['hash with a field twice', [4, 2, 1, 'f', 1, 'v', 1, 'f', 1, 'w']],
  ['zset with a member twice', [5, 2, 1, 'm', ...double(1), 1, 'm', ...double(2)]],
  ['empty zipmap', [9, 2, 0, 0xff]],
  ['list ziplist', [10, ...blob(ziplist(['a', 'b']))]],
  ['list ziplist with a wrong previous length', [10, ...blob(ziplist(['a', 'b'], 5))]],
  ['hash ziplist with a field twice', [13, ...blob(ziplist(['f', 'v', 'f', 'w']))]],
  ['hash ziplist of an odd count', [13, ...blob(ziplist(['f', 'v', 'g']))]],
  ['hash listpack', [16, ...blob(listpack([element('f'), element('v')]))]],
  ['hash listpack with a wrong backlen', [16, ...blob(listpack([element('f'), [0x81, 0x76, 3]]))]],
  ['quicklist node of no bytes', [18, 1, 1, 0]],
  ['quicklist node of an unknown container', [18, 1, 3, 1, 'a']],
  ['stream', stream(4)],
  ['stream with a wrong entry count', stream(5)],
  ['stream with a group', stream(4, group(['alice', 'bob']))],
  ['stream with a consumer twice', stream(4, group(['alice', 'alice']))],
];

describe.runIf(requireRedisOrSkip('corrupt payloads differential'))(
  'RESTORE of corrupt payloads under sanitize-dump-payload yes, compared with redis-server',
  () => {
    const servers = useDifferential([['sanitize-dump-payload', 'yes']]);

    for (const [name, bytes] of CASES) {
      it(name, () =>
        servers.compare(
          [
            ['RESTORE', 'key', '0', dumpPayload(bytes)],
            ['TYPE', 'key'],
            ['DUMP', 'key'],
          ],
          { protocol: 2 },
        ),
      );
    }
  },
);
