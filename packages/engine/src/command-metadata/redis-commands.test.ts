import { describe, expect, it } from 'vitest';
import { allCommands, handlers } from '../commands/index.js';
import { handlerName } from './command-specs.js';
import { redisCommands } from './redis-commands.js';

function fullNames(): string[] {
  return allCommands.flatMap((spec) => [
    spec.name,
    ...(spec.subcommands ?? []).map((child) => `${spec.name}|${child.name}`),
  ]);
}

describe('redisCommands', () => {
  it("describes exactly the commands of rc's table (regenerate it after adding one)", () => {
    expect(Object.keys(redisCommands).sort()).toEqual(fullNames().sort());
  });

  it('has one handler for each command or subcommand, and none for anything else', () => {
    // A container (CONFIG) has none of its own unless it also serves a bare call (COMMAND).
    const named = new Set(Object.keys(redisCommands).map(handlerName));
    for (const name of Object.keys(handlers)) expect(named.has(name), name).toBe(true);
    for (const spec of allCommands) {
      for (const leaf of spec.subcommands ?? [spec])
        expect(leaf.handler, leaf.name).toBeTypeOf('function');
    }
  });

  it('points every key argument at a key spec of its command', () => {
    for (const [name, metadata] of Object.entries(redisCommands)) {
      const specs = metadata.keySpecs?.length ?? 0;
      const indexes: number[] = [];
      const walk = (args: typeof metadata.docs.arguments) => {
        for (const arg of args ?? []) {
          if (arg.keySpecIndex !== undefined) indexes.push(arg.keySpecIndex);
          walk(arg.arguments);
        }
      };
      walk(metadata.docs.arguments);
      for (const index of indexes) expect(index, name).toBeLessThan(specs);
    }
  });
});
