import type { Client } from './client.js';

/** Redis keeps at most this many arguments of a logged command, and this many bytes of each. */
const MAX_ARGUMENTS = 32;
const MAX_ARGUMENT_BYTES = 128;

export interface SlowLogEntry {
  readonly id: number;
  /** Unix time in seconds when the command was logged. */
  readonly time: number;
  readonly microseconds: number;
  readonly argv: readonly string[];
  readonly peer: string;
  readonly clientName: string;
}

/**
 * SLOWLOG: the commands that ran at least slowlog-log-slower-than microseconds, newest first,
 * at most slowlog-max-len of them. Arguments are shortened as Redis shortens them, so a huge
 * value is not kept alive by the log.
 */
export class SlowLog {
  /** Oldest first: logging appends, trimming drops from the front. */
  private readonly entries: SlowLogEntry[] = [];
  private nextId = 0;

  get length(): number {
    return this.entries.length;
  }

  push(client: Client, argv: readonly string[], microseconds: number, maxLength: number): void {
    this.entries.push({
      id: this.nextId++,
      time: Math.floor(Date.now() / 1000),
      microseconds,
      argv: shortened(argv),
      peer: client.connection.remoteAddress,
      clientName: client.name,
    });
    this.trim(maxLength);
  }

  trim(maxLength: number): void {
    const excess = this.entries.length - maxLength;
    if (excess > 0) this.entries.splice(0, excess);
  }

  reset(): void {
    this.entries.length = 0;
  }

  /** The newest `count` entries, newest first. */
  newest(count: number): SlowLogEntry[] {
    return this.entries.slice(Math.max(0, this.entries.length - count)).reverse();
  }
}

function shortened(argv: readonly string[]): string[] {
  const kept = Math.min(argv.length, MAX_ARGUMENTS);
  const result = new Array<string>(kept);
  for (let i = 0; i < kept; i++) {
    const argument = argv[i];
    if (kept !== argv.length && i === kept - 1) {
      result[i] = `... (${argv.length - kept + 1} more arguments)`;
    } else if (argument.length > MAX_ARGUMENT_BYTES) {
      const more = argument.length - MAX_ARGUMENT_BYTES;
      result[i] = `${argument.slice(0, MAX_ARGUMENT_BYTES)}... (${more} more bytes)`;
    } else {
      result[i] = argument;
    }
  }
  return result;
}
