import { encodeFunctionsPayload } from '@rc/rdb';
import { describe, it } from 'vitest';
import { useDifferential, type Step } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

/** Library code with one function, as the Redis test suite writes it. */
function library(name: string, fn: string, body: string): string {
  return `#!lua name=${name}\nredis.register_function('${fn}', function(KEYS, ARGV)\n ${body} \nend)`;
}

/** FLUSHALL leaves libraries alone: every scenario starts without any. */
const FRESH: Step = ['FUNCTION', 'FLUSH'];

function loadError(code: string): Step {
  return ['FUNCTION', 'LOAD', `#!lua name=lib\n${code}`];
}

describe.runIf(requireRedisOrSkip('functions differential'))(
  'FUNCTION and FCALL, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('loads a library and calls its function', () =>
      servers.compare([
        FRESH,
        ['FUNCTION', 'LOAD', library('test', 'test', "return 'hello'")],
        ['FCALL', 'test', '0'],
        ['FCALL', 'TEST', '0'],
        ['FUNCTION', 'LOAD', 'REPLACE', library('test', 'test', 'return {KEYS[1], ARGV[1]}')],
        ['FCALL', 'test', '1', 'key', 'arg'],
        ['FUNCTION', 'LOAD', library('other', 'f2', "return redis.call('set', KEYS[1], ARGV[1])")],
        ['FCALL', 'f2', '1', 'x', 'value'],
        ['GET', 'x'],
        ['FUNCTION', 'LIST', 'LIBRARYNAME', 'oth*'],
        ['FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'test'],
        ['FUNCTION', 'STATS'],
      ]));

    it('on a stale replica, allow-stale functions run but call only stale commands', () =>
      servers.compare([
        FRESH,
        [
          'FUNCTION',
          'LOAD',
          [
            '#!lua name=stale',
            "redis.register_function{function_name='f1', callback=function() return 'hello' end, flags={'no-writes'}}",
            "redis.register_function{function_name='f2', callback=function() return 'hello' end, flags={'allow-stale', 'no-writes'}}",
            "redis.register_function{function_name='f3', callback=function() return redis.call('get', 'x') end, flags={'allow-stale', 'no-writes'}}",
            "redis.register_function{function_name='f4', callback=function() return redis.call('echo', 'e') end, flags={'allow-stale', 'no-writes'}}",
          ].join('\n'),
        ],
        ['CONFIG', 'SET', 'replica-serve-stale-data', 'no'],
        ['REPLICAOF', '127.0.0.1', '1'],
        ['FCALL', 'f1', '0'],
        ['FCALL', 'f2', '0'],
        ['FCALL', 'f3', '0'],
        ['FCALL', 'f4', '0'],
        ['REPLICAOF', 'NO', 'ONE'],
        ['CONFIG', 'SET', 'replica-serve-stale-data', 'yes'],
      ]));

    it('FUNCTION LOAD errors', () =>
      servers.compare([
        FRESH,
        ['FUNCTION', 'LOAD', library('test', 'test', 'return 1')],
        ['FUNCTION', 'LOAD', library('test', 'test', 'return 2')],
        ['FUNCTION', 'LOAD', 'foo', 'bar', library('x', 'x', 'return 1')],
        ['FUNCTION', 'LOAD', library('bad\u0000name', 'f', 'return 1')],
        ['FUNCTION', 'LOAD', '#!bad_engine name=x\nreturn 1'],
        ['FUNCTION', 'LOAD', 'return 1'],
        ['FUNCTION', 'LOAD', '#!lua name=x'],
        ['FUNCTION', 'LOAD', '#!lua\nreturn 1'],
        ['FUNCTION', 'LOAD', '#!lua name=a name=b\nreturn 1'],
        ['FUNCTION', 'LOAD', '#!lua name=a foo=b\nreturn 1'],
        ['FUNCTION', 'LOAD', '#!lua name="unbalanced\nreturn 1'],
        ['FUNCTION', 'LOAD', library('other', 'TEST', 'return 1')],
        loadError('return 1'),
        loadError('a = 1'),
        loadError('return math.random()'),
        loadError("return redis.call('ping')"),
        loadError('return redis.setresp(3)'),
        loadError("error('failed')"),
        loadError('local a = 1 while true do a = a + 1 end'),
        loadError('redis.register_function()'),
        loadError("redis.register_function('f1')"),
        loadError("redis.register_function('f1', function() end, {}, 'd', 'x')"),
        loadError('redis.register_function(nil, function() end)'),
        loadError("redis.register_function('f1', 'not a function')"),
        loadError("redis.register_function('', function() end)"),
        loadError("redis.register_function('a-b', function() end)"),
        loadError(
          "redis.register_function('f1', function() end) redis.register_function('f1', function() end)",
        ),
        loadError("redis.register_function{function_name='f1'}"),
        loadError('redis.register_function{callback=function() end}'),
        loadError("redis.register_function{function_name='f1', callback='x'}"),
        loadError('redis.register_function{function_name=function() end, callback=function() end}'),
        loadError("redis.register_function{function_name='f1', callback=function() end, x=1}"),
        loadError(
          "redis.register_function{function_name='f1', callback=function() end, description={}}",
        ),
        loadError(
          "redis.register_function{function_name='f1', callback=function() end, flags='x'}",
        ),
        loadError(
          "redis.register_function{function_name='f1', callback=function() end, flags={'bad'}}",
        ),
        loadError('local x ='),
        ['FUNCTION', 'LIST'],
      ]));

    it('named arguments, flags and descriptions', () =>
      servers.compare([
        FRESH,
        [
          'FUNCTION',
          'LOAD',
          "#!lua name=lib\nredis.register_function{function_name='f1', callback=function() return redis.call('get', 'x') end, description='reads x', flags={'no-writes', 'ALLOW-STALE', 'allow-oom', 'no-cluster', 'allow-cross-slot-keys'}}",
        ],
        ['FUNCTION', 'LIST'],
        ['SET', 'x', '1'],
        ['FCALL_RO', 'f1', '0'],
        [
          'FUNCTION',
          'LOAD',
          'REPLACE',
          "#!lua name=lib\nredis.register_function{function_name='f1', callback=function() return redis.call('set', 'x', 2) end, flags={'no-writes'}}",
        ],
        ['FCALL', 'f1', '0'],
        [
          'FUNCTION',
          'LOAD',
          'REPLACE',
          "#!lua name=lib\nredis.register_function{function_name='f1', callback=function() return redis.call('set', 'x', 2) end}",
        ],
        ['FCALL_RO', 'f1', '0'],
        ['FCALL', 'f1', '0'],
        ['GET', 'x'],
      ]));

    it('FCALL errors and runtime errors', () =>
      servers.compare([
        FRESH,
        ['FCALL', 'nosuch', '0'],
        [
          'FUNCTION',
          'LOAD',
          "#!lua name=lib\nlocal lib = redis\nlib.register_function('f1', function() lib.math = math end)\nlib.register_function('f2', function() lib.register_function('f3', function() end) end)\nlib.register_function('f4', function() redis.register_function('f3', function() end) end)\nlib.register_function('f5', function() return nil + 1 end)\nlib.register_function('f6', function() error('boom') end)\nlib.register_function('f7', function() return redis.call('nosuch') end)\nlib.register_function('f8', function() a = 1 end)",
        ],
        ['FCALL', 'f1', 'bad'],
        ['FCALL', 'f1', '10', 'k'],
        ['FCALL', 'f1', '-1', 'k'],
        ['FCALL', 'f1', '0'],
        ['FCALL', 'f2', '0'],
        ['FCALL', 'f4', '0'],
        ['FCALL', 'f5', '0'],
        ['FCALL', 'f6', '0'],
        ['FCALL', 'f7', '0'],
        ['FCALL', 'f8', '0'],
        ['FUNCTION', 'KILL'],
      ]));

    it('FUNCTION DELETE, FLUSH and argument errors', () =>
      servers.compare([
        FRESH,
        ['FUNCTION', 'LOAD', library('lib1', 'f1', 'return 1')],
        ['FUNCTION', 'DELETE', 'nosuch'],
        ['FUNCTION', 'DELETE', 'LIB1'],
        ['FUNCTION', 'DELETE', 'lib1'],
        ['FCALL', 'f1', '0'],
        ['FUNCTION', 'FLUSH', 'bad'],
        ['FUNCTION', 'FLUSH', 'sync', 'extra'],
        ['FUNCTION', 'FLUSH', 'ASYNC'],
        ['FUNCTION', 'LIST', 'bad'],
        ['FUNCTION', 'LIST', 'LIBRARYNAME'],
        ['FUNCTION', 'LIST', 'WITHCODE', 'WITHCODE'],
        ['FUNCTION', 'LIST', 'LIBRARYNAME', 'a', 'LIBRARYNAME', 'b'],
        ['FUNCTION', 'RESTORE', 'a', 'b', 'c'],
        ['FUNCTION', 'RESTORE', 'a', 'b'],
        ['FUNCTION', 'RESTORE', 'bad payload'],
        ['FUNCTION', 'DUMP'],
        ['FUNCTION', 'NOSUCH'],
        ['FUNCTION', 'HELP'],
        ['FUNCTION', 'STATS'],
      ]));

    it('FUNCTION DUMP and RESTORE with every policy', async () => {
      // The dump of a single library is the same bytes on both servers.
      const code = library('lib1', 'f1', 'return 1');
      await servers.compare([FRESH, ['FUNCTION', 'LOAD', code], ['FUNCTION', 'DUMP']]);
      const dump = encodeDump(code);
      await servers.compare([
        FRESH,
        ['FUNCTION', 'RESTORE', dump],
        ['FCALL', 'f1', '0'],
        ['FUNCTION', 'RESTORE', dump],
        ['FUNCTION', 'RESTORE', dump, 'APPEND'],
        ['FUNCTION', 'RESTORE', dump, 'REPLACE'],
        ['FUNCTION', 'LOAD', library('lib2', 'f2', 'return 2')],
        ['FUNCTION', 'RESTORE', dump, 'FLUSH'],
        ['FCALL', 'f2', '0'],
        ['FUNCTION', 'DELETE', 'lib1'],
        ['FUNCTION', 'LOAD', library('lib3', 'f1', 'return 3')],
        ['FUNCTION', 'RESTORE', dump, 'REPLACE'],
        ['FCALL', 'f1', '0'],
        ['FUNCTION', 'RESTORE', dump, 'bad'],
      ]);
    });
  },
);

/** The FUNCTION DUMP payload of one library, as both servers give it (the test's first step). */
function encodeDump(code: string): string {
  return encodeFunctionsPayload([code]).toString('latin1');
}
