/**
 * Every error text the engine replies with, worded exactly as Redis 7.0 words it: clients and
 * test suites match on these strings, and the differential tests compare them byte for byte.
 */
export const Errors = {
  syntax: 'ERR syntax error',
  loading: 'LOADING Redis is loading the dataset in memory',
  noReplicas: 'NOREPLICAS Not enough good replicas to write.',
  outOfMemory: "OOM command not allowed when used memory > 'maxmemory'.",
  masterDown: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  overflow: 'ERR increment or decrement would overflow',
  incrFloatNaN: 'ERR increment would produce NaN or Infinity',
  noSuchKey: 'ERR no such key',
  dbIndexOutOfRange: 'ERR DB index is out of range',
  invalidDbIndex: 'ERR invalid DB index',
  sameObject: 'ERR source and destination objects are the same',
  bitOffset: 'ERR bit offset is not an integer or out of range',
  bitValue: 'ERR bit is not an integer or out of range',
  stringTooLong: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  noAuth: 'NOAUTH Authentication required.',
  readOnlyReplica: "READONLY You can't write against a read only replica.",
  waitOnReplica:
    'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
  wrongPass: 'WRONGPASS invalid username-password pair or user is disabled.',
  authNotConfigured:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  multiNested: 'ERR MULTI calls can not be nested',
  execWithoutMulti: 'ERR EXEC without MULTI',
  discardWithoutMulti: 'ERR DISCARD without MULTI',
  watchInMulti: 'ERR WATCH inside MULTI is not allowed',
  execAbort: 'EXECABORT Transaction discarded because of previous errors.',
  timeoutNotFloat: 'ERR timeout is not a float or out of range',
  timeoutNegative: 'ERR timeout is negative',
  timeoutNotInteger: 'ERR timeout is not an integer or out of range',
  timeoutOutOfRange: 'ERR timeout is out of range',
  countPositive: 'ERR value is out of range, must be positive',
  indexOutOfRange: 'ERR index out of range',
  noProtocol: 'NOPROTO unsupported protocol version',
  noSuchClient: 'ERR No such client',
  clientIdNotPositive: 'ERR client-id should be greater than 0',
  invalidClientId: 'ERR Invalid client ID',
  debugNotAllowed:
    'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  moduleNotAllowed:
    'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  hashNotInteger: 'ERR hash value is not an integer',
  hashNotFloat: 'ERR hash value is not a float',
  unblockedByClient: 'UNBLOCKED client unblocked via CLIENT UNBLOCK',
  noScript: 'NOSCRIPT No matching script. Please use EVAL.',
  busyScript:
    'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
  busyFunction:
    'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.',
  unkillableScript:
    'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
  getKeysUnknownCommand: 'ERR Invalid command specified',
  getKeysNoKeys: 'ERR The command has no key arguments',
  getKeysArity: 'ERR Invalid number of arguments specified for command',
  getKeysInvalidArguments: 'ERR Invalid arguments specified for command',
} as const;

/** Redis sanitises user text echoed in errors: CR and LF would break the reply framing. */
function sanitize(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c === 13 || c === 10 ? ' ' : text[i];
  }
  return out;
}

export function unknownCommandError(argv: readonly string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${argv[i].slice(0, 128 - args.length)}' `;
  }
  return sanitize(
    `ERR unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`,
  );
}

export function unknownSubcommandError(command: string, subcommand: string): string {
  return sanitize(
    `ERR unknown subcommand '${subcommand.slice(0, 128)}'. Try ${command.toUpperCase()} HELP.`,
  );
}

/** A container's own refusal of a subcommand it knows but got with the wrong arguments. */
export function subcommandSyntaxError(command: string, subcommand: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${subcommand.slice(0, 128)}'. Try ${command.toUpperCase()} HELP.`;
}

export function arityError(fullName: string): string {
  return `ERR wrong number of arguments for '${fullName}' command`;
}

export function invalidExpireError(commandName: string): string {
  return `ERR invalid expire time in '${commandName}' command`;
}
