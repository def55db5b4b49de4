import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { seeded } from '../test-support/seeded.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('protocol differential'))(
  'protocol, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('answers a pipeline in order', () =>
      servers.compare([
        { raw: '*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nPING\r\n', replies: 3 },
      ]));

    it('parses inline commands with quotes and escapes', () =>
      servers.compare([
        { raw: 'SET "a b" \'c d\'\r\nGET "a b"\n', replies: 2 },
        { raw: 'ECHO "\\x41\\n\\t"\r\n', replies: 1 },
        { raw: '\r\n\r\nPING\r\n', replies: 1 },
      ]));

    it('parses 300 seeded random inline lines of quotes, escapes and spaces as Redis does', async () => {
      // Each line on a fresh connection: a protocol error closes it.
      const random = seeded(7);
      const alphabet = [
        'a',
        'b',
        ' ',
        ' ',
        '"',
        "'",
        '\\',
        'x',
        '4',
        '1',
        'n',
        't',
        '\t',
        'F',
        '0',
      ];
      for (let i = 0; i < 300; i++) {
        const length = 1 + Math.floor(random() * 10);
        let line = 'ECHO ';
        for (let c = 0; c < length; c++) line += alphabet[Math.floor(random() * alphabet.length)];
        await servers.compare([{ raw: `${line}\r\n`, replies: 1 }]);
      }
    });

    it('closes on unbalanced quotes', () =>
      servers.compare([{ raw: 'ECHO "abc\r\n', replies: 1 }]));
    it('closes on a closing quote followed by text', () =>
      servers.compare([{ raw: 'ECHO "abc"d\r\n', replies: 1 }]));
    it('closes on an invalid multibulk length', () =>
      servers.compare([{ raw: '*abc\r\n', replies: 1 }]));
    it('closes on a plus-signed multibulk length', () =>
      servers.compare([{ raw: '*+1\r\n', replies: 1 }]));
    it('closes on a missing dollar', () => servers.compare([{ raw: '*1\r\nx\r\n', replies: 1 }]));
    it('closes on an invalid bulk length', () =>
      servers.compare([{ raw: '*1\r\n$-1\r\n', replies: 1 }]));
    it('closes on a bulk length over proto-max-bulk-len', () =>
      servers.compare([{ raw: '*1\r\n$536870913\r\n', replies: 1 }]));
    it('skips empty multibulks', () =>
      servers.compare([{ raw: '*0\r\n*-1\r\nPING\r\n', replies: 1 }]));
    it('answers earlier commands before a protocol error', () =>
      servers.compare([{ raw: 'PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n', replies: 3 }]));

    it('reports unknown commands and wrong arity', () =>
      servers.compare([
        ['NOSUCHCOMMAND', 'a', 'b'],
        ['nosuch', 'with\r\nnewline'],
        ['GET', 'a', 'b'],
        ['get'],
        ['CONFIG'],
        ['CONFIG', 'nosuch'],
        ['PING', 'a', 'b'],
        ['PING'],
        ['PING', 'hello'],
        ['ECHO'],
        ['ECHO', 'x'],
      ]));
  },
);
