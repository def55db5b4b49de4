import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

// Cases first found by the official Redis test suite, kept here so they stay fixed.
describe.runIf(requireRedisOrSkip('suite regressions differential'))(
  'regressions found by the Redis test suite, compared with redis-server',
  () => {
    const servers = useDifferential();

    for (const protocol of [2, 3] as const) {
      it(`LCS (RESP${protocol})`, () =>
        servers.compare(
          [
            ['MSET', 'a', 'ohmytext', 'b', 'mynewtext'],
            ['LCS', 'a', 'b'],
            ['LCS', 'a', 'b', 'LEN'],
            ['LCS', 'a', 'b', 'IDX'],
            ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'],
            ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
            ['LCS', 'a', 'b', 'IDX', 'LEN'],
            ['LCS', 'a', 'b', 'BOGUS'],
            ['LCS', 'a', 'none'],
            ['RPUSH', 'l', 'x'],
            ['LCS', 'a', 'l'],
          ],
          { protocol },
        ));
    }

    // integration/corrupt-dump-fuzzer sent a group name holding a newline: rc's NOGROUP error
    // broke the protocol and the harness took the server for crashed.
    it('errors that quote a name holding line breaks are still one line', () =>
      servers.compare([
        ['XADD', 's', '1-1', 'f', 'v'],
        ['XCLAIM', 's', 'a\nb\rc', 'x', '0', '1-1'],
        ['XCLAIM', 's', 'a\n', 'x', '0', '1-1'],
        ['XREADGROUP', 'GROUP', 'g\r\n', 'c', 'STREAMS', 's', '>'],
        ['CONFIG', 'SET', 'a\nb', '1'],
        ['CONFIG', 'SET', 'a\n', '1'],
        ['ACL', 'SETUSER', 'u', 'on\n'],
        ['OBJECT', 'a\nb'],
        ['fo\no'],
        ['EVAL', "return {err='\\nMY x\\ny\\n'}", '0'],
        ['EVAL', "error({err='MY x\\n'})", '0'],
        ['EVAL', "error('x\\n')", '0'],
        ['EVAL', "return redis.error_reply('\\nERR a\\nb\\n')", '0'],
        ['EVAL', "return redis.status_reply('a\\nb\\rc')", '0'],
      ]));

    it('LCS refuses a table larger than proto-max-bulk-len', () =>
      servers.compare([
        ['SETRANGE', 'long', '20000', 'x'],
        ['LCS', 'long', 'long'],
        ['LCS', 'long', 'long', 'LEN'],
        ['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'],
        ['SETRANGE', 'short', '600', 'x'],
        ['LCS', 'short', 'short', 'LEN'],
        ['CONFIG', 'SET', 'proto-max-bulk-len', '512mb'],
      ]));

    it('EXPIRE overflow checks and combined conditions', () =>
      servers.compare([
        ['SET', 'foo', 'bar'],
        ['EXPIRE', 'foo', '-9223372036854776'],
        ['EXPIRE', 'foo', '9223372036854776'],
        ['PEXPIREAT', 'foo', '9223372036854770000'],
        ['PERSIST', 'foo'],
        ['EXPIRE', 'foo', '200', 'LT', 'XX'],
        ['EXPIRE', 'foo', '200', 'GT', 'XX'],
        ['EXPIRE', 'foo', '100'],
        ['EXPIRE', 'foo', '200', 'LT', 'XX'],
        ['EXPIRE', 'foo', '50', 'LT', 'XX'],
        ['SET', 'foo', 'bar', 'EX', '9223372036854775'],
        ['SET', 'foo', 'bar', 'PX', '9223372036854775807'],
      ]));

    it('numkeys, count and LIMIT errors', () =>
      servers.compare([
        ['SADD', 's', 'a'],
        ['SINTERCARD', 'a', 's'],
        ['SINTERCARD', '0', 's'],
        ['SINTERCARD', '1', 's', 'LIMIT', 'x'],
        ['LMPOP', 'x', 'l', 'LEFT'],
        ['LMPOP', '1', 'l', 'LEFT', 'COUNT', 'x'],
        ['SRANDMEMBER', 's', '-9223372036854775808'],
        ['SRANDMEMBER', 's', 'x'],
        ['HSET', 'h', 'f', 'v'],
        ['HRANDFIELD', 'h', '-9223372036854775808'],
        ['HRANDFIELD', 'h', '-9223372036854775808', 'WITHVALUES'],
        ['HINCRBYFLOAT', 'h', 'n', '+inf'],
        ['HINCRBYFLOAT', 'h', 'n', 'x'],
      ]));

    it('CONFIG SET validates typed values; transactions reject no-multi commands', () =>
      servers.compare([
        ['CONFIG', 'SET', 'maxmemory', 'bla'],
        ['CONFIG', 'SET', 'appendonly', 'maybe'],
        ['CONFIG', 'SET', 'hz', 'x'],
        ['CONFIG', 'SET', 'databases', '4'],
        ['CONFIG', 'SET', 'maxmemory', '10mb'],
        ['CONFIG', 'GET', 'maxmemory'],
        ['CONFIG', 'SET', 'maxmemory', '0'],
        ['MULTI'],
        ['SHUTDOWN'],
        ['EXEC'],
        ['MEMORY', 'USAGE', 'none'],
        ['MEMORY', 'USAGE', 'none', 'SAMPLES'],
      ]));

    // LOLWUT's art is random but for Schotter's first two rows; the shape of the rest is
    // compared: the reply's length, the lines, each pixel or Braille character as one mark.
    const artShape = (reply: string): string =>
      reply
        .replace(/^([$=])\d+\r\n/, '$1<length>\r\n')
        .replace(/\x1b\[[0-9;]+m \x1b\[0m/g, '#')
        .replace(/\xe2[\xa0-\xa3][\x80-\xbf]/g, '.');

    it('LOLWUT: 7.0 shows its version; VERSION 5 and 6 draw their art, with their arguments', () =>
      servers.compare([
        ['LOLWUT'],
        ['LOLWUT', '10', '20'],
        ['LOLWUT', 'VERSION'],
        ['LOLWUT', 'VERSION', '7'],
        ['LOLWUT', 'VERSION', 'x'],
        ['LOLWUT', 'VERSION', '-1'],
        ['LOLWUT', 'VERSION', '59'],
        ['LOLWUT', 'VERSION', '5', '30', '6', '2'],
        ['LOLWUT', 'version', '4294967301', '0', '0', '0'],
        ['LOLWUT', 'VERSION', '5', '2000', '300', '1'],
        ['LOLWUT', 'VERSION', '5', '1', 'x'],
        ['LOLWUT', 'VERSION', '6', 'x'],
        { command: ['LOLWUT', 'VERSION', '5'], normalize: artShape },
        { command: ['LOLWUT', 'VERSION', '5', '40', '5', '9'], normalize: artShape },
        { command: ['LOLWUT', 'VERSION', '6'], normalize: artShape },
        { command: ['LOLWUT', 'VERSION', '6', '30', '7'], normalize: artShape },
        { command: ['LOLWUT', 'VERSION', '6', '0', '0'], normalize: artShape },
      ]));

    it('MODULE: none loaded; loading needs enable-module-command; HELP', () =>
      servers.compare([
        ['MODULE', 'LIST'],
        ['MODULE', 'HELP'],
        ['MODULE', 'LOAD', '/nonexistent.so'],
        ['MODULE', 'LOADEX', '/nonexistent.so', 'ARGS', 'a'],
        ['MODULE', 'UNLOAD', 'm'],
        ['MODULE', 'UNLOAD'],
        ['MODULE', 'LIST', 'x'],
        ['MODULE', 'BOGUS'],
        ['MODULE'],
      ]));

    it('SCRIPT DEBUG: its modes, its error, not inside a pipeline; SCRIPT HELP', () =>
      servers.compare([
        ['SCRIPT', 'DEBUG', 'YES'],
        ['SCRIPT', 'DEBUG', 'SYNC'],
        ['SCRIPT', 'DEBUG', 'no'],
        ['SCRIPT', 'DEBUG', 'maybe'],
        ['SCRIPT', 'DEBUG'],
        { raw: 'PING\r\nSCRIPT DEBUG NO\r\n', replies: 2 },
        ['SCRIPT', 'HELP'],
      ]));
  },
);

describe.runIf(requireRedisOrSkip('module loading differential'))(
  'MODULE with enable-module-command, compared with redis-server',
  () => {
    const servers = useDifferential([['enable-module-command', 'yes']]);

    it('MODULE LOAD, LOADEX and UNLOAD fail as Redis does for a module it cannot load', () =>
      servers.compare([
        ['MODULE', 'LOAD', '/nonexistent/module.so'],
        ['MODULE', 'LOAD', '/nonexistent/module.so', 'arg1', 'arg2'],
        ['MODULE', 'LOADEX', '/nonexistent/module.so'],
        ['MODULE', 'LOADEX', '/nonexistent/module.so', 'CONFIG', 'name', 'value', 'ARGS', 'a'],
        ['MODULE', 'LOADEX', '/nonexistent/module.so', 'BOGUS'],
        ['MODULE', 'UNLOAD', 'nosuch'],
        ['MODULE', 'LIST'],
      ]));
  },
);
