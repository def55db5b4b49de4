import type { Client } from '../client.js';
import { clientType, clientTypeByName, formatClientInfo } from '../client-info.js';
import type { Engine } from '../engine.js';
import type { PauseType } from '../client-pause.js';
import { Errors, subcommandSyntaxError } from '../errors.js';
import { parseInteger } from '../numbers.js';
import { validClientName } from '../client-name.js';
import { ok, replyText, replyHelp } from '../replies.js';
import { integerArgument, isKeyword } from '../arguments.js';

export function clientId(client: Client): void {
  client.out.integer(client.id);
}

export function clientSetname(client: Client, argv: string[]): void {
  if (!validClientName(client, argv[2])) return;
  client.name = argv[2];
  ok(client);
}

export function clientGetname(client: Client): void {
  if (client.name === '') client.out.nullBulk();
  else client.out.bulk(client.name);
}

/** CLIENT LIST [TYPE type | ID id [id ...]] */
export function clientList(client: Client, argv: string[], engine: Engine): void {
  let clients: Client[];
  if (argv.length === 4 && isKeyword(argv[2], 'type')) {
    const type = clientTypeByName(argv[3]);
    if (type === null) {
      client.out.error(`ERR Unknown client type '${argv[3]}'`);
      return;
    }
    clients = [...engine.clients.values()].filter((each) => clientType(each) === type);
  } else if (argv.length > 3 && isKeyword(argv[2], 'id')) {
    const ids: number[] = [];
    for (let i = 3; i < argv.length; i++) {
      const id = integerArgument(client, argv[i], Errors.invalidClientId);
      if (id === null) return;
      ids.push(id);
    }
    // One line per id asked, in that order, as Redis.
    clients = ids.flatMap((id) => engine.clients.get(id) ?? []);
  } else if (argv.length !== 2) {
    client.out.error(Errors.syntax);
    return;
  } else clients = [...engine.clients.values()];
  let text = '';
  for (const each of clients) {
    text += formatClientInfo(each, engine, each === client ? argv : null) + '\n';
  }
  replyText(client, text);
}

export function clientInfo(client: Client, argv: string[], engine: Engine): void {
  replyText(client, formatClientInfo(client, engine, argv) + '\n');
}

/**
 * A killed client: its replies go out first, as rc closes connections; a replica's stream is
 * dropped at once, as Redis frees it (a replica that stopped reading would hold it forever).
 */
function drop(target: Client): void {
  const connection = target.connection;
  if (target.kind === 'replica' && connection.closeAsap !== undefined) connection.closeAsap();
  else connection.close();
}

/**
 * CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [ADDR ip:port] [LADDR ip:port]
 * [USER name] [SKIPME yes/no]
 */
export function clientKill(client: Client, argv: string[], engine: Engine): void {
  if (argv.length === 3) {
    const target = [...engine.clients.values()].find(
      (each) => each.connection.remoteAddress === argv[2],
    );
    if (!target) {
      client.out.error(Errors.noSuchClient);
      return;
    }
    ok(client);
    drop(target);
    return;
  }
  if (argv.length % 2 !== 0) {
    client.out.error(Errors.syntax);
    return;
  }
  const filters: Array<(each: Client) => boolean> = [];
  let skipMe = true;
  for (let i = 2; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (isKeyword(argv[i], 'id')) {
      const wanted = integerArgument(client, value, Errors.clientIdNotPositive);
      if (wanted === null) return;
      if (wanted < 1) {
        client.out.error(Errors.clientIdNotPositive);
        return;
      }
      filters.push((each) => each.id === wanted);
    } else if (isKeyword(argv[i], 'addr')) {
      filters.push((each) => each.connection.remoteAddress === value);
    } else if (isKeyword(argv[i], 'laddr')) {
      filters.push((each) => each.connection.localAddress === value);
    } else if (isKeyword(argv[i], 'type')) {
      const type = clientTypeByName(value);
      if (type === null) {
        client.out.error(`ERR Unknown client type '${value}'`);
        return;
      }
      filters.push((each) => clientType(each) === type);
    } else if (isKeyword(argv[i], 'user')) {
      const user = engine.acl.get(value);
      if (user === undefined) {
        client.out.error(`ERR No such user '${value}'`);
        return;
      }
      filters.push((each) => each.user === user);
    } else if (isKeyword(argv[i], 'skipme')) {
      if (!isKeyword(value, 'yes') && !isKeyword(value, 'no')) {
        client.out.error(Errors.syntax);
        return;
      }
      skipMe = isKeyword(value, 'yes');
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  const targets = [...engine.clients.values()].filter(
    (each) => (!skipMe || each !== client) && filters.every((matches) => matches(each)),
  );
  client.out.integer(targets.length);
  for (const target of targets) drop(target);
}

/** CLIENT UNBLOCK id [TIMEOUT|ERROR] */
export function clientUnblock(client: Client, argv: string[], engine: Engine): void {
  let withError = false;
  if (argv.length === 4) {
    if (isKeyword(argv[3], 'error')) withError = true;
    else if (!isKeyword(argv[3], 'timeout')) {
      client.out.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      return;
    }
  } else if (argv.length > 4) {
    client.out.error(subcommandSyntaxError('client', argv[1]));
    return;
  }
  // As Redis, the reason is checked before the id is read.
  const targetId = integerArgument(client, argv[2]);
  if (targetId === null) return;
  const target = engine.clients.get(targetId);
  const state = target?.blocked;
  // A client held back by CLIENT PAUSE waits for the pause, not for data.
  if (!target || !state || engine.clientPause.isPostponed(target)) {
    client.out.integer(0);
    return;
  }
  engine.unblockByClient(target, withError);
  target.connection.resume();
  client.out.integer(1);
}

/** CLIENT PAUSE timeout [WRITE|ALL]: ALL unless WRITE is asked for. */
export function clientPause(client: Client, argv: string[], engine: Engine): void {
  if (argv.length > 4) {
    client.out.error(subcommandSyntaxError('client', argv[1]));
    return;
  }
  let type: PauseType = 'all';
  if (argv.length === 4) {
    if (isKeyword(argv[3], 'write')) type = 'write';
    else if (!isKeyword(argv[3], 'all')) {
      client.out.error('ERR CLIENT PAUSE mode must be WRITE or ALL');
      return;
    }
  }
  const timeout = parseInteger(argv[2]);
  if (timeout === null) {
    client.out.error(Errors.timeoutNotInteger);
    return;
  }
  if (timeout < 0) {
    client.out.error(Errors.timeoutNegative);
    return;
  }
  const now = engine.clock.now();
  if (BigInt(timeout) > BigInt(Number.MAX_SAFE_INTEGER - now)) {
    client.out.error(Errors.timeoutOutOfRange);
    return;
  }
  // As Redis, 0 is a deadline already past: the pause ends at its next check.
  engine.clientPause.pause(type, timeout === 0 ? 0 : now + Number(timeout));
  ok(client);
}

export function clientUnpause(client: Client, _argv: string[], engine: Engine): void {
  engine.clientPause.unpause();
  ok(client);
}

export function clientReply(client: Client, argv: string[]): void {
  const mode = argv[2].toLowerCase();
  if (mode !== 'on' && mode !== 'off' && mode !== 'skip') {
    client.out.error(Errors.syntax);
    return;
  }
  // As Redis's clientReplyCommand: ON ends OFF and SKIP, then replies; SKIP is for the next
  // command, and changes nothing under OFF.
  if (mode === 'on') {
    client.replyMode = 'on';
    ok(client);
  } else if (mode === 'off') client.replyMode = 'off';
  else if (client.replyMode !== 'off') client.skipNext = true;
}

export function clientNoEvict(client: Client, argv: string[]): void {
  if (!isKeyword(argv[2], 'on') && !isKeyword(argv[2], 'off')) {
    client.out.error(Errors.syntax);
    return;
  }
  client.noEvict = isKeyword(argv[2], 'on');
  ok(client);
}

export function clientSetinfo(client: Client, argv: string[]): void {
  if (isKeyword(argv[2], 'lib-name')) client.libraryName = argv[3];
  else if (isKeyword(argv[2], 'lib-ver')) client.libraryVersion = argv[3];
  else {
    client.out.error(`ERR Unrecognized option '${argv[2]}'`);
    return;
  }
  ok(client);
}

/**
 * CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p]... [OPTIN] [OPTOUT] [NOLOOP], with
 * Redis's checks in its order.
 */
export function clientTracking(client: Client, argv: string[], engine: Engine): void {
  let redirect = 0;
  let broadcast = false;
  let optIn = false;
  let optOut = false;
  let noLoop = false;
  const prefixes: string[] = [];
  for (let i = 3; i < argv.length; i++) {
    const hasNext = i + 1 < argv.length;
    const option = argv[i];
    if (isKeyword(option, 'redirect') && hasNext) {
      if (redirect !== 0) {
        client.out.error('ERR A client can only redirect to a single other client');
        return;
      }
      const id = integerArgument(client, argv[++i]);
      if (id === null) return;
      if (!engine.clients.has(id)) {
        client.out.error('ERR The client ID you want redirect to does not exist');
        return;
      }
      redirect = id;
    } else if (isKeyword(option, 'bcast')) broadcast = true;
    else if (isKeyword(option, 'optin')) optIn = true;
    else if (isKeyword(option, 'optout')) optOut = true;
    else if (isKeyword(option, 'noloop')) noLoop = true;
    else if (isKeyword(option, 'prefix') && hasNext) prefixes.push(argv[++i]);
    else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  if (isKeyword(argv[2], 'off')) {
    engine.tracking.disable(client);
    ok(client);
    return;
  }
  if (!isKeyword(argv[2], 'on')) {
    client.out.error(Errors.syntax);
    return;
  }
  const error = trackingOnRefusal(client, engine, { broadcast, optIn, optOut }, prefixes);
  if (error !== null) {
    client.out.error(error);
    return;
  }
  engine.tracking.enable(client, { redirect, broadcast, optIn, optOut, noLoop }, prefixes);
  ok(client);
}

/** Why CLIENT TRACKING ON cannot take these options now, or null. */
function trackingOnRefusal(
  client: Client,
  engine: Engine,
  asked: { broadcast: boolean; optIn: boolean; optOut: boolean },
  prefixes: readonly string[],
): string | null {
  const current = client.tracking;
  if (!asked.broadcast && prefixes.length !== 0) {
    return 'ERR PREFIX option requires BCAST mode to be enabled';
  }
  if (current !== null && current.broadcast !== asked.broadcast) {
    return "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";
  }
  if (asked.broadcast && (asked.optIn || asked.optOut)) {
    return 'ERR OPTIN and OPTOUT are not compatible with BCAST';
  }
  if (asked.optIn && asked.optOut) return "ERR You can't specify both OPTIN mode and OPTOUT mode";
  if ((asked.optIn && current?.optOut) || (asked.optOut && current?.optIn)) {
    return "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";
  }
  return asked.broadcast ? engine.tracking.prefixCollision(client, prefixes) : null;
}

/** CLIENT CACHING YES|NO: whether the next command's keys are tracked in OPTIN/OPTOUT mode. */
export function clientCaching(client: Client, argv: string[]): void {
  const state = client.tracking;
  if (state === null) {
    client.out.error(
      'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
    );
    return;
  }
  if (isKeyword(argv[2], 'yes')) {
    if (!state.optIn) {
      client.out.error(
        'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.',
      );
      return;
    }
  } else if (isKeyword(argv[2], 'no')) {
    if (!state.optOut) {
      client.out.error(
        'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.',
      );
      return;
    }
  } else {
    client.out.error(Errors.syntax);
    return;
  }
  state.caching = true;
  ok(client);
}

export function clientGetredir(client: Client): void {
  client.out.integer(client.tracking?.redirect ?? -1);
}

export function clientTrackinginfo(client: Client): void {
  const state = client.tracking;
  const flags = [state === null ? 'off' : 'on'];
  if (state !== null) {
    if (state.broadcast) flags.push('bcast');
    if (state.optIn) flags.push('optin');
    if (state.optIn && state.caching) flags.push('caching-yes');
    if (state.optOut) flags.push('optout');
    if (state.optOut && state.caching) flags.push('caching-no');
    if (state.noLoop) flags.push('noloop');
    if (state.brokenRedirect) flags.push('broken_redirect');
  }
  const out = client.out;
  out.map(3);
  out.bulk('flags');
  out.set(flags.length);
  for (const flag of flags) out.bulk(flag);
  out.bulk('redirect');
  out.integer(state?.redirect ?? -1);
  out.bulk('prefixes');
  const prefixes = [...(state?.prefixes ?? [])].sort();
  out.array(prefixes.length);
  for (const prefix of prefixes) out.bulk(prefix);
}

const CLIENT_HELP: readonly string[] = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'HELP',
  '    Prints this help.',
];

export function clientHelp(client: Client): void {
  replyHelp(client, CLIENT_HELP);
}
