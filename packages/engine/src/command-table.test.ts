import { describe, expect, it } from 'vitest';
import { CommandTable } from './command-table.js';
import { allCommands } from './commands/index.js';

describe('CommandTable.lookup', () => {
  it('finds a command in any case, the same entry however often it is asked', () => {
    const table = new CommandTable(allCommands);
    const get = table.lookup('get');
    expect(get?.fullName).toBe('get');
    for (const name of ['GET', 'GET', 'Get', 'gEt', 'get']) expect(table.lookup(name)).toBe(get);
    expect(table.lookup('nosuchcommand')).toBeUndefined();
    expect(table.lookup('GET')).toBe(get);
  });

  it('finds two commands looked up in turn (a script and the command it calls)', () => {
    const table = new CommandTable(allCommands);
    const evalsha = table.lookup('EVALSHA');
    const incr = table.lookup('incr');
    for (let i = 0; i < 3; i++) {
      expect(table.lookup('EVALSHA')).toBe(evalsha);
      expect(table.lookup('incr')).toBe(incr);
    }
    expect(table.lookup('get')?.fullName).toBe('get');
    expect(table.lookup('EVALSHA')).toBe(evalsha);
  });

  it('follows rename-command, also for the names looked up last', () => {
    const table = new CommandTable(allCommands);
    const get = table.lookup('GET');
    const set = table.lookup('SET');
    expect(table.rename('get', 'fetch')).toBeNull();
    expect(table.lookup('GET')).toBeUndefined();
    expect(table.lookup('fetch')).toBe(get);
    expect(table.rename('set', 'store')).toBeNull();
    expect(table.lookup('SET')).toBeUndefined();
    expect(table.lookup('store')).toBe(set);
    expect(table.rename('store', '')).toBeNull();
    expect(table.lookup('store')).toBeUndefined();
  });
});
