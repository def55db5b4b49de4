import { encodeDumpPayload } from '@rc/rdb';
import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import { closeMigrationConnection, migrationConnection } from '../migration-connections.js';
import { toRdbValue } from '../persistence/rdb-values.js';
import type { RedisValue } from '../values.js';
import { integerArgument, isKeyword, redactArgument } from '../arguments.js';
import { ok } from '../replies.js';

/*--- The request: AUTH, SELECT and one RESTORE per key, in RESP ---*/

function encodeRequest(commands: string[][]): Buffer {
  const chunks: Buffer[] = [];
  for (const argv of commands) {
    chunks.push(Buffer.from(`*${argv.length}\r\n`, 'latin1'));
    for (const arg of argv) {
      chunks.push(Buffer.from(`$${arg.length}\r\n${arg}\r\n`, 'latin1'));
    }
  }
  return Buffer.concat(chunks);
}

interface MigrateOptions {
  copy: boolean;
  replace: boolean;
  username: string | null;
  password: string | null;
  /** Where the keys are in argv, and how many: the key argument, or those after KEYS. */
  firstKey: number;
  keyCount: number;
}

/** COPY, REPLACE, AUTH, AUTH2 and KEYS; null after replying the error. */
function migrateOptions(client: Client, argv: string[]): MigrateOptions | null {
  const options: MigrateOptions = {
    copy: false,
    replace: false,
    username: null,
    password: null,
    firstKey: 3,
    keyCount: 1,
  };
  for (let i = 6; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (isKeyword(argv[i], 'copy')) options.copy = true;
    else if (isKeyword(argv[i], 'replace')) options.replace = true;
    else if (isKeyword(argv[i], 'auth')) {
      if (more < 1) return syntaxError(client);
      options.password = argv[++i];
      redactArgument(argv, i);
    } else if (isKeyword(argv[i], 'auth2')) {
      if (more < 2) return syntaxError(client);
      options.username = argv[++i];
      redactArgument(argv, i);
      options.password = argv[++i];
      redactArgument(argv, i);
    } else if (isKeyword(argv[i], 'keys')) {
      if (argv[3].length !== 0) {
        client.out.error(
          'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string',
        );
        return null;
      }
      options.firstKey = i + 1;
      options.keyCount = argv.length - i - 1;
      break;
    } else return syntaxError(client);
  }
  return options;
}

function syntaxError(client: Client): null {
  client.out.error(Errors.syntax);
  return null;
}

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password]
 * [AUTH2 username password] [KEYS key...]: each key is DUMPed, RESTOREd on the target, then
 * deleted here (but with COPY), as Redis's migrateCommand; the deletion propagates as DEL.
 */
export function migrate(client: Client, argv: string[], engine: Engine): void {
  const options = migrateOptions(client, argv);
  if (options === null) return;
  let timeout = integerArgument(client, argv[5]);
  if (timeout === null) return;
  const db = integerArgument(client, argv[4]);
  if (db === null) return;
  if (timeout <= 0) timeout = 1000;

  // Missing keys are left out; none at all is NOKEY (often a key that just expired).
  let keys: string[] = [];
  let values: RedisValue[] = [];
  engine.readingKeys(() => {
    for (let i = 0; i < options.keyCount; i++) {
      const key = argv[options.firstKey + i];
      const value = client.db.lookup(key);
      if (value === undefined) continue;
      keys.push(key);
      values.push(value);
    }
  });
  if (keys.length === 0) {
    client.out.simple('NOKEY');
    return;
  }

  const [host, port] = [argv[1], argv[2]];
  const restore = engine.config.get('cluster-enabled') === 'yes' ? 'RESTORE-ASKING' : 'RESTORE';
  let mayRetry = true;
  for (;;) {
    let writeError = false;
    let timedOut = false;
    const cached = migrationConnection(engine, host, port, timeout);
    if (cached === null) {
      client.out.error('IOERR error or timeout connecting to the client');
      return;
    }
    const { connection } = cached;

    const commands: string[][] = [];
    if (options.password !== null) {
      commands.push(
        options.username === null
          ? ['AUTH', options.password]
          : ['AUTH', options.username, options.password],
      );
    }
    const select = cached.lastDb !== db;
    if (select) commands.push(['SELECT', String(db)]);
    // A key may have expired since it was found: it stays out.
    const liveKeys: string[] = [];
    const liveValues: RedisValue[] = [];
    const now = engine.clock.now();
    for (let i = 0; i < keys.length; i++) {
      const expireAt = client.db.expireAt(keys[i]);
      let ttl = 0;
      if (expireAt !== undefined) {
        ttl = expireAt - now;
        if (ttl < 0) continue;
        if (ttl < 1) ttl = 1;
      }
      liveKeys.push(keys[i]);
      liveValues.push(values[i]);
      const payload = encodeDumpPayload(toRdbValue(values[i], engine.config)).toString('latin1');
      const restoreArgv = [restore, keys[i], String(ttl), payload];
      if (options.replace) restoreArgv.push('REPLACE');
      commands.push(restoreArgv);
    }
    keys = liveKeys;
    values = liveValues;

    let failed = false;
    const written = connection.write(encodeRequest(commands), timeout);
    let authReply = '';
    let selectReply = '';
    if (written !== 'ok') {
      writeError = true;
      timedOut = written === 'timeout';
      failed = true;
    }
    if (!failed && options.password !== null) {
      const line = connection.readLine(timeout);
      if (line === 'timeout' || line === 'error') {
        timedOut = line === 'timeout';
        failed = true;
      } else authReply = line;
    }
    if (!failed && select) {
      const line = connection.readLine(timeout);
      if (line === 'timeout' || line === 'error') {
        timedOut = line === 'timeout';
        failed = true;
      } else selectReply = line;
    }

    if (!failed) {
      let targetError = false;
      let socketError = false;
      const deleted: string[] = [];
      let read = 0;
      for (; read < keys.length; read++) {
        const line = connection.readLine(timeout);
        if (line === 'timeout' || line === 'error') {
          timedOut = line === 'timeout';
          socketError = true;
          break;
        }
        const errorLine = authReply.startsWith('-')
          ? authReply
          : selectReply.startsWith('-')
            ? selectReply
            : line.startsWith('-')
              ? line
              : null;
        if (errorLine !== null) {
          // The first error is the reply; the target's database is no longer known.
          if (!targetError) {
            cached.lastDb = -1;
            targetError = true;
            client.out.error(`ERR Target instance replied with error: ${errorLine.slice(1)}`);
          }
        } else if (!options.copy) {
          client.db.delete(keys[read]);
          engine.notify(client.db, EventClass.generic, 'del', keys[read]);
          deleted.push(keys[read]);
        }
      }
      // Nothing was answered at all: worth one more try on a new connection.
      const retry = !targetError && socketError && read === 0 && mayRetry && !timedOut;
      if (!retry) {
        if (socketError) closeMigrationConnection(engine, host, port);
        if (deleted.length > 0) engine.propagation.replaceCurrent(['DEL', ...deleted]);
        if (!targetError && socketError) {
          ioError(client, writeError);
          return;
        }
        if (!targetError) {
          cached.lastDb = db;
          ok(client);
        }
        return;
      }
    }

    // A cached connection the target closed is common: a new one gets one more try.
    closeMigrationConnection(engine, host, port);
    if (!timedOut && mayRetry) {
      mayRetry = false;
      continue;
    }
    ioError(client, writeError);
    return;
  }
}

function ioError(client: Client, writeError: boolean): void {
  client.out.error(
    `IOERR error or timeout ${writeError ? 'writing' : 'reading'} to target instance`,
  );
}
