/**
 * The bounds of Redis 7.0's integer parameters (those without memory units), as CONFIG SET and
 * the config file check them: out of bounds is refused with "argument must be between ...".
 */

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const UINT_MAX = 2n ** 32n - 1n;
const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

interface Bounds {
  readonly lower: bigint;
  readonly upper: bigint;
  /** Unsigned in Redis: a negative value wraps around and is always out of bounds. */
  readonly unsigned: boolean;
}

const signed = (lower: bigint, upper: bigint): Bounds => ({ lower, upper, unsigned: false });
const unsigned = (lower: bigint, upper: bigint): Bounds => ({ lower, upper, unsigned: true });
const port = signed(0n, 65535n);

const INTEGER_BOUNDS: ReadonlyMap<string, Bounds> = new Map([
  ['databases', signed(1n, INT_MAX)],
  ['port', port],
  ['io-threads', signed(1n, 128n)],
  ['auto-aof-rewrite-percentage', signed(0n, INT_MAX)],
  ['cluster-replica-validity-factor', signed(0n, INT_MAX)],
  ['list-max-listpack-size', signed(INT_MIN, INT_MAX)],
  ['tcp-keepalive', signed(0n, INT_MAX)],
  ['cluster-migration-barrier', signed(0n, INT_MAX)],
  ['active-defrag-cycle-min', signed(1n, 99n)],
  ['active-defrag-cycle-max', signed(1n, 99n)],
  ['active-defrag-threshold-lower', signed(0n, 1000n)],
  ['active-defrag-threshold-upper', signed(0n, 1000n)],
  ['lfu-log-factor', signed(0n, INT_MAX)],
  ['lfu-decay-time', signed(0n, INT_MAX)],
  ['replica-priority', signed(0n, INT_MAX)],
  ['repl-diskless-sync-delay', signed(0n, INT_MAX)],
  ['maxmemory-samples', signed(1n, INT_MAX)],
  ['maxmemory-eviction-tenacity', signed(0n, 100n)],
  ['timeout', signed(0n, INT_MAX)],
  ['replica-announce-port', port],
  ['tcp-backlog', signed(0n, INT_MAX)],
  ['cluster-port', port],
  ['cluster-announce-bus-port', port],
  ['cluster-announce-port', port],
  ['cluster-announce-tls-port', port],
  ['repl-timeout', signed(1n, INT_MAX)],
  ['repl-ping-replica-period', signed(1n, INT_MAX)],
  ['list-compress-depth', signed(0n, INT_MAX)],
  ['rdb-key-save-delay', signed(INT_MIN, INT_MAX)],
  ['key-load-delay', signed(INT_MIN, INT_MAX)],
  ['active-expire-effort', signed(1n, 10n)],
  ['hz', signed(0n, INT_MAX)],
  ['min-replicas-to-write', signed(0n, INT_MAX)],
  ['min-replicas-max-lag', signed(0n, INT_MAX)],
  ['watchdog-period', signed(0n, INT_MAX)],
  ['shutdown-timeout', signed(0n, INT_MAX)],
  ['repl-diskless-sync-max-replicas', signed(0n, INT_MAX)],
  ['tls-port', port],
  ['tls-session-cache-size', signed(0n, INT_MAX)],
  ['tls-session-cache-timeout', signed(0n, INT_MAX)],
  ['maxclients', unsigned(1n, UINT_MAX)],
  ['socket-mark-id', unsigned(0n, UINT_MAX)],
  ['active-defrag-max-scan-fields', unsigned(1n, LONG_MAX)],
  ['slowlog-max-len', unsigned(0n, LONG_MAX)],
  ['acllog-max-len', unsigned(0n, LONG_MAX)],
  ['hash-max-listpack-entries', unsigned(0n, LONG_MAX)],
  ['set-max-intset-entries', unsigned(0n, LONG_MAX)],
  ['zset-max-listpack-entries', unsigned(0n, LONG_MAX)],
  ['tracking-table-max-keys', unsigned(0n, LONG_MAX)],
  ['busy-reply-threshold', signed(0n, LONG_MAX)],
  ['cluster-node-timeout', signed(0n, LONG_MAX)],
  ['slowlog-log-slower-than', signed(-1n, LONG_MAX)],
  ['latency-monitor-threshold', signed(0n, LONG_MAX)],
  ['stream-node-max-entries', signed(0n, LONG_MAX)],
  ['repl-backlog-ttl', signed(0n, LONG_MAX)],
]);

/** Whether `name` (its primary name) is an integer parameter with bounds. */
export function hasIntegerBounds(name: string): boolean {
  return INTEGER_BOUNDS.has(name);
}

/**
 * Why `value` does not fit the integer parameter `name`, or null: Redis's string2ll (no sign
 * but '-', no leading zeros, 64 bits) and then its bounds.
 */
export function integerProblem(name: string, value: string): string | null {
  const bounds = INTEGER_BOUNDS.get(name);
  const parsed = /^(0|-?[1-9]\d*)$/.test(value) ? BigInt(value) : null;
  if (parsed === null || parsed < LONG_MIN || parsed > LONG_MAX) {
    return "argument couldn't be parsed into an integer";
  }
  if (bounds === undefined) return null;
  if ((bounds.unsigned && parsed < 0n) || parsed < bounds.lower || parsed > bounds.upper) {
    return `argument must be between ${bounds.lower} and ${bounds.upper} inclusive`;
  }
  return null;
}
