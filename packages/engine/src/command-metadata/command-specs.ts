import type { CommandHandler, CommandSpec } from '../command-table.js';
import { COMMAND_OVERRIDES } from './overrides.js';
import { redisCommands } from './redis-commands.js';

/** Words a function may not be named in a module. */
const RESERVED = new Set(['eval', 'function']);

/**
 * The name of the function that serves a command, as its family exports it: the full name in
 * camel case ("get", "zrevrangebyscore", "config|get" → configGet, "restore-asking" →
 * restoreAsking), with "Command" after a reserved word (evalCommand).
 */
export function handlerName(fullName: string): string {
  const name = fullName.replace(/[|-]([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return RESERVED.has(name) ? `${name}Command` : name;
}

/** Every command Redis's facts describe, by full name, containers before their subcommands. */
export const commandNames: readonly string[] = Object.keys(redisCommands);

/** Redis's facts about one command or subcommand, rc's overrides applied, and its handler. */
function spec(
  fullName: string,
  handlers: Readonly<Record<string, CommandHandler>>,
  subcommands?: CommandSpec[],
): CommandSpec {
  const { arity, flags, keys, group, summary, since } = redisCommands[fullName];
  const name = fullName.slice(fullName.indexOf('|') + 1);
  const facts = { arity, flags, keys, group, summary, since };
  const handler = handlers[handlerName(fullName)];
  return { name, ...facts, ...COMMAND_OVERRIDES[fullName]?.facts, handler, subcommands };
}

/**
 * The command table's entries: each command Redis's facts describe whose handler (or one of
 * whose subcommands' handlers) is among `handlers`, by handlerName.
 */
export function commandSpecs(handlers: Readonly<Record<string, CommandHandler>>): CommandSpec[] {
  // Each container's subcommands, in one pass (filtering all names per command was quadratic).
  const childrenOf = new Map<string, string[]>();
  for (const fullName of commandNames) {
    const bar = fullName.indexOf('|');
    if (bar === -1) continue;
    const parent = fullName.slice(0, bar);
    const children = childrenOf.get(parent);
    if (children === undefined) childrenOf.set(parent, [fullName]);
    else children.push(fullName);
  }
  const specs: CommandSpec[] = [];
  for (const fullName of commandNames) {
    if (fullName.includes('|')) continue;
    const children = childrenOf.get(fullName) ?? [];
    if (children.length === 0) {
      if (handlerName(fullName) in handlers) specs.push(spec(fullName, handlers));
      continue;
    }
    const served = children.filter((child) => handlerName(child) in handlers);
    if (served.length === 0) continue;
    // A container may serve a call without subcommand too (COMMAND).
    const subcommands = served.map((child) => spec(child, handlers));
    specs.push(spec(fullName, handlers, subcommands));
  }
  return specs;
}
