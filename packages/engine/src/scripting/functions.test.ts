import { describe, expect, it } from 'vitest';
import { engineWithClient } from '../test-support/engine-client.js';

function library(name: string, ...functions: string[]): string {
  const registrations = functions.map(
    (fn) => `redis.register_function('${fn}', function(keys, args) return '${fn}' end)`,
  );
  return [`#!lua name=${name}`, ...registrations].join('\n');
}

describe('function libraries', () => {
  it('calls a function by name, whatever its case', () => {
    const { run } = engineWithClient();
    expect(run('FUNCTION', 'LOAD', library('lib', 'MyFunction'))).toBe('$3\r\nlib\r\n');
    expect(run('FCALL', 'myfunction', '0')).toBe('$10\r\nMyFunction\r\n');
  });

  it('passes keys and arguments as the two arguments of the callback', () => {
    const { run } = engineWithClient();
    run(
      'FUNCTION',
      'LOAD',
      "#!lua name=lib\nredis.register_function('f', function(keys, args) return {#keys, #args, keys[1], args[2]} end)",
    );
    expect(run('FCALL', 'f', '1', 'k', 'a', 'b')).toBe('*4\r\n:1\r\n:2\r\n$1\r\nk\r\n$1\r\nb\r\n');
  });

  it('keeps the old library when a REPLACE fails', () => {
    const { run } = engineWithClient();
    run('FUNCTION', 'LOAD', library('lib', 'f1'));
    expect(run('FUNCTION', 'LOAD', 'REPLACE', '#!lua name=lib\nerror')).toMatch(/^-ERR Error/);
    expect(run('FCALL', 'f1', '0')).toBe('$2\r\nf1\r\n');
  });

  it('refuses a function name another library registered, in any case', () => {
    const { run } = engineWithClient();
    run('FUNCTION', 'LOAD', library('lib1', 'shared'));
    expect(run('FUNCTION', 'LOAD', library('lib2', 'SHARED'))).toBe(
      '-ERR Function SHARED already exists\r\n',
    );
    expect(run('FUNCTION', 'STATS')).toContain('libraries_count\r\n:1\r\n');
  });

  it('restores all of a payload or nothing', () => {
    const { engine, run } = engineWithClient();
    run('FUNCTION', 'LOAD', library('a', 'fa'));
    run('FUNCTION', 'LOAD', library('b', 'fb'));
    const payload = engine.scripting.libraries.dump().toString('latin1');
    run('FUNCTION', 'DELETE', 'a');
    run('FUNCTION', 'LOAD', library('c', 'fb2', 'fa'));
    // "b" exists: APPEND fails, and "a" did not come back either.
    expect(run('FUNCTION', 'RESTORE', payload)).toBe('-ERR Library b already exists\r\n');
    // REPLACE lets "b" go, but "fa" belongs to "c".
    expect(run('FUNCTION', 'RESTORE', payload, 'REPLACE')).toBe(
      '-ERR Function fa already exists\r\n',
    );
    expect(run('FCALL', 'fb', '0')).toBe('$2\r\nfb\r\n');
    expect(run('FUNCTION', 'RESTORE', payload, 'FLUSH')).toBe('+OK\r\n');
    expect(run('FCALL', 'fa', '0')).toBe('$2\r\nfa\r\n');
    expect(run('FCALL', 'fb2', '0')).toBe('-ERR Function not found\r\n');
  });

  it('propagates the commands that change libraries, as they were sent', () => {
    const { engine, run } = engineWithClient();
    const sent: string[][] = [];
    engine.propagation.addListener((batch) => {
      for (const op of batch) sent.push([...op.argv]);
    });
    run('FUNCTION', 'LOAD', library('lib', 'f'));
    run('FUNCTION', 'LOAD', library('lib', 'f'));
    run('FCALL', 'f', '0');
    run('FUNCTION', 'DELETE', 'lib');
    run('FUNCTION', 'FLUSH');
    expect(sent).toEqual([
      ['FUNCTION', 'LOAD', library('lib', 'f')],
      ['FUNCTION', 'DELETE', 'lib'],
      ['FUNCTION', 'FLUSH'],
    ]);
  });

  it('keeps functions apart from EVAL: SCRIPT FLUSH leaves them', () => {
    const { run } = engineWithClient();
    run('FUNCTION', 'LOAD', library('lib', 'f'));
    run('SCRIPT', 'FLUSH');
    expect(run('FCALL', 'f', '0')).toBe('$1\r\nf\r\n');
  });
});

describe('Lua libraries', () => {
  it('cjson encodes and decodes as lua-cjson', () => {
    const { run } = engineWithClient();
    expect(run('EVAL', "return cjson.encode({1, 'a/b', {x=true}})", '0')).toBe(
      '$21\r\n[1,"a\\/b",{"x":true}]\r\n',
    );
    expect(run('EVAL', 'return cjson.decode(\'{"k": [1, 2.5, null]}\').k[2]', '0')).toBe(':2\r\n');
    expect(run('EVAL', "return cjson.decode('[null]')[1] == cjson.null", '0')).toBe(':1\r\n');
    expect(run('EVAL', "return select(2, pcall(cjson.decode, '[1,'))", '0')).toBe(
      '$45\r\nExpected value but found T_END at character 4\r\n',
    );
  });

  it('cmsgpack packs numbers as the smallest fitting type and unpacks them back', () => {
    const { run } = engineWithClient();
    const hex =
      "local h = '' for i = 1, #s do h = h .. string.format('%02x', string.byte(s, i)) end return h";
    expect(
      run('EVAL', `local s = cmsgpack.pack(1, -1, 300, 0.5, 0.1, 'ab', {1}, {a=1}) ${hex}`, '0'),
    ).toBe('$56\r\n01ffcd012cca3f000000cb3fb999999999999aa26162910181a16101\r\n');
    expect(run('EVAL', 'return {cmsgpack.unpack_one(cmsgpack.pack(7, 8), 0)}', '0')).toBe(
      '*2\r\n:1\r\n:7\r\n',
    );
  });
});
