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
    const names = Object.keys(redisCommands);
    const leaves = names.filter((name) => !names.some((other) => other.startsWith(`${name}|`)));
    const served = new Set(leaves.map(handlerName));
    for (const name of Object.keys(handlers)) expect(served.has(name), name).toBe(true);
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
