import type { CommandTable } from '../command-table.js';
import { AclCommands } from './acl-commands.js';
import { AclLog } from './acl-log.js';
import { ruleErrorMessage } from './rule-error.js';
import { AclUser, validUserName } from './user.js';

/**
 * Selector rules may be written over several arguments ("(~a*", "+get)"): joins them, or
 * returns the index of the argument that opened a parenthesis never closed.
 */
export function mergeSelectorArguments(ops: readonly string[]): string[] | { unmatched: number } {
  const merged: string[] = [];
  let open = -1;
  let selector = '';
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      selector = op;
      open = i;
      continue;
    }
    if (open !== -1) {
      selector += ` ${op}`;
      if (op[op.length - 1] === ')') {
        open = -1;
        merged.push(selector);
      }
      continue;
    }
    merged.push(op);
  }
  return open === -1 ? merged : { unmatched: open };
}

/** The users, the default one always among them, and the ACL log. */
export class AccessControl {
  readonly commands: AclCommands;
  readonly log = new AclLog();
  /** acl-pubsub-default is allchannels: what new users and selectors start with. */
  channelsByDefault = false;
  private users = new Map<string, AclUser>();
  /** The same object for the server's whole life: clients keep it across ACL LOAD. */
  readonly defaultUser: AclUser;
  /** Called with each user deleted or replaced, so its clients can be disconnected. */
  onUserRemoved: (user: AclUser) => void = () => {};
  /** Called when a user's channels narrowed, to drop its subscribers that lost access. */
  onChannelsNarrowed: (user: AclUser) => void = () => {};

  constructor(table: CommandTable) {
    this.commands = new AclCommands(table);
    this.defaultUser = this.createDefaultUser();
    this.users.set('default', this.defaultUser);
  }

  private newUser(name: string): AclUser {
    return new AclUser(name, this.commands, () => this.channelsByDefault);
  }

  private createDefaultUser(): AclUser {
    const user = this.newUser('default');
    for (const rule of ['+@all', '~*', '&*', 'on', 'nopass']) user.apply(rule);
    return user;
  }

  /** A user belonging to no one, to try rules on. */
  stagingUser(): AclUser {
    return this.newUser('');
  }

  get(name: string): AclUser | undefined {
    return this.users.get(name);
  }

  /** Every user, by name in byte order (Redis keeps them in a radix tree). */
  all(): AclUser[] {
    return [...this.users.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }

  /** The user `name` logs in as with `password`, or null (unknown, off or wrong password). */
  authenticate(name: string, password: string): AclUser | null {
    const user = this.users.get(name);
    return user !== undefined && user.accepts(password) ? user : null;
  }

  /** Whether new connections are logged in as the default user without AUTH. */
  get openByDefault(): boolean {
    return this.defaultUser.noPassword && this.defaultUser.enabled;
  }

  /** requirepass: the default user's only password, or none at all when empty. */
  setDefaultPassword(password: string): void {
    this.defaultUser.apply('resetpass');
    this.defaultUser.apply(password === '' ? 'nopass' : `>${password}`);
  }

  /**
   * ACL SETUSER: applies every rule to a copy of the user (a new one when it does not exist),
   * and only then to the user itself. Returns Redis's error text when a rule is refused.
   */
  setUser(name: string, ops: readonly string[]): string | null {
    const merged = mergeSelectorArguments(ops);
    if (!Array.isArray(merged)) {
      return `Unmatched parenthesis in acl selector starting at '${ops[merged.unmatched]}'.`;
    }
    const existing = this.users.get(name);
    const staged = existing?.clone() ?? this.newUser(name);
    for (const op of merged) {
      const error = staged.apply(op);
      if (error !== null) {
        return `Error in ACL SETUSER modifier '${op}': ${ruleErrorMessage(error)}`;
      }
    }
    if (existing === undefined) {
      this.users.set(name, staged);
      return null;
    }
    const narrowed = channelsNarrowed(existing, staged);
    existing.copyFrom(staged);
    if (narrowed) this.onChannelsNarrowed(existing);
    return null;
  }

  /** ACL DELUSER of users other than default: how many existed. */
  deleteUsers(names: readonly string[]): number {
    let deleted = 0;
    for (const name of names) {
      const user = this.users.get(name);
      if (user === undefined) continue;
      this.users.delete(name);
      this.onUserRemoved(user);
      deleted++;
    }
    return deleted;
  }

  /**
   * Users from the config file (`user` lines, at startup): each line's rules, or the log line
   * Redis writes before it exits. The default user is reset before its rules apply.
   */
  loadConfigured(lines: readonly (readonly string[])[]): string | null {
    for (const [name, ...rules] of lines) {
      if (!validUserName(name)) return 'Spaces not allowed in ACL usernames';
      let user = this.users.get(name);
      if (user === undefined) {
        user = this.newUser(name);
        this.users.set(name, user);
      } else user.apply('reset');
      for (const rule of rules) {
        const error = user.apply(rule);
        if (error !== null) {
          return `Error loading ACL rule '${rule}' for the user named '${name}': ${ruleErrorMessage(error)}`;
        }
      }
    }
    return null;
  }

  /**
   * ACL LOAD and the aclfile at startup: every line must be a valid `user` line, or nothing
   * changes and Redis's errors are returned, all in one line.
   */
  loadFile(text: string, fileName: string): string | null {
    const loaded = new Map<string, AclUser>();
    let errors = '';
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      const number = i + 1;
      if (line === '') continue;
      const words = line.split(' ').filter((word) => word !== '');
      if (words.length === 0) continue;
      if (words[0] !== 'user' || words.length < 2) {
        errors += `${fileName}:${number} should start with user keyword followed by the username. `;
        continue;
      }
      const name = words[1];
      if (!validUserName(name)) {
        errors += `'${fileName}:${number}: username '${name}' contains invalid characters. `;
        continue;
      }
      if (loaded.has(name)) {
        errors += `WARNING: Duplicate user '${name}' found on line ${number}. `;
        continue;
      }
      const user = this.newUser(name);
      loaded.set(name, user);
      const merged = mergeSelectorArguments(words.slice(2));
      if (!Array.isArray(merged)) {
        errors += `${fileName}:${number}: Unmatched parenthesis in selector definition.`;
        continue;
      }
      let syntaxError = false;
      for (const rule of merged) {
        const error = user.apply(rule.replace(/^[\t\r\n]+|[\t\r\n]+$/g, ''));
        if (error === 'unknown-name') {
          errors += `${fileName}:${number}: Error in applying operation '${rule}': ${ruleErrorMessage(error)}. `;
        } else if (error !== null && !syntaxError) {
          errors += `${fileName}:${number}: ${ruleErrorMessage(error)}. `;
          syntaxError = true;
        }
      }
    }
    if (errors !== '') {
      return `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`;
    }
    const fileDefault = loaded.get('default');
    this.defaultUser.copyFrom(fileDefault ?? this.createDefaultUser());
    loaded.set('default', this.defaultUser);
    const previous = this.users;
    this.users = loaded;
    for (const [name, user] of previous) if (name !== 'default') this.onUserRemoved(user);
    return null;
  }

  /** ACL SAVE's file and CONFIG REWRITE's user lines: one `user` line per user. */
  userLines(): string[] {
    return this.all().map((user) => `user ${user.name} ${user.describe()}`);
  }
}

/**
 * Whether some subscriber of `before` may have lost a channel: true unless `after` allows
 * every channel, or had none of `before`'s unlimited access and keeps every pattern it had.
 */
function channelsNarrowed(before: AclUser, after: AclUser): boolean {
  if (after.selectors.some((selector) => selector.allChannels)) return false;
  const kept = new Set(after.selectors.flatMap((selector) => selector.channelPatterns));
  return before.selectors.some(
    (selector) =>
      selector.allChannels || selector.channelPatterns.some((pattern) => !kept.has(pattern)),
  );
}
