import { randomBytes } from 'node:crypto';
import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { arityError, subcommandSyntaxError } from '../errors.js';
import { ACL_CATEGORIES } from '../command-metadata/command-description.js';
import { categoryIndex } from '../acl/acl-commands.js';
import { loadAclFile, saveAclFile } from '../acl/acl-file.js';
import type { Selector } from '../acl/selector.js';
import { validUserName } from '../acl/user.js';
import { ok, replyHelp } from '../replies.js';
import { integerArgument, redactArgument } from '../arguments.js';

/** ACL SETUSER username [rule ...]: every rule applies, or none. */
export function aclSetuser(client: Client, argv: string[], engine: Engine): void {
  const [name, ...rules] = argv.slice(2);
  // SLOWLOG and MONITOR must not see the rules: they may hold passwords.
  for (let i = 2; i < argv.length; i++) redactArgument(argv, i);
  if (!validUserName(name)) {
    client.out.error("ERR Usernames can't contain spaces or null characters");
    return;
  }
  const error = engine.acl.setUser(name, rules);
  if (error === null) ok(client);
  else client.out.error(`ERR ${error}`);
}

/** ACL DELUSER username [...]: how many existed; the default user stays. */
export function aclDeluser(client: Client, argv: string[], engine: Engine): void {
  const names = argv.slice(2);
  if (names.includes('default')) {
    client.out.error("ERR The 'default' user cannot be removed");
    return;
  }
  client.out.integer(engine.acl.deleteUsers(names));
}

export function aclGetuser(client: Client, argv: string[], engine: Engine): void {
  const user = engine.acl.get(argv[2]);
  const out = client.out;
  if (user === undefined) {
    out.nullBulk();
    return;
  }
  out.map(6);
  out.bulk('flags');
  const flags = user.flags;
  out.set(flags.length);
  for (const flag of flags) out.bulk(flag);
  out.bulk('passwords');
  out.array(user.passwords.length);
  for (const hash of user.passwords) out.bulk(hash);
  describeSelector(client, user.root);
  out.bulk('selectors');
  out.array(user.selectors.length - 1);
  for (const selector of user.selectors.slice(1)) {
    out.map(3);
    describeSelector(client, selector);
  }
}

function describeSelector(client: Client, selector: Selector): void {
  const out = client.out;
  out.bulk('commands');
  out.bulk(selector.commandRules());
  out.bulk('keys');
  out.bulk(selector.describeKeys());
  out.bulk('channels');
  out.bulk(selector.describeChannels());
}

export function aclList(client: Client, _argv: string[], engine: Engine): void {
  const lines = engine.acl.userLines();
  client.out.array(lines.length);
  for (const line of lines) client.out.bulk(line);
}

export function aclUsers(client: Client, _argv: string[], engine: Engine): void {
  const all = engine.acl.all();
  client.out.array(all.length);
  for (const user of all) client.out.bulk(user.name);
}

export function aclWhoami(client: Client): void {
  if (client.user === null) client.out.nullBulk();
  else client.out.bulk(client.user.name);
}

/** The aclfile, or null after replying that there is none. */
function aclFile(client: Client, engine: Engine): string | null {
  const path = engine.config.get('aclfile');
  if (path !== '') return path;
  client.out.error(
    'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.',
  );
  return null;
}

export function aclLoad(client: Client, _argv: string[], engine: Engine): void {
  const path = aclFile(client, engine);
  if (path === null) return;
  const errors = loadAclFile(engine.acl, path, engine.config.get('dir'));
  if (errors === null) ok(client);
  else client.out.error(`ERR ${errors}`);
}

export function aclSave(client: Client, _argv: string[], engine: Engine): void {
  const path = aclFile(client, engine);
  if (path === null) return;
  const failure = saveAclFile(engine.acl, path, engine.config.get('dir'));
  if (failure === null) {
    ok(client);
    return;
  }
  engine.log('warning', failure);
  client.out.error(
    'ERR There was an error trying to save the ACLs. Please check the server logs for more information',
  );
}

/** ACL CAT [category]: the categories, or the commands (and subcommands) of one. */
export function aclCat(client: Client, argv: string[], engine: Engine): void {
  const out = client.out;
  if (argv.length === 2) {
    out.array(ACL_CATEGORIES.length);
    for (const category of ACL_CATEGORIES) out.bulk(category);
    return;
  }
  if (argv.length > 3) {
    client.out.error(subcommandSyntaxError('acl', argv[1]));
    return;
  }
  const category = categoryIndex(argv[2]);
  if (category === -1) {
    client.out.error(`ERR Unknown category '${argv[2].slice(0, 128)}'`);
    return;
  }
  const names = [...engine.acl.commands.ofCategory(category)].map((entry) => entry.fullName);
  out.array(names.length);
  for (const name of names) out.bulk(name);
}

const MAX_GENERATED_BITS = 4096;

/** ACL GENPASS [bits]: a random password in hex, 256 bits unless asked otherwise. */
export function aclGenpass(client: Client, argv: string[]): void {
  if (argv.length > 3) {
    client.out.error(subcommandSyntaxError('acl', argv[1]));
    return;
  }
  let bits = 256;
  if (argv.length === 3) {
    const asked = integerArgument(client, argv[2]);
    if (asked === null) return;
    bits = asked;
  }
  if (bits <= 0 || bits > MAX_GENERATED_BITS) {
    client.out.error(
      `ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${MAX_GENERATED_BITS}`,
    );
    return;
  }
  const characters = Math.ceil(bits / 4);
  client.out.bulk(
    randomBytes(Math.ceil(characters / 2))
      .toString('hex')
      .slice(0, characters),
  );
}

/** ACL LOG [count | RESET]: the newest entries, 10 unless asked otherwise. */
export function aclLog(client: Client, argv: string[], engine: Engine): void {
  if (argv.length > 3) {
    client.out.error(subcommandSyntaxError('acl', argv[1]));
    return;
  }
  let count = 10;
  if (argv.length === 3) {
    if (argv[2].toLowerCase() === 'reset') {
      engine.acl.log.reset();
      ok(client);
      return;
    }
    const asked = integerArgument(client, argv[2]);
    if (asked === null) return;
    count = Math.max(0, asked);
  }
  const entries = engine.acl.log.newest(count);
  const now = Date.now();
  const out = client.out;
  out.array(entries.length);
  for (const entry of entries) {
    out.map(7);
    out.bulk('count');
    out.integer(entry.count);
    out.bulk('reason');
    out.bulk(entry.reason);
    out.bulk('context');
    out.bulk(entry.context);
    out.bulk('object');
    out.bulk(entry.object);
    out.bulk('username');
    out.bulk(entry.username);
    out.bulk('age-seconds');
    out.double((now - entry.time) / 1000);
    out.bulk('client-info');
    out.bulk(entry.clientInfo);
  }
}

/** ACL DRYRUN username command [arg ...]: whether the user could run the call. */
export function aclDryrun(client: Client, argv: string[], engine: Engine): void {
  const user = engine.acl.get(argv[2]);
  if (user === undefined) {
    client.out.error(`ERR User '${argv[2]}' not found`);
    return;
  }
  const call = argv.slice(3);
  const entry = engine.lookupCall(call);
  if (entry === undefined) {
    client.out.error(`ERR Command '${argv[3]}' not found`);
    return;
  }
  const arity = entry.spec.arity;
  if (arity > 0 ? call.length !== arity : call.length < -arity) {
    client.out.error(arityError(entry.fullName));
    return;
  }
  const denial = user.check(entry, call);
  if (denial === null) {
    ok(client);
    return;
  }
  const what =
    denial.kind === 'command'
      ? `run the '${entry.fullName}' command`
      : `access the '${call[denial.index]}' ${denial.kind}`;
  client.out.bulk(`This user has no permissions to ${what}`);
}

const ACL_HELP: readonly string[] = [
  'ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
  'HELP',
  '    Prints this help.',
];

export function aclHelp(client: Client): void {
  replyHelp(client, ACL_HELP);
}
