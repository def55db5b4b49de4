import { createHash, timingSafeEqual } from 'node:crypto';
import type { AclCommands } from './acl-commands.js';
import { hasSpaces, type RuleError } from './rule-error.js';
import { type Denial, KeysOfCall, Selector, moreRelevant } from './selector.js';
import type { CommandEntry } from '../command-table.js';

/** Redis's user flags, in the order ACL LIST and ACL GETUSER show them. */
const FLAG_ORDER = ['on', 'off', 'nopass', 'skip-sanitize-payload', 'sanitize-payload'] as const;
type UserFlag = (typeof FLAG_ORDER)[number];

/** SHA-256 in hex, as ACL users keep their passwords. */
export function hashPassword(password: string): string {
  return createHash('sha256').update(password, 'latin1').digest('hex');
}

function isPasswordHash(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}

/** A selector between parentheses: "(~key* +get)". */
function isSelectorRule(op: string): boolean {
  return op.length >= 2 && op[0] === '(' && op[op.length - 1] === ')';
}

/**
 * An ACL user: whether it is on, its password hashes, its payload sanitizing choice, and its
 * selectors (the root one first). Rules are applied one at a time, as ACL SETUSER's arguments.
 */
export class AclUser {
  enabled = false;
  noPassword = false;
  /** skip-sanitize-payload / sanitize-payload, or neither until one is set. */
  sanitizePayload: 'skip' | 'sanitize' | null = null;
  passwords: string[] = [];
  selectors: Selector[];
  /** ACL LIST's text, kept until a rule changes the user (Redis's acl_string). */
  private description: string | null = null;

  constructor(
    readonly name: string,
    private readonly commands: AclCommands,
    /** acl-pubsub-default: whether new selectors start with every channel. */
    private readonly channelsByDefault: () => boolean,
  ) {
    this.selectors = [this.newSelector(true)];
  }

  private newSelector(root: boolean): Selector {
    const selector = new Selector(this.commands, root);
    selector.allChannels = this.channelsByDefault();
    return selector;
  }

  get root(): Selector {
    return this.selectors[0];
  }

  /** Can run anything: no permission check is needed. */
  get unrestricted(): boolean {
    return this.root.unrestricted;
  }

  /** A copy to stage rules on, so that a failing rule changes nothing. */
  clone(name = this.name): AclUser {
    const copy = new AclUser(name, this.commands, this.channelsByDefault);
    copy.copyFrom(this);
    return copy;
  }

  /** Takes every rule of `other`, keeping this user's name (Redis's ACLCopyUser). */
  copyFrom(other: AclUser): void {
    this.enabled = other.enabled;
    this.noPassword = other.noPassword;
    this.sanitizePayload = other.sanitizePayload;
    this.passwords = [...other.passwords];
    this.selectors = other.selectors.map((selector) => selector.clone());
    this.description = other.description;
  }

  /** Redis's ACLSetUser: one rule, or why it cannot apply. */
  apply(op: string): RuleError | null {
    this.description = null;
    if (op === '') return null;
    const lower = op.toLowerCase();
    switch (lower) {
      case 'on':
        this.enabled = true;
        return null;
      case 'off':
        this.enabled = false;
        return null;
      case 'skip-sanitize-payload':
        this.sanitizePayload = 'skip';
        return null;
      case 'sanitize-payload':
        this.sanitizePayload = 'sanitize';
        return null;
      case 'nopass':
        this.noPassword = true;
        this.passwords = [];
        return null;
      case 'resetpass':
        this.noPassword = false;
        this.passwords = [];
        return null;
      case 'clearselectors':
        this.selectors = [this.root];
        return null;
      case 'reset':
        this.noPassword = false;
        this.passwords = [];
        this.root.apply('resetkeys');
        this.root.apply(this.channelsByDefault() ? 'allchannels' : 'resetchannels');
        this.enabled = false;
        this.sanitizePayload = 'sanitize';
        this.selectors = [this.root];
        this.root.apply('-@all');
        return null;
    }
    if (op[0] === '>' || op[0] === '#') {
      const hash = op[0] === '>' ? hashPassword(op.slice(1)) : op.slice(1);
      if (op[0] === '#' && !isPasswordHash(hash)) return 'bad-hash';
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.noPassword = false;
      return null;
    }
    if (op[0] === '<' || op[0] === '!') {
      const hash = op[0] === '<' ? hashPassword(op.slice(1)) : op.slice(1);
      if (op[0] === '!' && !isPasswordHash(hash)) return 'bad-hash';
      const at = this.passwords.indexOf(hash);
      if (at === -1) return 'no-such-password';
      this.passwords.splice(at, 1);
      return null;
    }
    if (isSelectorRule(op)) {
      const selector = this.newSelector(false);
      for (const rule of splitSelector(op)) {
        const error = selector.apply(rule);
        if (error !== null) return error;
      }
      this.selectors.push(selector);
      return null;
    }
    return this.root.apply(op);
  }

  /** Whether `password` logs in as this user (disabled users never do). */
  accepts(password: string): boolean {
    if (!this.enabled) return false;
    if (this.noPassword) return true;
    const hash = Buffer.from(hashPassword(password), 'latin1');
    let match = false;
    for (const stored of this.passwords) {
      if (timingSafeEqual(hash, Buffer.from(stored, 'latin1'))) match = true;
    }
    return match;
  }

  /**
   * Redis's ACLCheckAllUserCommandPerm: null when a selector allows the call, else the most
   * relevant refusal among them.
   */
  check(entry: CommandEntry, argv: readonly string[]): Denial | null {
    if (this.selectors.length === 1) return this.root.check(entry, argv);
    const keys = new KeysOfCall(entry, argv);
    let relevant: Denial = { kind: 'command', index: 0 };
    for (const selector of this.selectors) {
      const denial = selector.check(entry, argv, keys);
      if (denial === null) return null;
      if (moreRelevant(denial, relevant)) relevant = denial;
    }
    return relevant;
  }

  /** Whether any selector allows the call with `access` to every key (SORT's BY and GET). */
  mayRunWithEveryKey(entry: CommandEntry, argv: readonly string[], access: number): boolean {
    const keys = new KeysOfCall(entry, argv);
    return this.selectors.some(
      (selector) =>
        selector.check(entry, argv, keys) === null && selector.hasUnrestrictedKeys(access),
    );
  }

  mayAccessKey(key: string, access: number): boolean {
    return this.selectors.some((selector) => selector.mayAccessKey(key, access));
  }

  mayUseChannel(channel: string, isPattern: boolean): boolean {
    return this.selectors.some((selector) => selector.mayUseChannel(channel, isPattern));
  }

  get flags(): UserFlag[] {
    return FLAG_ORDER.filter((flag) => {
      switch (flag) {
        case 'on':
          return this.enabled;
        case 'off':
          return !this.enabled;
        case 'nopass':
          return this.noPassword;
        case 'skip-sanitize-payload':
          return this.sanitizePayload === 'skip';
        case 'sanitize-payload':
          return this.sanitizePayload === 'sanitize';
      }
    });
  }

  /** Redis's ACLDescribeUser: the rules that rebuild this user, as ACL LIST shows them. */
  describe(): string {
    if (this.description !== null) return this.description;
    let text = '';
    for (const flag of this.flags) text += `${flag} `;
    for (const hash of this.passwords) text += `#${hash} `;
    for (const selector of this.selectors) {
      text += selector.root ? selector.describe() : ` (${selector.describe()})`;
    }
    this.description = text;
    return text;
  }
}

/** The rules inside "( ... )", split as Redis's sdssplitargs would. */
function splitSelector(op: string): string[] {
  return op
    .slice(1, -1)
    .split(/[ \t\n\r\v\f]+/)
    .filter((word) => word !== '');
}

/** Redis's ACLStringHasSpaces for user names. */
export function validUserName(name: string): boolean {
  return !hasSpaces(name);
}
