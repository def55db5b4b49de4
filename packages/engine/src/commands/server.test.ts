import { describe, expect, it } from 'vitest';
import { engineWithClient } from '../test-support/engine-client.js';

describe('CONFIG SET while the dataset loads', () => {
  it('refuses dir, appendonly and repl-diskless-load with LOADING, and sets the rest', () => {
    const { engine, run } = engineWithClient([['enable-protected-configs', 'yes']]);
    engine.loading = true;
    expect(run('CONFIG', 'SET', 'loglevel', 'debug')).toBe('+OK\r\n');
    for (const name of ['dir', 'appendonly', 'repl-diskless-load']) {
      expect(run('CONFIG', 'SET', 'loglevel', 'notice', name, 'x')).toBe(
        '-LOADING Redis is loading the dataset in memory\r\n',
      );
    }
    expect(run('CONFIG', 'GET', 'loglevel')).toBe('*2\r\n$8\r\nloglevel\r\n$5\r\ndebug\r\n');
    // An unknown name first is reported first, as Redis reads them in order.
    expect(run('CONFIG', 'SET', 'nope', '1', 'dir', 'x')).toBe(
      "-ERR Unknown option or number of arguments for CONFIG SET - 'nope'\r\n",
    );
    engine.loading = false;
    expect(run('CONFIG', 'SET', 'appendonly', 'no')).toBe('+OK\r\n');
  });
});
