import { describe, expect, it } from 'vitest';
import { until } from '@rc/test-support';
import { useDifferential } from '../test-support/differential.js';
import { RawClient, encodeCommand } from '../test-support/raw-client.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('scripting differential'))(
  'EVAL, EVALSHA and SCRIPT, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('Lua values to replies', () =>
      servers.compare([
        ['EVAL', 'return 1', '0'],
        ['EVAL', 'return 3.99', '0'],
        ['EVAL', 'return -3.99', '0'],
        ['EVAL', "return 'hello'", '0'],
        ['EVAL', 'return true', '0'],
        ['EVAL', 'return false', '0'],
        ['EVAL', 'return nil', '0'],
        ['EVAL', 'return', '0'],
        ['EVAL', 'return 1, 2', '0'],
        ['EVAL', "return {1, 'two', {3, {4}}, nil, 5}", '0'],
        ['EVAL', 'return {}', '0'],
        ['EVAL', "return {ok='FINE'}", '0'],
        ['EVAL', "return {ok='two\\r\\nlines'}", '0'],
        ['EVAL', "return {err='MY failure'}", '0'],
        ['EVAL', "return redis.error_reply('My Error')", '0'],
        ['EVAL', "return redis.error_reply('-CODE details')", '0'],
        ['EVAL', "return redis.status_reply('DONE')", '0'],
        ['EVAL', 'return {1, true, false, 2}', '0'],
        ['EVAL', 'return tostring(3/2) .. tostring(4/2) .. tostring(10)', '0'],
        ['EVAL', 'local x = 0 for i = 1, 100000 do x = x + i end return x', '0'],
        ['EVAL', "return tonumber('3000000000') * 1000", '0'],
        ['EVAL', 'return 1e20', '0'],
        ['EVAL', "return redis.sha1hex('')", '0'],
        ['EVAL', 'return unpack({1, 2})', '0'],
      ]));

    it('KEYS, ARGV and numkeys errors', () =>
      servers.compare([
        ['EVAL', 'return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}', '2', 'k1', 'k2', 'a1', 'a2'],
        ['EVAL', 'return #ARGV', '0', 'a', 'b', 'c'],
        ['EVAL', 'return 1', '2', 'only-one'],
        ['EVAL', 'return 1', '-1'],
        ['EVAL', 'return 1', 'x'],
        // numkeys is read as string2ll reads it: no sign, leading zero or space; 64-bit range.
        ['EVAL', 'return 1', '01'],
        ['EVAL', 'return 1', '-0'],
        ['EVAL', 'return 1', '+1'],
        ['EVAL', 'return 1', '9223372036854775807'],
        ['EVAL', 'return 1', '9223372036854775808'],
        ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '01'],
        ['EVAL', 'return 1'],
        ['EVAL', 'return ARGV[1]', '0', 'bin\u0000\u00ff\r\n'],
      ]));

    // rc refills the last run's KEYS and ARGV tables when that run left them plain arrays: a
    // run that changed them must not show through in the next one.
    it('KEYS and ARGV are fresh in each run, whatever the last run did to them', () =>
      servers.compare([
        ['EVAL', "KEYS[3] = 'x' table.insert(ARGV, 'y') return {#KEYS, #ARGV}", '2', 'a', 'b'],
        ['EVAL', 'return {#KEYS, #ARGV, KEYS[3], ARGV[1]}', '1', 'a'],
        ['EVAL', 'KEYS[1] = nil ARGV[2] = false return #KEYS', '2', 'a', 'b', 'c', 'd'],
        ['EVAL', 'return {#KEYS, KEYS[1], KEYS[2], #ARGV, type(ARGV[2])}', '2', 'e', 'f', 'g', 'h'],
        ['EVAL', "KEYS.field = 'v' setmetatable(ARGV, {__index = function() return 'm' end})", '0'],
        [
          'EVAL',
          'return {tostring(KEYS.field), tostring(ARGV[5]), tostring(getmetatable(ARGV))}',
          '1',
          'k',
        ],
        ['EVAL', 'return cjson.encode({KEYS, ARGV})', '3', 'a', 'b', 'c', 'd'],
        ['EVAL', 'return cjson.encode({KEYS, ARGV})', '0'],
        [
          'EVAL',
          "local t = {} for k, v in pairs(KEYS) do t[#t + 1] = k .. '=' .. v end return t",
          '3',
          'x',
          'y',
          'z',
        ],
      ]));

    it('replies of commands to Lua values', () =>
      servers.compare([
        ['RPUSH', 'list', 'a', 'b', 'c'],
        ['EVAL', "return redis.call('lrange', KEYS[1], 0, -1)", '1', 'list'],
        ['EVAL', "return redis.call('incr', 'n')", '0'],
        ['EVAL', "return type(redis.call('get', 'missing'))", '0'],
        ['EVAL', "return redis.call('get', 'missing')", '0'],
        ['EVAL', "return redis.call('set', 'k', 'v')", '0'],
        ['EVAL', "return redis.call('ping')", '0'],
        ['EVAL', "local r = redis.call('set', 'k', 'v') return r.ok", '0'],
        ['EVAL', "return redis.pcall('incr', 'k')", '0'],
        ['EVAL', "local r = redis.pcall('incr', 'k') return r.err", '0'],
        ['EVAL', "return redis.call('set', 'num', 1.5)", '0'],
        ['GET', 'num'],
        ['EVAL', "return redis.call('set', 'num', 10)", '0'],
        ['GET', 'num'],
        ['EVAL', "return redis.call('set', 'num', 0.1)", '0'],
        ['GET', 'num'],
        ['EVAL', "return redis.call('hgetall', 'nohash')", '0'],
        ['EVAL', "return redis.call('set', 'x', {})", '0'],
        ['EVAL', 'return redis.call()', '0'],
      ]));

    it('RESP3 inside scripts (redis.setresp)', () =>
      servers.compare([
        ['HSET', 'h', 'f', 'v'],
        ['SADD', 's', 'm'],
        ['ZADD', 'z', '1.5', 'm'],
        ['EVAL', "redis.setresp(3) return redis.call('hgetall', 'h')", '0'],
        ['EVAL', "redis.setresp(3) return redis.call('smembers', 's')", '0'],
        ['EVAL', "redis.setresp(3) return redis.call('zscore', 'z', 'm')", '0'],
        ['EVAL', "redis.setresp(3) return redis.call('get', 'missing')", '0'],
        ['EVAL', "redis.setresp(3) return redis.call('hgetall', 'h').map.f", '0'],
        ['EVAL', "redis.setresp(3) return redis.call('zscore', 'z', 'm').double", '0'],
        ['EVAL', 'redis.setresp(3) return true', '0'],
        ['EVAL', 'redis.setresp(3) return false', '0'],
        ['EVAL', 'return {double=3.5}', '0'],
        ['EVAL', "return {big_number='123456789012345678901234567890'}", '0'],
        ['EVAL', "return {verbatim_string={format='txt', string='hi'}}", '0'],
        ['EVAL', 'return {map={a=1}}', '0'],
        ['EVAL', 'return {set={a=true}}', '0'],
        ['EVAL', 'redis.setresp(4)', '0'],
        ['EVAL', 'redis.setresp()', '0'],
      ]));

    it('error formats: runtime, redis.call failures, compile errors', () =>
      servers.compare([
        ['EVAL', 'return x', '0'],
        ['EVAL', 'x = 5', '0'],
        ['EVAL', 'string.x = 5', '0'],
        ['EVAL', "error('boom')", '0'],
        ['EVAL', "error({err='MINE boom'})", '0'],
        ['EVAL', 'error()', '0'],
        ['EVAL', "\n\nreturn redis.call('nosuch')", '0'],
        ['EVAL', "return redis.call('get')", '0'],
        ['EVAL', "redis.call('set', 'a', 'b') return redis.call('incr', 'a')", '0'],
        ['EVAL', "return redis.call('eval', 'return 1', '0')", '0'],
        ['EVAL', "return redis.call('multi')", '0'],
        ['EVAL', "return redis.call('config', 'nosuch')", '0'],
        ['EVAL', "return redis.call('config')", '0'],
        ['EVAL', 'return 1 +', '0'],
        ['EVAL', 'if true then', '0'],
        ['EVAL', 'x = = 1', '0'],
        ['EVAL', 'return loadstring(string.dump(function() return 1 end))()', '0'],
        ['EVAL', "return loadstring('return 5')()", '0'],
        ['EVAL', "return pcall(function() redis.call('nosuch') end)", '0'],
        ['EVAL', "local ok, e = pcall(function() redis.call('nosuch') end) return e", '0'],
        ['EVAL', "local ok, e = pcall(function() error('x') end) return e", '0'],
        ['EVAL', 'return print', '0'],
        ['EVAL', "redis.log(redis.LOG_WARNING, 'from a script') return 1", '0'],
        ['EVAL', 'redis.log(1)', '0'],
        ['EVAL', "redis.log('x', 'y')", '0'],
        ['EVAL', "redis.log(9, 'y')", '0'],
        ['EVAL', 'return redis.sha1hex()', '0'],
        ['EVAL', 'return redis.error_reply(1)', '0'],
        ['EVAL', 'redis.set_repl(redis.REPL_ALL) return redis.REPL_ALL', '0'],
        ['EVAL', 'redis.set_repl(100)', '0'],
        ['EVAL', 'return redis.replicate_commands()', '0'],
        ['EVAL', '#!lua flags=no-writes\nreturn 1', '0'],
        ['EVAL', '#!lua flags=bogus\nreturn 1', '0'],
        ['EVAL', '#!python\nreturn 1', '0'],
        ['EVAL', '#!lua', '0'],
      ]));

    it('EVALSHA, SCRIPT LOAD / EXISTS / FLUSH', () =>
      servers.compare([
        ['SCRIPT', 'LOAD', 'return 42'],
        ['EVALSHA', '1fa00e76656cc152ad327c13fe365858fd7be306', '0'],
        ['EVALSHA', '1FA00E76656CC152AD327C13FE365858FD7BE306', '0'],
        ['EVALSHA_RO', '1fa00e76656cc152ad327c13fe365858fd7be306', '0'],
        ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'],
        ['EVALSHA', 'short', '0'],
        ['SCRIPT', 'EXISTS', '1fa00e76656cc152ad327c13fe365858fd7be306', 'nope'],
        ['SCRIPT', 'LOAD', 'return +'],
        ['SCRIPT', 'FLUSH', 'BOGUS'],
        ['SCRIPT', 'FLUSH', 'ASYNC'],
        ['SCRIPT', 'HELP', 'extra'],
        ['SCRIPT', 'EXISTS', '1fa00e76656cc152ad327c13fe365858fd7be306'],
        ['EVALSHA', '1fa00e76656cc152ad327c13fe365858fd7be306', '0'],
        ['SCRIPT', 'KILL'],
        ['FUNCTION', 'KILL'],
        ['SCRIPT', 'NOSUCH'],
      ]));

    it('SELECT inside a script affects the script only', () =>
      servers.compare([
        ['SET', 'k', 'db0'],
        [
          'EVAL',
          "redis.call('select', 9) redis.call('set', 'k', 'db9') return redis.call('get', 'k')",
          '0',
        ],
        ['GET', 'k'],
        ['SELECT', '9'],
        ['GET', 'k'],
        ['DEL', 'k'],
        ['SELECT', '0'],
      ]));

    it('EVAL_RO and no-writes scripts refuse writes', () =>
      servers.compare([
        ['EVAL_RO', "return redis.call('set', 'a', 'b')", '0'],
        ['EVAL_RO', "return redis.call('get', 'a')", '0'],
        ['EVAL', "#!lua flags=no-writes\nreturn redis.call('set', 'a', 'b')", '0'],
        ['EVAL_RO', '#!lua\nreturn 1', '0'],
        ['EVAL_RO', '#!lua flags=no-writes\nreturn 1', '0'],
        ['EXISTS', 'a'],
      ]));

    it('scripts inside MULTI/EXEC and blocking commands inside scripts', () =>
      servers.compare([
        ['MULTI'],
        ['EVAL', "return redis.call('incr', 'c')", '0'],
        ['EVAL', "return redis.call('incr', 'c')", '0'],
        ['EXEC'],
        ['EVAL', "return redis.call('blpop', 'empty', 0)", '0'],
        ['EVAL', "return redis.call('brpoplpush', 'empty', 'other', 0)", '0'],
        ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
        ['EVAL', "return redis.pcall('xread', 'STREAMS', 's', '$')", '1', 's'],
        ['EVAL', "return redis.pcall('xread', 'BLOCK', 0, 'STREAMS', 's', '$')", '1', 's'],
        ['EVAL', "return redis.pcall('XREAD', 'BLOCK', 'x', 'STREAMS', 's', '$')", '1', 's'],
        [
          'EVAL',
          "return redis.pcall('xreadgroup', 'group', 'g', 'c', 'BLOCK', 0, 'STREAMS', 's', '>')",
          '1',
          's',
        ],
      ]));

    it('min-replicas-to-write refuses scripts that may write, and writes inside others', () =>
      servers.compare([
        ['SET', 'x', 'value'],
        ['CONFIG', 'SET', 'min-replicas-to-write', '1'],
        ['EVAL', '#!lua flags=no-writes\nreturn redis.call("get", "x")', '1', 'x'],
        ['EVAL', 'return redis.call("get", "x")', '1', 'x'],
        ['EVAL', '#!lua\nreturn redis.call("get", "x")', '1', 'x'],
        ['EVAL', 'return redis.call("set", "x", 1)', '1', 'x'],
        ['EVAL', 'return redis.pcall("set", "x", 1)', '1', 'x'],
        ['CONFIG', 'SET', 'min-replicas-to-write', '0'],
      ]));

    it('a busy script: BUSY for others, SCRIPT KILL, the killed script error', async () => {
      for (const port of [servers.rcPort(), servers.redisPort()]) {
        const admin = await RawClient.open(port);
        await admin.command('CONFIG', 'SET', 'busy-reply-threshold', '50');
        await admin.command('CONFIG', 'SET', 'lua-time-limit', '50');
        const runner = await RawClient.open(port);
        runner.write(encodeCommand(['EVAL', 'while true do end', '0']));
        await new Promise((resolve) => setTimeout(resolve, 200));
        const busy = (await admin.command('PING'))?.toString('latin1');
        const killed = (await admin.command('SCRIPT', 'KILL'))?.toString('latin1');
        const reply = (await runner.readReply(2000))?.toString('latin1');
        const after = (await admin.command('SCRIPT', 'KILL'))?.toString('latin1');
        const results = [busy, killed, reply?.replace(/[0-9a-f]{40}/, '<sha>'), after];
        expect(results).toEqual([
          '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n',
          '+OK\r\n',
          '-ERR Script killed by user with SCRIPT KILL... script: <sha>, on @user_script:1.\r\n',
          '-NOTBUSY No scripts in execution right now.\r\n',
        ]);
        await admin.command('CONFIG', 'SET', 'busy-reply-threshold', '5000');
        admin.close();
        runner.close();
      }
    });

    it('a busy script that wrote cannot be killed; MULTI around it aborts', async () => {
      for (const port of [servers.rcPort(), servers.redisPort()]) {
        const admin = await RawClient.open(port);
        await admin.command('CONFIG', 'SET', 'busy-reply-threshold', '50');
        const other = await RawClient.open(port);
        const runner = await RawClient.open(port);
        runner.write(
          encodeCommand([
            'EVAL',
            "redis.call('set', 'w', '1') local s = redis.call('time') while true do local n = redis.call('time') if (n[1] - s[1]) * 1e6 + n[2] - s[2] > 4000000 then return 'done' end end",
            '0',
          ]),
        );
        const text = async (...argv: string[]) =>
          (await other.command(...argv))?.toString('latin1');
        // Once the script runs past busy-reply-threshold, other clients get -BUSY.
        await until(async () => (await text('PING'))?.startsWith('-BUSY'), 'a busy script');
        const results = [
          (await admin.command('SCRIPT', 'KILL'))?.toString('latin1').slice(0, 60),
          await text('MULTI'),
          (await text('INCR', 'w'))?.slice(0, 5),
          (await text('EXEC'))?.slice(0, 60),
          (await runner.readReply(20000))?.toString('latin1'),
          await text('GET', 'w'),
        ];
        expect(results).toEqual([
          '-UNKILLABLE Sorry the script already executed write commands',
          '+OK\r\n',
          '-BUSY',
          '-EXECABORT Transaction discarded because of: BUSY Redis is b',
          '$4\r\ndone\r\n',
          '$1\r\n1\r\n',
        ]);
        await admin.command('CONFIG', 'SET', 'busy-reply-threshold', '5000');
        admin.close();
        other.close();
        runner.close();
      }
    }, 60_000);

    // Timestamps and client addresses differ by nature; the db, the "lua" source and the
    // arguments are compared.
    const monitorLine = (line: string): string =>
      line.replace(/^\+\d+\.\d{6} \[(\d+) (?:127\.0\.0\.1:\d+|lua)\]/, (whole, db: string) =>
        whole.endsWith('lua]') ? `+<time> [${db} lua]` : `+<time> [${db} <client>]`,
      );
    const read = (replies: number) => ({ raw: '', replies, normalize: monitorLine });

    it('MONITOR shows EVAL, EVALSHA and FCALL before the commands their script runs', () =>
      servers.compare([
        [
          'FUNCTION',
          'LOAD',
          'REPLACE',
          "#!lua name=mon\nredis.register_function('f', function() return redis.call('ping') end)",
        ],
        { other: ['PING'] },
        ['MONITOR'],
        { other: ['EVAL', "redis.call('set', 'x', '1') return redis.call('get', 'x')", '0'] },
        read(3),
        { other: ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'] },
        read(1),
        { other: ['EVAL_RO', "return redis.call('get', KEYS[1])", '1', 'x'] },
        read(2),
        { other: ['FCALL', 'f', '0'] },
        read(2),
        { other: ['FCALL', 'nosuch', '0'] },
        read(1),
        { other: ['FUNCTION', 'DELETE', 'mon'] },
        read(1),
      ]));

    it('MONITOR shows the EXEC of a transaction refused at EXEC time', () =>
      servers.compare([
        { other: ['PING'] },
        ['MONITOR'],
        { other: ['MULTI'] },
        read(1),
        { other: ['SET', 'a', '1'] },
        ['CONFIG', 'SET', 'min-replicas-to-write', '1'],
        { other: ['EXEC'] },
        read(1),
        ['CONFIG', 'SET', 'min-replicas-to-write', '0'],
      ]));
  },
);
