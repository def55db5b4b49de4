import { describe, expect, it } from 'vitest';
import { CommandTable, type CommandEntry } from '../command-table.js';
import { allCommands } from '../commands/index.js';
import { AccessControl } from './access-control.js';

const table = new CommandTable(allCommands);

function entry(name: string): CommandEntry {
  const [command, sub] = name.split('|');
  const found = table.lookup(command);
  const resolved = sub === undefined ? found : found?.subcommands?.get(sub);
  if (resolved === undefined) throw new Error(`no command ${name}`);
  return resolved;
}

function userWith(rules: string[]) {
  const acl = new AccessControl(table);
  expect(acl.setUser('u', rules)).toBeNull();
  const user = acl.get('u');
  if (user === undefined) throw new Error('not created');
  return { acl, user };
}

describe('AccessControl', () => {
  it('starts with a default user that may do anything without a password', () => {
    const acl = new AccessControl(table);
    expect(acl.defaultUser.unrestricted).toBe(true);
    expect(acl.openByDefault).toBe(true);
    expect(acl.userLines()).toEqual(['user default on nopass ~* &* +@all']);
    acl.setDefaultPassword('secret');
    expect(acl.openByDefault).toBe(false);
    expect(acl.authenticate('default', 'secret')).toBe(acl.defaultUser);
    expect(acl.authenticate('default', 'wrong')).toBeNull();
  });

  it('applies every rule of a SETUSER or none', () => {
    const acl = new AccessControl(table);
    expect(acl.setUser('u', ['on', '>pw', '+nosuch'])).toBe(
      "Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL",
    );
    expect(acl.get('u')).toBeUndefined();
    expect(acl.setUser('u', ['on', '>pw'])).toBeNull();
    expect(acl.setUser('u', ['off', '<nosuch'])).toMatch(/does not exist$/);
    expect(acl.authenticate('u', 'pw')).not.toBeNull();
  });

  it('reads key patterns for reading, writing or both', () => {
    const { user } = userWith(['+@all', '~both*', '%R~read*', '%W~write*']);
    const check = (...argv: string[]) => user.check(entry(argv[0].toLowerCase()), argv);
    expect(check('GET', 'both1')).toBeNull();
    expect(check('GET', 'read1')).toBeNull();
    expect(check('SET', 'read1', 'v')).toEqual({ kind: 'key', index: 1 });
    expect(check('SET', 'write1', 'v')).toBeNull();
    expect(check('GET', 'write1')).toEqual({ kind: 'key', index: 1 });
    expect(check('COPY', 'read1', 'write1')).toBeNull();
    expect(check('MSET', 'both', '1', 'other', '2')).toEqual({ kind: 'key', index: 3 });
  });

  it('matches channels by pattern, and PSUBSCRIBE patterns only literally', () => {
    const { user } = userWith(['+@all', 'resetchannels', '&news.*']);
    expect(user.check(entry('publish'), ['PUBLISH', 'news.a', 'm'])).toBeNull();
    expect(user.check(entry('publish'), ['PUBLISH', 'sports', 'm'])).toEqual({
      kind: 'channel',
      index: 1,
    });
    expect(user.check(entry('psubscribe'), ['PSUBSCRIBE', 'news.*'])).toBeNull();
    expect(user.check(entry('psubscribe'), ['PSUBSCRIBE', 'news.a*'])?.kind).toBe('channel');
    expect(user.check(entry('unsubscribe'), ['UNSUBSCRIBE', 'anything'])).toBeNull();
  });

  it('allows a first argument of an otherwise refused command, and subcommands apart', () => {
    const { user } = userWith(['-@all', '+select|0', '+config|get']);
    expect(user.check(entry('select'), ['SELECT', '0'])).toBeNull();
    expect(user.check(entry('select'), ['SELECT', '1'])?.kind).toBe('command');
    expect(user.check(entry('config|get'), ['CONFIG', 'GET', 'x'])).toBeNull();
    expect(user.check(entry('config|set'), ['CONFIG', 'SET', 'x', 'y'])?.kind).toBe('command');
    expect(user.check(entry('auth'), ['AUTH', 'x'])).toBeNull();
  });

  it('allows a call when any selector allows it whole', () => {
    const { user } = userWith(['-@all', '(~a* +get)', '(~b* +set)']);
    expect(user.check(entry('get'), ['GET', 'a1'])).toBeNull();
    expect(user.check(entry('set'), ['SET', 'b1', 'v'])).toBeNull();
    // The most relevant refusal is reported: a key beats a command.
    expect(user.check(entry('get'), ['GET', 'b1'])).toEqual({ kind: 'key', index: 1 });
  });

  it('describes users with rules that rebuild them exactly', () => {
    const rules = [
      ['on', '>pw', '~k*', '%R~r*', '&c', '+@all', '-@dangerous', '+flushdb', '-get'],
      ['-@all', '+@read', '-@hash', '+hset', '+select|1', '(~x* +set)'],
      ['skip-sanitize-payload', '+@string', '+client|id', '-client|kill'],
    ];
    for (const set of rules) {
      const { acl, user } = userWith(set);
      const described = user.describe();
      expect(acl.setUser('copy', described.match(/\([^)]*\)|\S+/g) ?? [])).toBeNull();
      expect(acl.get('copy')?.describe()).toBe(described);
    }
  });

  it('loads a file whole or not at all, with Redis errors per line', () => {
    const acl = new AccessControl(table);
    expect(acl.loadFile('user a on +get\nbad line\nuser a off\nuser b ~x allkeys ~y\n', 'f')).toBe(
      'f:2 should start with user keyword followed by the username. ' +
        "WARNING: Duplicate user 'a' found on line 3. " +
        "f:4: Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns. " +
        'WARNING: ACL errors detected, no change to the previously active ACL rules was performed',
    );
    expect(acl.all().map((user) => user.name)).toEqual(['default']);
    expect(acl.loadFile('user b on nopass\n\nuser a on >x\n', 'f')).toBeNull();
    expect(acl.all().map((user) => user.name)).toEqual(['a', 'b', 'default']);
    expect(acl.defaultUser.unrestricted).toBe(true);
  });
});
