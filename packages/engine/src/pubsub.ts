import { keyHashSlot } from '@rc/cluster';
import type { Client } from './client.js';
import { globMatch } from './glob.js';

/**
 * What a client can subscribe to, each a namespace of its own: channels (SUBSCRIBE), patterns
 * (PSUBSCRIBE) and shard channels (SSUBSCRIBE). The names match the sets on both sides.
 */
export type SubscriptionKind = 'channels' | 'patterns' | 'shardChannels';
const SUBSCRIPTION_KINDS: readonly SubscriptionKind[] = ['channels', 'patterns', 'shardChannels'];

/**
 * Channel and pattern subscriptions. Messages are written straight into each subscriber's
 * output (push frames in RESP3, arrays in RESP2) and the transport is asked to flush.
 */
export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();

  subscribe(client: Client, kind: SubscriptionKind, name: string): boolean {
    const own = client[kind];
    if (own.has(name)) return false;
    own.add(name);
    addMember(this[kind], name, client);
    return true;
  }

  unsubscribe(client: Client, kind: SubscriptionKind, name: string): boolean {
    if (!client[kind].delete(name)) return false;
    removeMember(this[kind], name, client);
    return true;
  }

  /** Drops every subscription of a client that leaves (or RESETs). */
  unsubscribeAll(client: Client): void {
    for (const kind of SUBSCRIPTION_KINDS) {
      for (const name of [...client[kind]]) this.unsubscribe(client, kind, name);
    }
  }

  /**
   * A hash slot left this node's shard: its shard channels' subscribers are unsubscribed, each
   * told with an `sunsubscribe` frame, as Redis's removeChannelsInSlot.
   */
  dropShardSlot(slot: number, deliver: (client: Client) => void): void {
    if (this.shardChannels.size === 0) return;
    for (const [channel, subscribers] of [...this.shardChannels]) {
      if (keyHashSlot(channel) !== slot) continue;
      for (const client of [...subscribers]) {
        this.unsubscribe(client, 'shardChannels', channel);
        const out = client.out;
        out.push(3);
        out.bulk('sunsubscribe');
        out.bulk(channel);
        out.integer(client.shardChannels.size);
        deliver(client);
      }
    }
  }

  /** SPUBLISH: shard channel subscribers only (patterns never match shard channels). */
  spublish(channel: string, message: string, deliver: (client: Client) => void): number {
    const subscribers = this.shardChannels.get(channel);
    if (subscribers === undefined) return 0;
    for (const client of subscribers) {
      const out = client.out;
      out.push(3);
      out.bulk('smessage');
      out.bulk(channel);
      out.bulk(message);
      deliver(client);
    }
    return subscribers.size;
  }

  /** Delivers to channel subscribers, then pattern subscribers; returns the receiver count. */
  publish(channel: string, message: string, deliver: (client: Client) => void): number {
    let receivers = 0;
    const subscribers = this.channels.get(channel);
    if (subscribers) {
      for (const client of subscribers) {
        const out = client.out;
        out.push(3);
        out.bulk('message');
        out.bulk(channel);
        out.bulk(message);
        deliver(client);
        receivers++;
      }
    }
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      for (const client of clients) {
        const out = client.out;
        out.push(4);
        out.bulk('pmessage');
        out.bulk(pattern);
        out.bulk(channel);
        out.bulk(message);
        deliver(client);
        receivers++;
      }
    }
    return receivers;
  }
}

function addMember(index: Map<string, Set<Client>>, name: string, client: Client): void {
  const members = index.get(name);
  if (members) members.add(client);
  else index.set(name, new Set([client]));
}

function removeMember(index: Map<string, Set<Client>>, name: string, client: Client): void {
  const members = index.get(name);
  if (!members) return;
  members.delete(client);
  if (members.size === 0) index.delete(name);
}
