import type { CommandGroup, CommandHandler, CommandSpec } from './command-table.js';

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

/** A container's HELP subcommand: Redis's arity, summary and usual flags, its own text. */
export function helpSubcommand(
  handler: CommandHandler,
  since: string,
  flags: CommandSpec['flags'] = ['loading', 'stale'],
): CommandRow {
  return [
    'help',
    2,
    flags,
    NO_KEYS,
    handler,
    'Show helpful text about the different subcommands',
    since,
  ];
}
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
