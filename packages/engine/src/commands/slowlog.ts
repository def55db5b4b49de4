import type { Client } from '../client.js';
import { subcommandSyntaxError } from '../errors.js';
import type { Engine } from '../engine.js';
import { parseInteger } from '../numbers.js';
import { ok, replyHelp } from '../replies.js';

/** SLOWLOG GET [count]: the newest `count` entries (10 by default, -1 for all). */
export function slowlogGet(client: Client, argv: string[], engine: Engine): void {
  if (argv.length > 3) {
    client.out.error(subcommandSyntaxError('slowlog', argv[1]));
    return;
  }
  let count = 10;
  if (argv.length === 3) {
    const parsed = parseInteger(argv[2]);
    if (parsed === null || parsed < -1) {
      client.out.error('ERR count should be greater than or equal to -1');
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

export function slowlogLen(client: Client, _argv: string[], engine: Engine): void {
  client.out.integer(engine.slowlog.length);
}

export function slowlogReset(client: Client, _argv: string[], engine: Engine): void {
  engine.slowlog.reset();
  ok(client);
}

const SLOWLOG_HELP: readonly string[] = [
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
];

export function slowlogHelp(client: Client): void {
  replyHelp(client, SLOWLOG_HELP);
}
