import { CONFIG_DEFAULTS } from './config-defaults.js';
import { globMatch } from './glob.js';
import { formatEventFlags, parseEventFlags } from './keyspace-events.js';
import { parseMemory } from './memory-units.js';

const CONFIG_DEFAULTS_BY_NAME = new Map<string, string>(CONFIG_DEFAULTS);

/** Parameters Redis only reads at startup. */
const IMMUTABLE = new Set([
  'databases',
  'daemonize',
  'io-threads',
  'supervised',
  'pidfile',
  'logfile',
  'syslog-enabled',
  'syslog-ident',
  'syslog-facility',
  'unixsocket',
  'cluster-enabled',
  'aclfile',
  'appenddirname',
  'enable-protected-configs',
  'enable-debug-command',
  'enable-module-command',
]);

/** Numeric parameters that take memory units ("64mb"). */
const MEMORY =
  /maxmemory$|-bytes$|-size$|^proto-max-bulk-len$|^client-query-buffer-limit$|^repl-backlog-size$|^auto-aof-rewrite-min-size$|^active-defrag-ignore-bytes$/;

export type ConfigListener = (name: string, value: string) => void;

/**
 * The server's configuration: every Redis 7.0 parameter by lower-case name. Values are kept as
 * Redis prints them; subsystems that act on a parameter subscribe to its changes.
 */
export class Config {
  private readonly values = new Map<string, string>(CONFIG_DEFAULTS);
  private readonly listeners = new Map<string, ConfigListener[]>();

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }

  get(name: string): string {
    return this.values.get(name.toLowerCase()) ?? '';
  }

  getNumber(name: string): number {
    return Number(this.get(name));
  }

  /**
   * Why CONFIG SET would reject the value (Redis's wording after "CONFIG SET failed ... - "),
   * or null when it is acceptable. Types are inferred from the defaults: yes/no switches and
   * numbers (memory units allowed) are checked; free-form values are stored as given.
   */
  invalidReason(name: string, value: string): string | null {
    const key = name.toLowerCase();
    if (IMMUTABLE.has(key)) return "can't set immutable config";
    if (key === 'notify-keyspace-events' && parseEventFlags(value) === null) {
      return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
    }
    const current = CONFIG_DEFAULTS_BY_NAME.get(key) ?? '';
    if (current === 'yes' || current === 'no') {
      return /^(yes|no)$/i.test(value) ? null : "argument must be 'yes' or 'no'";
    }
    if (/^-?\d+$/.test(current)) {
      if (MEMORY.test(key))
        return parseMemory(value) === null ? 'argument must be a memory value' : null;
      return /^-?\d+$/.test(value) ? null : "argument couldn't be parsed into an integer";
    }
    return null;
  }

  /** Sets a known parameter; returns false when the name is unknown. */
  set(name: string, value: string): boolean {
    const key = name.toLowerCase();
    if (!this.values.has(key)) return false;
    if (MEMORY.test(key) && /^-?\d+$/.test(CONFIG_DEFAULTS_BY_NAME.get(key) ?? '')) {
      value = String(parseMemory(value) ?? value);
    }
    if (key === 'notify-keyspace-events') value = formatEventFlags(parseEventFlags(value) ?? 0);
    this.values.set(key, value);
    for (const listener of this.listeners.get(key) ?? []) listener(key, value);
    return true;
  }

  onChange(name: string, listener: ConfigListener): void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener);
    this.listeners.set(name, list);
  }

  /** Name/value pairs whose name matches the glob, in Redis's order (as stored). */
  matching(pattern: string): Array<[string, string]> {
    const lower = pattern.toLowerCase();
    const exact = this.values.get(lower);
    if (exact !== undefined) return [[lower, exact]];
    const result: Array<[string, string]> = [];
    for (const [name, value] of this.values) {
      if (globMatch(lower, name, true)) result.push([name, value]);
    }
    return result;
  }
}
