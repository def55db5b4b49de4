import { procTitleTemplateProblem } from './proc-title.js';
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { CONFIG_DEFAULTS } from './config-defaults.js';
import { hasIntegerBounds, integerProblem } from './config-bounds.js';
import { CONFIG_ENUMS, enumProblem, enumValue } from './config-enums.js';
import { globMatch } from './glob.js';
import { formatEventFlags, parseEventFlags } from './keyspace-events.js';
import { parseMemory } from './memory-units.js';

const CONFIG_DEFAULTS_BY_NAME = new Map<string, string>(CONFIG_DEFAULTS);

/** Parameters Redis only reads at startup. */
const IMMUTABLE = new Set([
  'rdbchecksum',
  'daemonize',
  'io-threads-do-reads',
  'always-show-logo',
  'set-proc-title',
  'syslog-enabled',
  'cluster-enabled',
  'disable-thp',
  'aclfile',
  'unixsocket',
  'pidfile',
  'cluster-config-file',
  'syslog-ident',
  'appendfilename',
  'appenddirname',
  'logfile',
  'supervised',
  'syslog-facility',
  'enable-protected-configs',
  'enable-debug-command',
  'enable-module-command',
  'databases',
  'io-threads',
  'tcp-backlog',
  'cluster-port',
  'unixsocketperm',
  'socket-mark-id',
  'replicaof',
]);

/**
 * Redis's HIDDEN_CONFIG test switches: CONFIG GET shows them only when named exactly, never for
 * a pattern.
 */
const HIDDEN = new Set([
  'key-load-delay',
  'rdb-key-save-delay',
  'loading-process-events-interval-bytes',
  'use-exit-on-panic',
  'watchdog-period',
]);

/** Parameters CONFIG SET may change only when enable-protected-configs allows it. */
const PROTECTED = new Set(['dir', 'dbfilename']);

/** Numeric parameters that take memory units ("64mb"): Redis's MEMORY_CONFIG, under either name. */
const MEMORY = new Set([
  'active-defrag-ignore-bytes',
  'auto-aof-rewrite-min-size',
  'client-query-buffer-limit',
  'cluster-link-sendbuf-limit',
  'hash-max-listpack-value',
  'hash-max-ziplist-value',
  'hll-sparse-max-bytes',
  'maxmemory',
  'maxmemory-clients',
  'proto-max-bulk-len',
  'repl-backlog-size',
  'stream-node-max-bytes',
  'zset-max-listpack-value',
  'zset-max-ziplist-value',
]);

/** Memory parameters that also take a percentage ("10%", of maxmemory): Redis's PERCENT_CONFIG. */
const PERCENT = new Set(['maxmemory-clients']);
/** Memory parameters with a lower bound (their upper bound is LONG_MAX). */
const MEMORY_MINIMUMS = new Map([
  ['proto-max-bulk-len', 1024 * 1024],
  ['client-query-buffer-limit', 1024 * 1024],
]);
/** The highest percentage they take. */
const MAX_PERCENT = 100;

/** numericParseString for a memory-or-percent parameter: why the value is refused, or null. */
function memoryOrPercentProblem(value: string): string | null {
  if (parseMemory(value) !== null) return null;
  // string2ll's digits: no sign, no leading zero, within a long long.
  const percent = /^(0|[1-9]\d{0,18})%$/.exec(value);
  if (percent === null || BigInt(percent[1]) > 2n ** 63n - 1n) {
    return 'argument must be a memory or percent value';
  }
  return Number(percent[1]) > MAX_PERCENT
    ? `percentage argument must be less or equal to ${MAX_PERCENT}`
    : null;
}

/** Parameters naming a file inside `dir`: Redis refuses paths for them. */
const BASE_NAMES: Record<string, string> = {
  dbfilename: "dbfilename can't be a path, just a filename",
  appendfilename: "appendfilename can't be a path, just a filename",
  appenddirname: "appenddirname can't be a path, just a dirname",
};

/** Redis's isValidAnnouncedHostname: a length and a character set, not a full hostname check. */
function announcedHostnameProblem(value: string): string | null {
  // NET_HOST_STR_LEN
  if (value.length >= 256) return 'Hostnames must be less than 256 characters';
  if (!/^[A-Za-z0-9.-]*$/.test(value)) {
    return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  }
  return null;
}

export type SavePoint = readonly [seconds: number, changes: number];

/**
 * `save "3600 1 300 100"` → [[3600, 1], [300, 100]]; "" → none. Null unless the words pair up
 * as seconds ≥ 1 and changes ≥ 0 (Redis's "Invalid save parameters").
 */
export function parseSavePoints(value: string): SavePoint[] | null {
  const words = value.trim() === '' ? [] : value.trim().split(/\s+/);
  if (words.length % 2 !== 0) return null;
  const points: SavePoint[] = [];
  for (let i = 0; i < words.length; i += 2) {
    if (!/^-?\d+$/.test(words[i]) || !/^-?\d+$/.test(words[i + 1])) return null;
    const point = [Number(words[i]), Number(words[i + 1])] as const;
    if (point[0] < 1 || point[1] < 0) return null;
    points.push(point);
  }
  return points;
}

/** Why `dir` cannot be used, as chdir(2) would say, or null. */
function directoryProblem(path: string): string | null {
  try {
    return statSync(path).isDirectory() ? null : 'Not a directory';
  } catch {
    return 'No such file or directory';
  }
}

/** Parameters known under two names, as Redis's alias configs: setting one sets both. */
const ALIAS_PAIRS: Array<[string, string]> = [
  ['lua-time-limit', 'busy-reply-threshold'],
  // The replication names from before "replica", which Redis 7.0 still accepts.
  ['slave-lazy-flush', 'replica-lazy-flush'],
  ['slave-serve-stale-data', 'replica-serve-stale-data'],
  ['slave-read-only', 'replica-read-only'],
  ['slave-ignore-maxmemory', 'replica-ignore-maxmemory'],
  ['slave-announce-ip', 'replica-announce-ip'],
  ['slave-announce-port', 'replica-announce-port'],
  ['slave-priority', 'replica-priority'],
  ['repl-ping-slave-period', 'repl-ping-replica-period'],
  ['min-slaves-to-write', 'min-replicas-to-write'],
  ['min-slaves-max-lag', 'min-replicas-max-lag'],
  ['cluster-slave-no-failover', 'cluster-replica-no-failover'],
  ['cluster-slave-validity-factor', 'cluster-replica-validity-factor'],
  // The encoding limits' names from before listpacks, as Redis 7.0 still accepts them.
  ['hash-max-ziplist-entries', 'hash-max-listpack-entries'],
  ['hash-max-ziplist-value', 'hash-max-listpack-value'],
  ['zset-max-ziplist-entries', 'zset-max-listpack-entries'],
  ['zset-max-ziplist-value', 'zset-max-listpack-value'],
  ['list-max-ziplist-size', 'list-max-listpack-size'],
];
const ALIASES = new Map(ALIAS_PAIRS.flatMap(([a, b]) => [[a, b] as const, [b, a] as const]));

export type ConfigListener = (name: string, value: string) => void;
/** Makes a changed parameter take effect; returns why it could not, or null. */
export type ConfigApplier = () => string | null;

/**
 * The server's configuration: every Redis 7.0 parameter by lower-case name. Values are kept as
 * Redis prints them; subsystems that act on a parameter subscribe to its changes.
 */
export class Config {
  private readonly values = new Map<string, string>(CONFIG_DEFAULTS);
  private readonly listeners = new Map<string, ConfigListener[]>();
  private readonly appliers = new Map<string, ConfigApplier>();

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }

  get(name: string): string {
    return this.values.get(name.toLowerCase()) ?? '';
  }

  /** Every parameter with its value, in Redis's order (CONFIG REWRITE walks them). */
  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }

  /** The value a parameter has when nothing set it. */
  defaultValue(name: string): string {
    return CONFIG_DEFAULTS_BY_NAME.get(name.toLowerCase()) ?? '';
  }

  /** Whether the parameter is a byte count that takes memory units (64mb). */
  isMemory(name: string): boolean {
    const key = name.toLowerCase();
    return MEMORY.has(key);
  }

  getNumber(name: string): number {
    return Number(this.get(name));
  }

  /**
   * Why CONFIG SET may not change the parameter at all (Redis's wording after "CONFIG SET
   * failed ... - "), or null: startup-only parameters, and protected ones unless allowed.
   */
  refusal(name: string, localClient: boolean): string | null {
    const key = name.toLowerCase();
    if (IMMUTABLE.has(key)) return "can't set immutable config";
    if (PROTECTED.has(key) && !this.allows('enable-protected-configs', localClient)) {
      return "can't set protected config";
    }
    return null;
  }

  /**
   * Why the value does not fit the parameter, as a config file line or CONFIG SET would be told,
   * or null. Types are inferred from the defaults: yes/no switches and numbers (memory units
   * allowed) are checked; free-form values are stored as given.
   */
  valueProblem(name: string, value: string): string | null {
    const key = name.toLowerCase();
    if (CONFIG_ENUMS.has(key)) return enumProblem(key, value);
    if (key === 'oom-score-adj-values') return oomScoreValuesProblem(value);
    if (key === 'proc-title-template') return procTitleTemplateProblem(value, this);
    if (key === 'latency-tracking-info-percentiles') return percentilesProblem(value);
    if (key === 'client-output-buffer-limit') return outputLimitsProblem(value);
    if (key in BASE_NAMES && basename(value) !== value) return BASE_NAMES[key];
    if (key === 'save' && parseSavePoints(value) === null) return 'Invalid save parameters';
    // Redis's CONFIG_BINDADDR_MAX; its CONFIG SET splits on single spaces.
    if (key === 'bind' && value !== '' && value.split(' ').length > 16) {
      return 'Too many bind addresses specified.';
    }
    if (key === 'dir') return directoryProblem(value);
    if (key === 'cluster-announce-hostname') return announcedHostnameProblem(value);
    if (key === 'notify-keyspace-events' && parseEventFlags(value) === null) {
      return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
    }
    const current = CONFIG_DEFAULTS_BY_NAME.get(key) ?? '';
    if (current === 'yes' || current === 'no') {
      return /^(yes|no)$/i.test(value) ? null : "argument must be 'yes' or 'no'";
    }
    const bounded = hasIntegerBounds(key) ? key : ALIASES.get(key);
    if (bounded !== undefined && hasIntegerBounds(bounded)) return integerProblem(bounded, value);
    if (/^-?\d+$/.test(current)) {
      if (PERCENT.has(key)) return memoryOrPercentProblem(value);
      if (MEMORY.has(key)) return memoryProblem(key, value);
      return /^-?\d+$/.test(value) ? null : "argument couldn't be parsed into an integer";
    }
    return null;
  }

  /** A yes/no/local switch such as enable-debug-command: `local` allows loopback clients. */
  allows(name: string, localClient: boolean): boolean {
    const mode = this.get(name);
    return mode === 'yes' || (mode === 'local' && localClient);
  }

  /** Sets a known parameter; returns false when the name is unknown. */
  set(name: string, value: string): boolean {
    const key = name.toLowerCase();
    if (!this.values.has(key)) return false;
    if (this.isMemory(key)) {
      value = String(parseMemory(value) ?? value);
    }
    // Redis keeps a percentage as its negative: 0% is 0, shown as a byte count.
    if (PERCENT.has(key) && value === '0%') value = '0';
    if (CONFIG_ENUMS.has(key)) value = enumValue(key, value);
    if (key === 'latency-tracking-info-percentiles') value = formatPercentiles(value);
    if (key === 'client-output-buffer-limit') value = mergeOutputLimits(this.get(key), value);
    // Redis chdirs and reports getcwd(): always an absolute path.
    if (key === 'dir') value = resolve(value);
    if (key === 'hz') value = String(Math.min(MAX_HZ, Math.max(MIN_HZ, Number(value))));
    if (key === 'watchdog-period') value = raisedWatchdogPeriod(value, this.getNumber('hz'));
    if (key === 'notify-keyspace-events') {
      value = formatEventFlags(parseEventFlags(value) ?? 0, { keepNewKey: true });
    }
    this.values.set(key, value);
    const alias = ALIASES.get(key);
    if (alias !== undefined) this.values.set(alias, value);
    for (const listener of this.listeners.get(key) ?? []) listener(key, value);
    if (alias !== undefined) {
      for (const listener of this.listeners.get(alias) ?? []) listener(alias, value);
    }
    return true;
  }

  /**
   * Registers how a parameter takes effect where that can fail (Redis's apply functions: a new
   * port must be listened on). `apply` returns the reason it failed, or null.
   */
  onApply(name: string, apply: ConfigApplier): void {
    this.appliers.set(name, apply);
  }

  /**
   * Runs the appliers of the parameters just set, each once; the first failure, with the name of
   * the parameter it belongs to, or null.
   */
  applyChanges(names: readonly string[]): { name: string; reason: string } | null {
    const run = new Set<ConfigApplier>();
    for (const name of names) {
      const apply = this.appliers.get(name.toLowerCase());
      if (apply === undefined || run.has(apply)) continue;
      run.add(apply);
      const reason = apply();
      if (reason !== null) return { name: name.toLowerCase(), reason };
    }
    return null;
  }

  onChange(name: string, listener: ConfigListener): void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener);
    this.listeners.set(name, list);
  }

  /**
   * Calls `apply` with the parameter's value now and after every change: for settings kept in
   * a field because a hot path reads them.
   */
  follow(name: string, apply: (value: string) => void): void {
    apply(this.get(name));
    this.onChange(name, (_name, value) => apply(value));
  }

  /** Name/value pairs whose name matches the glob, in Redis's order (as stored), as shown. */
  matching(pattern: string): Array<[string, string]> {
    const lower = pattern.toLowerCase();
    const exact = this.values.get(lower);
    if (exact !== undefined) return [[lower, shown(lower, exact)]];
    const result: Array<[string, string]> = [];
    for (const [name, value] of this.values) {
      if (HIDDEN.has(name)) continue;
      if (globMatch(lower, name, true)) result.push([name, shown(name, value)]);
    }
    return result;
  }
}

/** A value as CONFIG GET shows it: Redis spells event flags holding "A" without their 'n'. */
function shown(name: string, value: string): string {
  return name === 'notify-keyspace-events' ? formatEventFlags(parseEventFlags(value) ?? 0) : value;
}

/** Redis's CONFIG_MIN_HZ and CONFIG_MAX_HZ: hz is a hint, capped to these rather than refused. */
const MIN_HZ = 1;
const MAX_HZ = 500;

/**
 * As Redis's applyWatchdogPeriod: a period under two cron intervals (whole milliseconds each) is
 * too short to tell a stall from a tick, so it is raised to that; 0 keeps the watchdog off.
 */
function raisedWatchdogPeriod(value: string, hz: number): string {
  const minimum = Math.trunc(1000 / hz) * 2;
  const period = Number(value);
  return period !== 0 && period < minimum ? String(minimum) : value;
}

/** oom-score-adj-values: three integers (master, replica, background child) within ±2000. */
function oomScoreValuesProblem(value: string): string | null {
  const words = value.split(/\s+/).filter((word) => word !== '');
  if (words.length !== 3) return 'wrong number of arguments';
  const fits = (word: string): boolean => /^-?\d+$/.test(word) && Math.abs(Number(word)) <= 2000;
  return words.every(fits)
    ? null
    : 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.';
}

/** latency-tracking-info-percentiles: numbers from 0 to 100 ("" for none). */
function percentilesProblem(value: string): string | null {
  for (const word of value.split(/\s+/).filter((each) => each !== '')) {
    const percentile = Number(word);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(word) || Number.isNaN(percentile)) {
      return 'Invalid latency-tracking-info-percentiles parameters';
    }
    if (percentile < 0 || percentile > 100) {
      return 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]';
    }
  }
  return null;
}

/** The percentiles as Redis prints them: `%f` with trailing zeros trimmed (50, 99.9). */
function formatPercentiles(value: string): string {
  return value
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) =>
      Number(word)
        .toFixed(6)
        .replace(/\.?0+$/, ''),
    )
    .join(' ');
}

function memoryProblem(key: string, value: string): string | null {
  const bytes = parseMemory(value);
  if (bytes === null) return 'argument must be a memory value';
  const minimum = MEMORY_MINIMUMS.get(key);
  return minimum !== undefined && bytes < minimum
    ? `argument must be between ${minimum} and 9223372036854775807 inclusive`
    : null;
}

/** client-output-buffer-limit's classes, by the names Redis accepts, as it shows them. */
const OUTPUT_LIMIT_CLASSES: Record<string, string> = {
  normal: 'normal',
  slave: 'slave',
  replica: 'slave',
  pubsub: 'pubsub',
};

/** client-output-buffer-limit: `<class> <hard> <soft> <seconds>` groups, all valid or none. */
function outputLimitsProblem(value: string): string | null {
  const words = value.split(/\s+/).filter((word) => word !== '');
  if (words.length % 4 !== 0) return 'Wrong number of arguments in buffer limit configuration.';
  for (let i = 0; i < words.length; i += 4) {
    if (OUTPUT_LIMIT_CLASSES[words[i].toLowerCase()] === undefined) {
      return 'Invalid client class specified in buffer limit configuration.';
    }
    if (
      parseMemory(words[i + 1]) === null ||
      parseMemory(words[i + 2]) === null ||
      !/^\d+$/.test(words[i + 3])
    ) {
      return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';
    }
  }
  return null;
}

/** The classes given replace theirs in the current value, in bytes, as CONFIG GET shows it. */
function mergeOutputLimits(current: string, value: string): string {
  const limits = new Map<string, string>();
  const read = (text: string): void => {
    const words = text.split(/\s+/).filter((word) => word !== '');
    for (let i = 0; i + 3 < words.length; i += 4) {
      const kind = OUTPUT_LIMIT_CLASSES[words[i].toLowerCase()];
      const [hard, soft, seconds] = [words[i + 1], words[i + 2], words[i + 3]];
      limits.set(kind, `${parseMemory(hard)} ${parseMemory(soft)} ${Number(seconds)}`);
    }
  };
  read(current);
  read(value);
  return ['normal', 'slave', 'pubsub'].map((kind) => `${kind} ${limits.get(kind)}`).join(' ');
}
