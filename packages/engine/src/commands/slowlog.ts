import type { Client } from '../client.js';
import { subcommandSyntaxError } from '../errors.js';
import type { Engine } from '../engine.js';
import { parseInteger } from '../numbers.js';
import { container, helpSubcommand, NO_KEYS } from '../command-rows.js';
import { helpReply, ok } from '../replies.js';

/** SLOWLOG GET [count]: the newest `count` entries (10 by default, -1 for all). */
function get(client: Client, argv: string[], engine: Engine): void {
  if (argv.length > 3) {
    engine.replyError(client, subcommandSyntaxError('slowlog', argv[1]));
    return;
  }
  let count = 10;
  if (argv.length === 3) {
    const parsed = parseInteger(argv[2]);
    if (parsed === null || parsed < -1) {
      engine.replyError(client, 'ERR count should be greater than or equal to -1');
      return;
    }
    count = Number(parsed) === -1 ? engine.slowlog.length : Number(parsed);
  }
  const out = client.out;
  const entries = engine.slowlog.newest(count);
  out.array(entries.length);
  for (const entry of entries) {
    out.array(6);
    out.integer(entry.id);
    out.integer(entry.time);
    out.integer(entry.microseconds);
    out.array(entry.argv.length);
    for (const argument of entry.argv) out.bulk(argument);
    out.bulk(entry.peer);
    out.bulk(entry.clientName);
  }
}

function len(client: Client, _argv: string[], engine: Engine): void {
  client.out.integer(engine.slowlog.length);
}

function reset(client: Client, _argv: string[], engine: Engine): void {
  engine.slowlog.reset();
  ok(client);
}

const help = helpReply([
  'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
  'HELP',
  '    Prints this help.',
]);

const FLAGS: ['admin', 'loading', 'stale'] = ['admin', 'loading', 'stale'];

export const slowlogCommand = container('slowlog', 'A container for slow log commands', '2.2.12', [
  ['get', -2, FLAGS, NO_KEYS, get, "Get the slow log's entries", '2.2.12'],
  ['len', 2, FLAGS, NO_KEYS, len, "Get the slow log's length", '2.2.12'],
  ['reset', 2, FLAGS, NO_KEYS, reset, 'Clear all entries from the slow log', '2.2.12'],
  helpSubcommand(help, '6.2.0'),
]);
