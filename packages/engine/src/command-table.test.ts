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

  it('follows rename-command, also for the name looked up last', () => {
    const table = new CommandTable(allCommands);
    const set = table.lookup('SET');
    expect(table.rename('set', 'store')).toBeNull();
    expect(table.lookup('SET')).toBeUndefined();
    expect(table.lookup('store')).toBe(set);
    expect(table.rename('store', '')).toBeNull();
    expect(table.lookup('store')).toBeUndefined();
  });
});
