import type { Client } from '../client.js';
import { BLOCKED, type CommandResult } from '../command-table.js';
import type { ShutdownSave } from '../shutdown.js';
import type { Engine } from '../engine.js';
import { parseSavePoints } from '../config.js';
import { Errors } from '../errors.js';
import { infoText } from '../info.js';
import type { Database } from '../keyspace.js';
import { rewriteConfigFile } from '../config-rewrite.js';
import { describeErrno } from '../errno.js';
import { ok, replyText, replyHelp } from '../replies.js';
import { intArgument, isKeyword, redactArgument } from '../arguments.js';

export function configGet(client: Client, argv: string[], engine: Engine): void {
  const pairs = new Map<string, string>();
  for (let i = 2; i < argv.length; i++) {
    for (const [name, value] of engine.config.matching(argv[i])) pairs.set(name, value);
  }
  client.out.map(pairs.size);
  for (const [name, value] of pairs) {
    client.out.bulk(name);
    client.out.bulk(value);
  }
}

/** Configs whose values are secrets (Redis's SENSITIVE_CONFIG). */
const SENSITIVE_CONFIGS = new Set(['masteruser', 'masterauth', 'requirepass']);
/** Configs that cannot change while the dataset loads (Redis's DENY_LOADING_CONFIG). */
const DENIED_WHILE_LOADING = new Set(['appendonly', 'repl-diskless-load', 'dir']);

export function configSet(client: Client, argv: string[], engine: Engine): void {
  // Name-value pairs: an odd count is Redis's syntax error.
  if (argv.length % 2 !== 0) {
    client.out.error(Errors.syntax);
    return;
  }
  const config = engine.config;
  const given = argv.slice(2);
  // Before anything can fail, as Redis: SLOWLOG and MONITOR never show these values.
  for (let i = 2; i < argv.length; i += 2) {
    if (SENSITIVE_CONFIGS.has(argv[i].toLowerCase())) redactArgument(argv, i + 1);
  }
  const names: string[] = [];
  const values: string[] = [];
  for (let i = 2; i < argv.length; i += 2) {
    const written = argv[i];
    const name = written.toLowerCase();
    if (!config.has(name)) {
      client.out.error(`ERR Unknown option or number of arguments for CONFIG SET - '${written}'`);
      return;
    }
    const refusal = names.includes(name)
      ? 'duplicate parameter'
      : config.refusal(name, client.local);
    if (refusal !== null) {
      client.out.error(configSetFailure(written, refusal));
      return;
    }
    if ((engine.loading || engine.asyncLoading) && DENIED_WHILE_LOADING.has(name)) {
      client.out.error(Errors.loading);
      return;
    }
    names.push(name);
    values.push(given[i - 1]);
  }
  // As configSetCommand: set every value, then apply them; any failure restores them all.
  const previous = names.map((name) => config.get(name));
  const restore = (count: number): void => {
    for (let i = 0; i < count; i++) config.set(names[i], previous[i]);
  };
  for (let i = 0; i < names.length; i++) {
    const problem = config.valueProblem(names[i], values[i]);
    if (problem !== null) {
      restore(i);
      client.out.error(configSetFailure(names[i], problem));
      return;
    }
    config.set(names[i], values[i]);
  }
  // As Redis, only values that changed take effect anew (CONFIG SET port <same> binds nothing).
  const failure = config.applyChanges(names.filter((name, i) => config.get(name) !== previous[i]));
  if (failure !== null) {
    engine.log(
      'warning',
      `Failed applying new configuration. Possibly related to new ${failure.name} setting. Restoring previous settings.`,
    );
    restore(names.length);
    config.applyChanges(names);
    client.out.error(configSetFailure(failure.name, failure.reason));
    return;
  }
  ok(client);
}

function configSetFailure(name: string, reason: string): string {
  return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
}

export function configResetstat(client: Client, _argv: string[], engine: Engine): void {
  engine.resetStats();
  ok(client);
}

/** CONFIG REWRITE: the config file with today's values, its comments and order kept. */
export function configRewrite(client: Client, _argv: string[], engine: Engine): void {
  const path = engine.configFile;
  if (path === null) {
    client.out.error('ERR The server is running without a config file');
    return;
  }
  try {
    rewriteConfigFile(path, engine.config, engine.configUserLines());
  } catch (error) {
    engine.log('warning', `CONFIG REWRITE failed: ${describeErrno(error)}`);
    client.out.error(`ERR Rewriting config file: ${describeErrno(error)}`);
    return;
  }
  engine.log('warning', 'CONFIG REWRITE executed with success.');
  ok(client);
}

export function info(client: Client, argv: string[], engine: Engine): void {
  replyText(client, infoText(engine, argv.slice(1)));
}

export function monitor(client: Client, _argv: string[], engine: Engine): void {
  if (client.transaction !== null) {
    client.out.error('ERR MONITOR is not allowed in a transaction');
    return;
  }
  engine.monitors.clients.add(client);
  ok(client);
}

/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: the caller blocks while lagging replicas catch
 * up; the server then saves as asked and exits, or the caller gets an error.
 */
export function shutdown(client: Client, argv: string[], engine: Engine): CommandResult {
  let save: ShutdownSave = 'default';
  let both = false;
  let now = false;
  let force = false;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const option = argv[i].toLowerCase();
    if (option === 'save' || option === 'nosave') {
      both ||= save !== 'default' && save !== option;
      save = option;
    } else if (option === 'now') now = true;
    else if (option === 'force') force = true;
    else if (option === 'abort') abort = true;
    else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  if (both || (abort && argv.length !== 2)) {
    client.out.error(Errors.syntax);
    return;
  }
  if (abort) {
    if (engine.shutdown.abort()) ok(client);
    else client.out.error('ERR No shutdown in progress.');
    return;
  }
  if (!now && (client.executing || client.fromScript)) {
    client.out.error("ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
    return;
  }
  // While a script is busy only SHUTDOWN NOSAVE goes through (saving would store half of it).
  if (save !== 'nosave' && engine.scriptTimedOut) {
    client.out.error(Errors.busyScript);
    return;
  }
  engine.shutdown.command(client, { save, now, force });
  return client.blocked !== null ? BLOCKED : undefined;
}

export function dbsize(client: Client): void {
  client.out.integer(client.db.size);
}

/**
 * FLUSHDB/FLUSHALL [ASYNC|SYNC] (getFlushCommandFlags): whether Redis would empty the databases
 * in the background, the default from lazyfree-lazy-user-flush; null after a syntax error.
 * rc always flushes synchronously.
 */
function flushIsAsync(client: Client, argv: string[], engine: Engine): boolean | null {
  if (argv.length === 1) return engine.config.get('lazyfree-lazy-user-flush') === 'yes';
  if (argv.length === 2 && isKeyword(argv[1], 'async')) return true;
  if (argv.length === 2 && isKeyword(argv[1], 'sync')) return false;
  client.out.error(Errors.syntax);
  return null;
}

/** emptyDbAsync counts every key of a database emptied in the background as lazily freed. */
function emptyDatabase(db: Database, async: boolean, engine: Engine): void {
  if (async) engine.stats.lazyfreedObjects += db.data.size;
  db.clear();
}

export function flushdb(client: Client, argv: string[], engine: Engine): void {
  const async = flushIsAsync(client, argv, engine);
  if (async === null) return;
  emptyDatabase(client.db, async, engine);
  engine.tracking.flushed();
  // Propagated even when the database was already empty, as Redis forces it.
  engine.propagation.forceCurrent();
  ok(client);
}

export function flushall(client: Client, argv: string[], engine: Engine): void {
  const async = flushIsAsync(client, argv, engine);
  if (async === null) return;
  for (const db of engine.databases) emptyDatabase(db, async, engine);
  engine.replicaKeysWithExpire.clear();
  engine.tracking.flushed();
  // As flushAllDataAndResetRDB, which kills the rdb child: its replicas sync again.
  engine.replication?.killTransfers();
  engine.persistence?.killBackgroundSave();
  // As flushAllDataAndResetRDB: with save points the empty dataset is saved at once, so the
  // change counter starts again from 0 (and no save point fires for the flush).
  if (parseSavePoints(engine.config.get('save'))?.length) engine.persistence?.save();
  engine.propagation.forceCurrent();
  ok(client);
}

export function swapdb(client: Client, argv: string[], engine: Engine): void {
  const indexes: number[] = [];
  for (const [position, text] of [
    ['first', argv[1]],
    ['second', argv[2]],
  ]) {
    const index = intArgument(client, text, `ERR invalid ${position} DB index`);
    if (index === null) return;
    indexes.push(index);
  }
  if (indexes.some((index) => index < 0 || index >= engine.databases.length)) {
    client.out.error(Errors.dbIndexOutOfRange);
    return;
  }
  const [first, second] = indexes.map((index) => engine.databases[index]);
  if (first !== second) {
    first.swapWith(second);
    engine.databasesSwapped(first, second);
  }
  engine.countChanges(1);
  engine.propagation.forceCurrent();
  ok(client);
}

export function time(client: Client, _argv: string[], engine: Engine): void {
  // Microseconds from the high-resolution clock while the time runs; none while it is frozen.
  const micros = engine.clock.frozen
    ? BigInt(engine.clock.now()) * 1000n
    : BigInt(engine.clock.now()) * 1000n + ((process.hrtime.bigint() / 1000n) % 1000n);
  client.out.array(2);
  client.out.bulk(String(micros / 1000000n));
  client.out.bulk(String(micros % 1000000n));
}

export function lastsave(client: Client, _argv: string[], engine: Engine): void {
  client.out.integer(engine.stats.lastSave);
}

const CONFIG_HELP: readonly string[] = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

export function configHelp(client: Client): void {
  replyHelp(client, CONFIG_HELP);
}
