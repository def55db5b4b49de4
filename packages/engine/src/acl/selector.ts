import type { CommandEntry } from '../command-table.js';
import { commandKeys, type KeyReference } from '../command-metadata/command-keys.js';
import { metadataOf } from '../command-metadata/command-description.js';
import { compileGlob, globMatch } from '../glob.js';
import {
  type AclCommands,
  accessOf,
  CATEGORY_COUNT,
  categoryIndex,
  categoryName,
  KEY_READ,
  KEY_WRITE,
} from './acl-commands.js';
import { commandChannels } from './channels.js';
import { hasSpaces, type RuleError } from './rule-error.js';

interface KeyPattern {
  readonly pattern: string;
  readonly matches: (key: string) => boolean;
  access: number;
}

/** Why a command was refused, in Redis's order of relevance (a later kind wins in logs). */
export type DenialKind = 'command' | 'key' | 'channel';
const RELEVANCE: Record<DenialKind, number> = { command: 1, key: 2, channel: 4 };

export interface Denial {
  readonly kind: DenialKind;
  /** The argv index of the refused key or channel (0 for a command). */
  readonly index: number;
}

/** The keys of a call, found once however many selectors look at them. */
export class KeysOfCall {
  private keys: KeyReference[] | null = null;
  constructor(
    readonly entry: CommandEntry,
    readonly argv: readonly string[],
  ) {}

  get(): KeyReference[] {
    this.keys ??= commandKeys(metadataOf(this.entry), this.argv);
    return this.keys;
  }
}

/**
 * One set of permissions (Redis's aclSelector): commands by bitmap, key patterns, channel
 * patterns. A user has a root selector plus any number of `(...)` ones; a command is allowed
 * when one of them allows it whole.
 */
export class Selector {
  allKeys = false;
  allChannels = false;
  /** A fast path: every bit is set and nothing was removed since +@all. */
  allCommands = false;
  private allowed: Uint8Array;
  /** Allowed first arguments of otherwise refused commands (+select|0), by command id. */
  private firstArgs: Map<number, string[]> | null = null;
  private keys: KeyPattern[] = [];
  private channels: string[] = [];

  constructor(
    private readonly commands: AclCommands,
    readonly root: boolean,
  ) {
    this.allowed = new Uint8Array(commands.bitmapLength);
  }

  clone(): Selector {
    const copy = new Selector(this.commands, this.root);
    copy.allKeys = this.allKeys;
    copy.allChannels = this.allChannels;
    copy.allCommands = this.allCommands;
    copy.allowed = this.allowed.slice();
    if (this.firstArgs !== null) {
      copy.firstArgs = new Map([...this.firstArgs].map(([id, args]) => [id, [...args]]));
    }
    copy.keys = this.keys.map((key) => ({ ...key }));
    copy.channels = [...this.channels];
    return copy;
  }

  /** Whether everything is allowed, so no check needs to run. */
  get unrestricted(): boolean {
    return this.allCommands && this.allKeys && this.allChannels;
  }

  /** Redis's ACLSetSelector: one rule, or why it cannot apply. */
  apply(op: string): RuleError | null {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || op === '~*') {
      this.allKeys = true;
      this.keys = [];
    } else if (lower === 'resetkeys') {
      this.allKeys = false;
      this.keys = [];
    } else if (lower === 'allchannels' || op === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lower === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      this.allowed.fill(1);
      this.allCommands = true;
      this.firstArgs = null;
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.allowed.fill(0);
      this.allCommands = false;
      this.firstArgs = null;
    } else if (op[0] === '~' || op[0] === '%') {
      return this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if (this.allChannels) return 'channel-after-all';
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) return 'syntax';
      if (!this.channels.includes(pattern)) this.channels.push(pattern);
      this.allChannels = false;
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const category = categoryIndex(op.slice(2));
      if (category === -1) return 'unknown-name';
      this.setCategory(category, op[0] === '+');
    } else if (op[0] === '+') {
      return this.allowCommand(op.slice(1));
    } else if (op[0] === '-') {
      const entry = this.commands.lookup(op.slice(1));
      if (entry === undefined) return 'unknown-name';
      this.setCommand(entry, false);
    } else return 'syntax';
    return null;
  }

  private addKeyPattern(op: string): RuleError | null {
    if (this.allKeys) return 'key-after-all';
    let access = 0;
    let offset = 1;
    if (op[0] === '%') {
      for (; offset < op.length; offset++) {
        const c = op[offset].toUpperCase();
        if (c === 'R' && (access & KEY_READ) === 0) access |= KEY_READ;
        else if (c === 'W' && (access & KEY_WRITE) === 0) access |= KEY_WRITE;
        else if (op[offset] === '~') {
          offset++;
          break;
        } else return 'syntax';
      }
    } else access = KEY_READ | KEY_WRITE;
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) return 'syntax';
    const existing = this.keys.find((key) => key.pattern === pattern);
    if (existing === undefined) this.keys.push({ pattern, matches: compileGlob(pattern), access });
    else existing.access |= access;
    this.allKeys = false;
    return null;
  }

  /** +command, +container|subcommand, or +command|first-arg for commands without subcommands. */
  private allowCommand(name: string): RuleError | null {
    const bar = name.lastIndexOf('|');
    if (bar === -1) {
      const entry = this.commands.lookup(name);
      if (entry === undefined) return 'unknown-name';
      this.setCommand(entry, true);
      return null;
    }
    const entry = this.commands.lookup(name.slice(0, bar));
    if (entry === undefined) return 'unknown-name';
    if (entry.parent !== null) return 'first-arg-of-subcommand';
    const firstArg = name.slice(bar + 1);
    if (firstArg === '') return 'syntax';
    if (entry.subcommands !== null) {
      const sub = this.commands.lookup(name);
      if (sub === undefined) return 'unknown-name';
      this.setCommand(sub, true);
      return null;
    }
    this.addFirstArg(entry.id, firstArg);
    return null;
  }

  private addFirstArg(id: number, firstArg: string): void {
    this.firstArgs ??= new Map();
    const args = this.firstArgs.get(id) ?? [];
    if (!args.some((arg) => arg.toLowerCase() === firstArg.toLowerCase())) args.push(firstArg);
    this.firstArgs.set(id, args);
  }

  /** Redis's ACLChangeSelectorPerm: a container's subcommands follow it. */
  private setCommand(entry: CommandEntry, allow: boolean): void {
    this.setBit(entry.id, allow);
    this.firstArgs?.delete(entry.id);
    for (const sub of entry.subcommands?.values() ?? []) this.setBit(sub.id, allow);
  }

  private setBit(id: number, allow: boolean): void {
    this.allowed[id] = allow ? 1 : 0;
    if (!allow) this.allCommands = false;
  }

  private setCategory(category: number, allow: boolean): void {
    for (const entry of this.commands.ofCategory(category)) this.setCommand(entry, allow);
  }

  /**
   * Redis's ACLSelectorCheckCmd: null when this selector allows the whole call. `keys` shares
   * the keys found the general way between a user's selectors.
   */
  check(
    entry: CommandEntry,
    argv: readonly string[],
    keys: KeysOfCall | null = null,
  ): Denial | null {
    const commands = this.commands;
    if (!this.allCommands && !this.allowed[entry.id] && !commands.isOpen(entry)) {
      const args = this.firstArgs?.get(entry.id);
      const firstArg = argv[entry.parent === null ? 1 : 2];
      if (
        args === undefined ||
        firstArg === undefined ||
        !args.some((arg) => arg.toLowerCase() === firstArg.toLowerCase())
      ) {
        return { kind: 'command', index: 0 };
      }
    }
    if (!this.allKeys) {
      const plan = commands.keyPlan(entry);
      if (plan.kind === 'range') {
        const argc = argv.length;
        const last = plan.last >= 0 ? plan.last : argc + plan.last;
        if (last < argc && last >= plan.first && plan.first < argc) {
          for (let index = plan.first; index <= last; index += plan.step) {
            if (!this.mayAccessKey(argv[index], plan.access)) return { kind: 'key', index };
          }
        }
      } else if (plan.kind === 'general') {
        for (const key of (keys ?? new KeysOfCall(entry, argv)).get()) {
          if (!this.mayAccessKey(argv[key.index], accessOf(key.flags))) {
            return { kind: 'key', index: key.index };
          }
        }
      }
    }
    if (!this.allChannels && commands.takesChannels(entry)) {
      for (const channel of commandChannels(entry, argv)) {
        if (!this.mayUseChannel(argv[channel.index], channel.pattern)) {
          return { kind: 'channel', index: channel.index };
        }
      }
    }
    return null;
  }

  /** Redis's ACLSelectorCheckKey. */
  mayAccessKey(key: string, access: number): boolean {
    if (this.allKeys) return true;
    for (const pattern of this.keys) {
      if ((pattern.access & access) === access && pattern.matches(key)) return true;
    }
    return false;
  }

  /** Whether `~*` (or `%R~*`... for `access`) grants every key. */
  hasUnrestrictedKeys(access: number): boolean {
    if (this.allKeys) return true;
    return this.keys.some((key) => (key.access & access) === access && key.pattern === '*');
  }

  /** A channel is matched by the patterns; a PSUBSCRIBE pattern only by an equal one. */
  mayUseChannel(channel: string, isPattern: boolean): boolean {
    if (this.allChannels) return true;
    return this.channels.some((allowed) =>
      isPattern ? allowed === channel : globMatch(allowed, channel),
    );
  }

  /** The channel patterns, for checking whether a user change narrows them. */
  get channelPatterns(): readonly string[] {
    return this.channels;
  }

  /** ACL LIST's form: keys, channels, then the command rules. */
  describe(): string {
    let text = this.allKeys ? '~* ' : this.keys.map((key) => `${keyPatternText(key)} `).join('');
    if (this.allChannels) text += '&* ';
    else {
      text += 'resetchannels ';
      for (const channel of this.channels) text += `&${channel} `;
    }
    return text + this.commandRules();
  }

  /** ACL GETUSER's keys field. */
  describeKeys(): string {
    return this.allKeys ? '~*' : this.keys.map(keyPatternText).join(' ');
  }

  /** ACL GETUSER's channels field. */
  describeChannels(): string {
    return this.allChannels ? '&*' : this.channels.map((channel) => `&${channel}`).join(' ');
  }

  /**
   * Redis's ACLDescribeSelectorCommandRules: +@all or -@all (whether future commands are
   * allowed), then the categories that best fit the bitmap, then single commands for what is
   * still different, each rule applied to a scratch selector as it is written.
   */
  commandRules(): string {
    const additive = !this.allowed[this.commands.futureSlot];
    const rules: string[] = [additive ? '-@all' : '+@all'];
    const written = new Selector(this.commands, false);
    written.apply(rules[0]);
    // Categories are counted against what is left to explain.
    const left = new Selector(this.commands, false);
    left.allowed = this.allowed.slice();
    const applied = new Array<boolean>(CATEGORY_COUNT).fill(false);
    for (;;) {
      let best = -1;
      let leastDifferent = Number.MAX_SAFE_INTEGER;
      let mostSame = 0;
      for (let category = 0; category < CATEGORY_COUNT; category++) {
        if (applied[category]) continue;
        let on = 0;
        let off = 0;
        for (const entry of this.commands.ofCategory(category)) {
          if (left.allowed[entry.id]) on++;
          else off++;
        }
        const different = additive ? off : on;
        const same = additive ? on : off;
        if (
          same > different &&
          (different < leastDifferent || (different === leastDifferent && same > mostSame))
        ) {
          best = category;
          leastDifferent = different;
          mostSame = same;
        }
      }
      if (best === -1) break;
      const name = categoryName(best);
      rules.push(`${additive ? '+' : '-'}@${name}`);
      written.setCategory(best, additive);
      left.setCategory(best, !additive);
      applied[best] = true;
    }
    for (const entry of this.commands.topLevel) this.singleCommandRules(entry, written, rules);
    return rules.join(' ');
  }

  private singleCommandRules(entry: CommandEntry, written: Selector, rules: string[]): void {
    const allowed = this.allowed[entry.id] === 1;
    if (allowed !== (written.allowed[entry.id] === 1)) {
      rules.push(`${allowed ? '+' : '-'}${entry.fullName}`);
      written.setCommand(entry, allowed);
    }
    for (const sub of entry.subcommands?.values() ?? []) {
      this.singleCommandRules(sub, written, rules);
    }
    if (!allowed) {
      for (const arg of this.firstArgs?.get(entry.id) ?? []) {
        rules.push(`+${entry.fullName}|${arg}`);
      }
    }
  }
}

function keyPatternText(key: KeyPattern): string {
  const prefix =
    key.access === (KEY_READ | KEY_WRITE) ? '~' : key.access === KEY_READ ? '%R~' : '%W~';
  return prefix + key.pattern;
}

/** Orders denials as Redis picks the one to report: the most relevant kind, then the latest. */
export function moreRelevant(a: Denial, b: Denial): boolean {
  const kind = RELEVANCE[a.kind] - RELEVANCE[b.kind];
  return kind > 0 || (kind === 0 && a.index > b.index);
}
