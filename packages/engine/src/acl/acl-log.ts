/** What ACL LOG records: a refused command, key, channel, or a failed AUTH. */
export type LogReason = 'command' | 'key' | 'channel' | 'auth';
/** Where it happened: a command of its own, inside MULTI/EXEC, or called by a script. */
export type LogContext = 'toplevel' | 'multi' | 'lua';

export interface LogEntry {
  count: number;
  readonly reason: LogReason;
  readonly context: LogContext;
  /** The command's full name, the key or channel, or the AUTH/HELLO as typed. */
  readonly object: string;
  readonly username: string;
  /** Milliseconds since the epoch of the latest occurrence. */
  time: number;
  /** CLIENT LIST's line for the latest client it happened to. */
  clientInfo: string;
}

/** Alike events this close in time are counted on one entry. */
const GROUPING_MS = 60_000;
/** How many recent entries are searched for an alike one. */
const GROUPING_SCAN = 10;

/** Redis's ACL log: newest first, at most `acllog-max-len` entries. */
export class AclLog {
  private entries: LogEntry[] = [];

  /** Records an event now, counted on an alike recent entry when there is one. */
  add(happened: Omit<LogEntry, 'count' | 'time'>, maxLength: number): void {
    const event = { ...happened, time: Date.now() };
    const scan = Math.min(GROUPING_SCAN, this.entries.length);
    for (let i = 0; i < scan; i++) {
      const entry = this.entries[i];
      if (
        entry.reason === event.reason &&
        entry.context === event.context &&
        Math.abs(entry.time - event.time) <= GROUPING_MS &&
        entry.object === event.object &&
        entry.username === event.username
      ) {
        entry.count++;
        entry.time = event.time;
        entry.clientInfo = event.clientInfo;
        this.entries.splice(i, 1);
        this.entries.unshift(entry);
        return;
      }
    }
    this.entries.unshift({ ...event, count: 1 });
    this.trim(maxLength);
  }

  /** CONFIG SET acllog-max-len trims on the next entry, as Redis. */
  private trim(maxLength: number): void {
    if (this.entries.length > maxLength) this.entries.length = Math.max(0, maxLength);
  }

  newest(count: number): readonly LogEntry[] {
    return this.entries.slice(0, count);
  }

  get length(): number {
    return this.entries.length;
  }

  reset(): void {
    this.entries = [];
  }
}
