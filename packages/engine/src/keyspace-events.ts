import type { Client } from './client.js';
import type { Config } from './config.js';
import type { PubSub } from './pubsub.js';

/** notify-keyspace-events classes, one bit each as in Redis. */
export const EventClass = {
  keyspace: 1 << 0, // K
  keyevent: 1 << 1, // E
  generic: 1 << 2, // g
  string: 1 << 3, // $
  list: 1 << 4, // l
  set: 1 << 5, // s
  hash: 1 << 6, // h
  zset: 1 << 7, // z
  expired: 1 << 8, // x
  evicted: 1 << 9, // e
  stream: 1 << 10, // t
  keyMiss: 1 << 11, // m (not part of A)
  module: 1 << 13, // d
  newKey: 1 << 14, // n (not part of A)
} as const;

const ALL = 0b10011111111100; // g$lshzxetd
const LETTERS: ReadonlyArray<readonly [string, number]> = [
  ['g', EventClass.generic],
  ['$', EventClass.string],
  ['l', EventClass.list],
  ['s', EventClass.set],
  ['h', EventClass.hash],
  ['z', EventClass.zset],
  ['x', EventClass.expired],
  ['e', EventClass.evicted],
  ['t', EventClass.stream],
  ['d', EventClass.module],
  ['n', EventClass.newKey],
];

/** Parses the flag letters; null when one is not a class. */
export function parseEventFlags(text: string): number | null {
  let flags = 0;
  for (const letter of text) {
    if (letter === 'A') flags |= ALL;
    else if (letter === 'K') flags |= EventClass.keyspace;
    else if (letter === 'E') flags |= EventClass.keyevent;
    else if (letter === 'm') flags |= EventClass.keyMiss;
    else {
      const entry = LETTERS.find(([each]) => each === letter);
      if (!entry) return null;
      flags |= entry[1];
    }
  }
  return flags;
}

/**
 * Redis's canonical spelling of the flags, as CONFIG GET shows them: "A" stands for the whole
 * group and then hides 'n', which `keepNewKey` spells out (to store the flags without loss).
 */
export function formatEventFlags(flags: number, { keepNewKey = false } = {}): string {
  let text = '';
  if ((flags & ALL) === ALL) {
    text = 'A';
    if (keepNewKey && flags & EventClass.newKey) text += 'n';
  } else for (const [letter, bit] of LETTERS) if (flags & bit) text += letter;
  if (flags & EventClass.keyspace) text += 'K';
  if (flags & EventClass.keyevent) text += 'E';
  if (flags & EventClass.keyMiss) text += 'm';
  return text;
}

/**
 * Keyspace notifications: a write publishes `__keyspace@<db>__:<key>` → event and/or
 * `__keyevent@<db>__:<event>` → key, for the classes enabled in notify-keyspace-events.
 */
export class KeyspaceEvents {
  private flags = 0;

  constructor(
    config: Config,
    private readonly pubsub: PubSub,
    private readonly deliver: (client: Client) => void,
  ) {
    config.follow('notify-keyspace-events', (value) => {
      this.flags = parseEventFlags(value) ?? 0;
    });
  }

  enabled(eventClass: number): boolean {
    return (this.flags & eventClass) !== 0;
  }

  notify(dbId: number, eventClass: number, event: string, key: string): void {
    const flags = this.flags;
    if ((flags & eventClass) === 0) return;
    if (flags & EventClass.keyspace) {
      this.pubsub.publish(`__keyspace@${dbId}__:${key}`, event, this.deliver);
    }
    if (flags & EventClass.keyevent) {
      this.pubsub.publish(`__keyevent@${dbId}__:${event}`, key, this.deliver);
    }
  }
}
