import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors, arityError } from '../errors.js';
import { intArgument, integerArgument, isKeyword, redactArgument } from '../arguments.js';
import { ok } from '../replies.js';
import { validClientName } from '../client-name.js';
import { SERVER_VERSION } from '../version.js';

export function ping(client: Client, argv: string[]): void {
  if (argv.length > 2) {
    client.out.error(arityError('ping'));
    return;
  }
  if (client.inSubscribedMode) {
    client.out.array(2);
    client.out.bulk('pong');
    client.out.bulk(argv.length === 2 ? argv[1] : '');
  } else if (argv.length === 2) client.out.bulk(argv[1]);
  else client.out.simple('PONG');
}

export function echo(client: Client, argv: string[]): void {
  client.out.bulk(argv[1]);
}

export function select(client: Client, argv: string[], engine: Engine): void {
  const index = intArgument(client, argv[1]);
  if (index === null) return;
  if (engine.cluster !== undefined && index !== 0) {
    client.out.error('ERR SELECT is not allowed in cluster mode');
    return;
  }
  if (index < 0 || index >= engine.databases.length) {
    client.out.error(Errors.dbIndexOutOfRange);
    return;
  }
  client.db = engine.databases[index];
  ok(client);
}

export function quit(client: Client): void {
  ok(client);
  client.connection.close();
}

/** Logs the client in as `username`, or logs the failure (ACL LOG) and returns false. */
function logIn(
  client: Client,
  engine: Engine,
  argv: readonly string[],
  username: string,
  password: string,
): boolean {
  const user = engine.acl.authenticate(username, password);
  if (user === null) {
    engine.logFailedAuth(client, argv, username);
    return false;
  }
  engine.logIn(client, user);
  return true;
}

export function auth(client: Client, argv: string[], engine: Engine): void {
  if (argv.length > 3) {
    client.out.error(Errors.syntax);
    return;
  }
  const username = argv.length === 3 ? argv[1] : 'default';
  const password = argv[argv.length - 1];
  const typed = [...argv];
  redactArgument(argv, 1);
  if (argv.length === 3) redactArgument(argv, 2);
  if (argv.length === 2 && engine.acl.defaultUser.noPassword) {
    client.out.error(Errors.authNotConfigured);
    return;
  }
  if (!logIn(client, engine, typed, username, password)) {
    client.out.error(Errors.wrongPass);
    return;
  }
  ok(client);
}

/** HELLO [protover [AUTH username password] [SETNAME clientname]] */
export function hello(client: Client, argv: string[], engine: Engine): void {
  let protocol = client.protocol;
  if (argv.length >= 2) {
    const version = integerArgument(
      client,
      argv[1],
      'ERR Protocol version is not an integer or out of range',
    );
    if (version === null) return;
    if (version < 2 || version > 3) {
      client.out.error(Errors.noProtocol);
      return;
    }
    protocol = version as 2 | 3;
  }
  let name: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - i - 1;
    if (isKeyword(argv[i], 'auth') && more >= 2) {
      const [username, password] = [argv[i + 1], argv[i + 2]];
      const typed = [...argv];
      redactArgument(argv, i + 1);
      redactArgument(argv, i + 2);
      if (!logIn(client, engine, typed, username, password)) {
        client.out.error(Errors.wrongPass);
        return;
      }
      i += 2;
    } else if (isKeyword(argv[i], 'setname') && more >= 1) {
      name = argv[++i];
      if (!validClientName(client, name)) return;
    } else {
      client.out.error(`ERR Syntax error in HELLO option '${argv[i]}'`);
      return;
    }
  }
  if (!client.authenticated) {
    client.out.error(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
    return;
  }
  if (name !== null) client.name = name;
  client.out.protocol = protocol;
  const out = client.out;
  out.map(7);
  out.bulk('server');
  out.bulk('redis');
  out.bulk('version');
  out.bulk(SERVER_VERSION);
  out.bulk('proto');
  out.integer(protocol);
  out.bulk('id');
  out.integer(client.id);
  out.bulk('mode');
  out.bulk('standalone');
  out.bulk('role');
  out.bulk('master');
  out.bulk('modules');
  out.array(0);
}

/**
 * RESET: back to a fresh connection's state (no MULTI, WATCH, MONITOR, subscriptions, RESP2,
 * db 0), as Redis's clearClientConnectionState.
 */
export function reset(client: Client, _argv: string[], engine: Engine): void {
  engine.monitors.clients.delete(client);
  client.transaction = null;
  client.transactionFailed = false;
  engine.unwatchAll(client);
  engine.tracking.disable(client);
  engine.pubsub.unsubscribeAll(client);
  client.db = engine.databases[0];
  client.name = '';
  client.asking = false;
  client.readonlyCluster = false;
  // OFF ends before the reply; a SKIP in force still drops it (Redis's
  // clearClientConnectionState, then resetClient).
  if (client.replyMode === 'off') client.replyMode = 'on';
  client.skipNext = false;
  client.out.protocol = 2;
  // Back to the default user, logged in only if it needs no password.
  client.user = engine.acl.defaultUser;
  client.authenticated = engine.acl.openByDefault;
  client.out.simple('RESET');
}
