import type { CommandSpec } from '../command-table.js';

/** A deliberate difference from Redis's facts about a command, with the reason for it. */
export interface CommandOverride {
  readonly facts: Partial<Pick<CommandSpec, 'arity' | 'flags' | 'keys' | 'summary' | 'since'>>;
  readonly reason: string;
}

/**
 * Where rc's table departs from Redis 7.0's command facts, by full name ("config|get"). None
 * today: every COMMAND reply is Redis's byte for byte. A difference goes here, one line of
 * reason each, never into a family file.
 */
export const COMMAND_OVERRIDES: Readonly<Record<string, CommandOverride>> = {};
