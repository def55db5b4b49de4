import type { CommandGroup, CommandSpec } from '../command-table.js';

/** name, arity, flags, key positions, handler, summary, since: one command per line. */
export type CommandRow = [
  name: string,
  arity: number,
  flags: CommandSpec['flags'],
  keys: CommandSpec['keys'],
  handler: CommandSpec['handler'],
  summary: string,
  since: string,
];

export function commandGroup(group: CommandGroup, rows: CommandRow[]): CommandSpec[] {
  return rows.map(([name, arity, flags, keys, handler, summary, since]) => ({
    name,
    arity,
    flags,
    keys,
    handler,
    summary,
    since,
    group,
  }));
}

export const NO_KEYS: CommandSpec['keys'] = [0, 0, 0];
export const FIRST_KEY: CommandSpec['keys'] = [1, 1, 1];
export const ALL_KEYS: CommandSpec['keys'] = [1, -1, 1];

/** A container command (CONFIG, CLIENT...) whose real work is in its subcommands. */
export function container(
  name: string,
  summary: string,
  since: string,
  rows: CommandRow[],
  group: CommandGroup = 'server',
): CommandSpec {
  return {
    name,
    arity: -2,
    flags: [],
    keys: NO_KEYS,
    group,
    summary,
    since,
    subcommands: commandGroup(group, rows),
  };
}
