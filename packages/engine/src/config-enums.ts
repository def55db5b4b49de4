/**
 * Redis 7.0's enumerated parameters: the names each accepts (any case), in Redis's order, as its
 * error message lists them. Redis shows a value by the first name with the same meaning, so
 * `oom-score-adj relative` reads back as `yes` (SHOWN_AS).
 */
export const CONFIG_ENUMS: ReadonlyMap<string, readonly string[]> = new Map([
  ['supervised', ['upstart', 'systemd', 'auto', 'no']],
  [
    'syslog-facility',
    ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'],
  ],
  ['repl-diskless-load', ['disabled', 'on-empty-db', 'swapdb']],
  ['loglevel', ['debug', 'verbose', 'notice', 'warning']],
  [
    'maxmemory-policy',
    [
      'volatile-lru',
      'volatile-lfu',
      'volatile-random',
      'volatile-ttl',
      'allkeys-lru',
      'allkeys-lfu',
      'allkeys-random',
      'noeviction',
    ],
  ],
  ['appendfsync', ['everysec', 'always', 'no']],
  ['oom-score-adj', ['no', 'yes', 'relative', 'absolute']],
  ['acl-pubsub-default', ['allchannels', 'resetchannels']],
  ['sanitize-dump-payload', ['no', 'yes', 'clients']],
  ['enable-protected-configs', ['no', 'yes', 'local']],
  ['enable-debug-command', ['no', 'yes', 'local']],
  ['enable-module-command', ['no', 'yes', 'local']],
  ['cluster-preferred-endpoint-type', ['ip', 'hostname', 'unknown-endpoint']],
  ['propagation-error-behavior', ['ignore', 'panic', 'panic-on-replicas']],
  ['tls-auth-clients', ['no', 'yes', 'optional']],
  ['shutdown-on-sigint', ['default', 'save', 'nosave', 'now', 'force']],
  ['shutdown-on-sigterm', ['default', 'save', 'nosave', 'now', 'force']],
]);

/**
 * Enumerations of flags (Redis's MULTI_ARG enum configs): a value is several names at once,
 * each a flag, and the first name stands for none of them.
 */
const FLAG_ENUMS = new Set(['shutdown-on-sigint', 'shutdown-on-sigterm']);

/** The flags a value names, as indexes of the names; null if one is not a name. */
function flagsOf(names: readonly string[], value: string): Set<number> | null {
  const flags = new Set<number>();
  for (const word of value.split(' ').filter((each) => each !== '')) {
    const index = names.indexOf(word.toLowerCase());
    if (index === -1) return null;
    if (index !== 0) flags.add(index);
  }
  return flags;
}

const SHOWN_AS: ReadonlyMap<string, string> = new Map([['oom-score-adj:relative', 'yes']]);

/** Why `value` is not one of the parameter's names (Redis's wording), or null. */
export function enumProblem(name: string, value: string): string | null {
  const names = CONFIG_ENUMS.get(name);
  if (names === undefined) return null;
  const problem = `argument(s) must be one of the following: ${names.join(', ')}`;
  if (!FLAG_ENUMS.has(name)) return names.includes(value.toLowerCase()) ? null : problem;
  const flags = value.trim() === '' ? null : flagsOf(names, value);
  if (flags === null) return problem;
  // isValidShutdownOnSigFlags
  const both = flags.has(names.indexOf('save')) && flags.has(names.indexOf('nosave'));
  return both ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null;
}

/** The value as Redis stores and shows it: lower case, by its first name. */
export function enumValue(name: string, value: string): string {
  const names = CONFIG_ENUMS.get(name);
  if (names !== undefined && FLAG_ENUMS.has(name)) {
    const flags = flagsOf(names, value);
    if (flags === null || flags.size === 0) return names[0];
    return names.filter((_, index) => flags.has(index)).join(' ');
  }
  const lower = value.toLowerCase();
  return SHOWN_AS.get(`${name}:${lower}`) ?? lower;
}
