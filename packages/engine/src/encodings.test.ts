import { describe, expect, it } from 'vitest';
import { engineWithClient } from './test-support/engine-client.js';
import { encodingOf, storedStringEncoding, unusualStringEncoding } from './values.js';

/** An engine and a way to ask a string key's encoding as Redis would name it. */
function setup() {
  const { engine, run } = engineWithClient();
  const db = engine.databases[0];
  const encoding = (key: string): string => {
    const value = db.find(key);
    return value === undefined ? 'none' : encodingOf(value, engine.config, db.stringEncoding(key));
  };
  return { engine, run, db, encoding };
}

describe('string encodings', () => {
  it('names stored strings from their bytes, as tryObjectEncoding', () => {
    expect(storedStringEncoding('123')).toBe('int');
    expect(storedStringEncoding('-9223372036854775808')).toBe('int');
    expect(storedStringEncoding('9223372036854775808')).toBe('embstr');
    expect(storedStringEncoding('012')).toBe('embstr');
    expect(storedStringEncoding('-0')).toBe('embstr');
    expect(storedStringEncoding('x'.repeat(44))).toBe('embstr');
    expect(storedStringEncoding('x'.repeat(45))).toBe('raw');
  });

  it('keeps only the encodings the bytes do not name', () => {
    expect(unusualStringEncoding('12', 'raw')).toBe('raw');
    expect(unusualStringEncoding('x'.repeat(45), 'raw')).toBeUndefined();
    expect(unusualStringEncoding('3', 'created')).toBe('embstr');
    expect(unusualStringEncoding('3.5', 'created')).toBeUndefined();
  });

  it('follows the command that wrote the string', () => {
    const { run, encoding } = setup();
    run('SET', 'a', '12');
    expect(encoding('a')).toBe('int');
    run('APPEND', 'a', '3');
    expect(encoding('a')).toBe('raw');
    run('INCR', 'a');
    expect(encoding('a')).toBe('int');
    run('APPEND', 'fresh', '12');
    expect(encoding('fresh')).toBe('int');
    run('SET', 'e', 'abc');
    run('SETRANGE', 'e', '0', '');
    expect(encoding('e')).toBe('embstr');
    run('SETRANGE', 'e', '0', 'x');
    expect(encoding('e')).toBe('raw');
    run('SETRANGE', 'new', '1', 'x');
    expect(encoding('new')).toBe('raw');
    run('SET', 'b', '5');
    run('SETBIT', 'b', '2', '1');
    expect(encoding('b')).toBe('raw');
    run('SET', 'same', '5');
    run('SETBIT', 'same', '2', '1');
    expect(encoding('same')).toBe('raw');
    run('SET', 'f', '1');
    run('INCRBYFLOAT', 'f', '2');
    expect(encoding('f')).toBe('embstr');
    run('INCRBYFLOAT', 'f', '0.5');
    expect(encoding('f')).toBe('embstr');
    run('SET', 'bf', '1');
    run('BITFIELD', 'bf', 'GET', 'u8', '0');
    expect(encoding('bf')).toBe('int');
    run('BITFIELD', 'bf', 'SET', 'u8', '0', '49');
    expect(encoding('bf')).toBe('raw');
    run('SETBIT', 'src', '0', '1');
    run('BITOP', 'OR', 'dest', 'src');
    expect(encoding('dest')).toBe('raw');
    run('PFADD', 'hll', 'a');
    expect(encoding('hll')).toBe('raw');
  });

  it('moves with the value (RENAME, MOVE, SWAPDB) and is duplicated by COPY', () => {
    const { engine, run, db, encoding } = setup();
    run('SET', 'a', '12');
    run('APPEND', 'a', '3');
    run('RENAME', 'a', 'b');
    expect(encoding('b')).toBe('raw');
    run('SET', 'f', '1');
    run('INCRBYFLOAT', 'f', '1');
    run('RENAMENX', 'f', 'g');
    expect(encoding('g')).toBe('embstr');
    run('COPY', 'b', 'c');
    expect(encoding('c')).toBe('raw');
    run('COPY', 'g', 'h');
    expect(encoding('h')).toBe('embstr');
    // A copied integer is int in an object of its own, never a shared one.
    run('SET', 'i', '7');
    run('COPY', 'i', 'j');
    expect(encoding('j')).toBe('int');
    expect(db.stringEncoding('i')).toBeUndefined();
    expect(db.stringEncoding('j')).toBe('int');
    run('SET', 'k', 'plain');
    run('COPY', 'k', 'l');
    expect(db.stringEncoding('l')).toBeUndefined();
    run('MOVE', 'b', '1');
    expect(engine.databases[1].stringEncoding('b')).toBe('raw');
    run('SWAPDB', '0', '1');
    expect(db.stringEncoding('b')).toBe('raw');
    expect(encoding('b')).toBe('raw');
  });

  it('gives integers stored under an LRU or LFU policy objects of their own', () => {
    const { run, db } = setup();
    run('SET', 'shared', '5');
    run('CONFIG', 'SET', 'maxmemory', '1gb', 'maxmemory-policy', 'allkeys-lfu');
    run('SET', 'own', '5');
    run('SET', 'large', '10000');
    run('INCR', 'counter');
    run('CONFIG', 'SET', 'maxmemory', '0');
    expect(db.stringEncoding('shared')).toBeUndefined();
    expect(db.stringEncoding('own')).toBe('int');
    expect(db.stringEncoding('large')).toBeUndefined();
    expect(db.stringEncoding('counter')).toBe('int');
    expect(run('OBJECT', 'REFCOUNT', 'shared')).toBe(':2147483647\r\n');
    expect(run('OBJECT', 'REFCOUNT', 'own')).toBe(':1\r\n');
  });

  it('forgets the encoding with the value', () => {
    const { run, db, encoding } = setup();
    run('SET', 'a', '1');
    run('APPEND', 'a', '2');
    run('SET', 'a', '12');
    expect(encoding('a')).toBe('int');
    run('APPEND', 'a', '3');
    run('DEL', 'a');
    run('SET', 'a', '123');
    expect(encoding('a')).toBe('int');
    run('APPEND', 'a', 'x');
    const payload = run('DUMP', 'a');
    run('DEL', 'a');
    const bytes = payload.slice(payload.indexOf('\r\n') + 2, -2);
    run('RESTORE', 'a', '0', bytes);
    expect(encoding('a')).toBe('embstr');
    run('APPEND', 'a', 'y');
    run('FLUSHDB');
    expect(db.stringEncoding('a')).toBeUndefined();
  });
});
