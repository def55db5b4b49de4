import type { CommandEntry } from '../command-table.js';

/** A channel argument ACL rules apply to. */
export interface ChannelReference {
  readonly index: number;
  /** A PSUBSCRIBE pattern: allowed only by an identical channel rule. */
  readonly pattern: boolean;
}

/**
 * Redis's channel table, reduced to what ACLs check: publishing and subscribing (leaving a
 * channel is always allowed). Keyed by full command name; `all` means every argument.
 */
const CHANNEL_COMMANDS: ReadonlyMap<string, { pattern: boolean; all: boolean }> = new Map([
  ['subscribe', { pattern: false, all: true }],
  ['ssubscribe', { pattern: false, all: true }],
  ['psubscribe', { pattern: true, all: true }],
  ['publish', { pattern: false, all: false }],
  ['spublish', { pattern: false, all: false }],
]);

const NONE: readonly ChannelReference[] = [];

/** Whether ACL channel rules apply to the command at all. */
export function takesChannels(entry: CommandEntry): boolean {
  return CHANNEL_COMMANDS.has(entry.fullName);
}

export function commandChannels(
  entry: CommandEntry,
  argv: readonly string[],
): readonly ChannelReference[] {
  const spec = CHANNEL_COMMANDS.get(entry.fullName);
  if (spec === undefined) return NONE;
  const last = spec.all ? argv.length - 1 : Math.min(1, argv.length - 1);
  const channels: ChannelReference[] = [];
  for (let index = 1; index <= last; index++) channels.push({ index, pattern: spec.pattern });
  return channels;
}
