import type { Client } from '../client.js';
import { detachedConnection } from '../detached-connection.js';
import { Engine, type EngineOptions } from '../engine.js';

/** A client of `engine` with no socket behind it. */
export function connect(engine: Engine): Client {
  return engine.connect(detachedConnection('127.0.0.1:1', '127.0.0.1:2'));
}

/** An engine, one client, and `run`: executes a command and returns its raw reply as latin1. */
export function engineWithClient(
  config: Array<[string, string]> = [],
  options: Omit<EngineOptions, 'config'> = {},
) {
  const engine = new Engine({ ...options, config });
  const client = connect(engine);
  const run = (...argv: string[]): string => {
    engine.execute(client, argv);
    return client.out.take().toString('latin1');
  };
  return { engine, client, run };
}
