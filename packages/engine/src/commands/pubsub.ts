import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { subcommandSyntaxError } from '../errors.js';
import { globMatch } from '../glob.js';
import { PropagationTarget } from '../propagation.js';
import type { SubscriptionKind } from '../pubsub.js';
import { replyHelp } from '../replies.js';

/**
 * Confirmation frames: [kind, name, subscription count], pushes in RESP3. Shard channels are
 * counted apart from channels and patterns.
 */
function confirm(
  client: Client,
  kind: SubscriptionKind,
  confirmation: string,
  name: string | null,
): void {
  client.out.push(3);
  client.out.bulk(confirmation);
  if (name === null) client.out.nullBulk();
  else client.out.bulk(name);
  client.out.integer(
    kind === 'shardChannels' ? client.shardChannels.size : client.subscriptionCount,
  );
}

/** SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE: one confirmation per name. */
function subscribeCommand(
  client: Client,
  argv: string[],
  engine: Engine,
  kind: SubscriptionKind,
  confirmation: string,
): void {
  for (let i = 1; i < argv.length; i++) {
    engine.pubsub.subscribe(client, kind, argv[i]);
    confirm(client, kind, confirmation, argv[i]);
  }
}

/** The UNSUBSCRIBE family: the names given, or all the client has (a nil one when none). */
function unsubscribeCommand(
  client: Client,
  argv: string[],
  engine: Engine,
  kind: SubscriptionKind,
  confirmation: string,
): void {
  const names = argv.length > 1 ? argv.slice(1) : [...client[kind]];
  if (names.length === 0) confirm(client, kind, confirmation, null);
  for (const name of names) {
    engine.pubsub.unsubscribe(client, kind, name);
    confirm(client, kind, confirmation, name);
  }
}

export function ssubscribe(client: Client, argv: string[], engine: Engine): void {
  // Unlike SUBSCRIBE, refused inside MULTI too (Redis's CLIENT_DENY_BLOCKING).
  if (client.executing) {
    client.out.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  subscribeCommand(client, argv, engine, 'shardChannels', 'ssubscribe');
}

export function spublish(client: Client, argv: string[], engine: Engine): void {
  // In a cluster the bus carries messages to the shard's other nodes, replicas included.
  if (engine.cluster === undefined) engine.propagation.forceCurrent(PropagationTarget.Replication);
  else
    engine.cluster.state.publish(
      Buffer.from(argv[1], 'latin1'),
      Buffer.from(argv[2], 'latin1'),
      true,
    );
  client.out.integer(
    engine.pubsub.spublish(argv[1], argv[2], (receiver) => engine.delivered(receiver)),
  );
}

export function publish(client: Client, argv: string[], engine: Engine): void {
  // Replicas get PUBLISH (their subscribers hear it too); the AOF does not. In a cluster the
  // bus carries it to every node instead.
  if (engine.cluster === undefined) engine.propagation.forceCurrent(PropagationTarget.Replication);
  else
    engine.cluster.state.publish(
      Buffer.from(argv[1], 'latin1'),
      Buffer.from(argv[2], 'latin1'),
      false,
    );
  client.out.integer(
    engine.pubsub.publish(argv[1], argv[2], (receiver) => engine.delivered(receiver)),
  );
}

/** The kinds of channels PUBSUB lists and counts (patterns are counted by NUMPAT). */
type ChannelIndex = Exclude<SubscriptionKind, 'patterns'>;

/** PUBSUB CHANNELS and SHARDCHANNELS [pattern] */
function channelList(client: Client, argv: string[], engine: Engine, index: ChannelIndex): void {
  // At most one pattern, though the arity allows more (Redis checks it in the handler).
  if (argv.length > 3) {
    client.out.error(subcommandSyntaxError('pubsub', argv[1]));
    return;
  }
  const pattern = argv.length > 2 ? argv[2] : null;
  const names = [...engine.pubsub[index].keys()].filter(
    (name) => pattern === null || globMatch(pattern, name),
  );
  client.out.array(names.length);
  for (const name of names) client.out.bulk(name);
}

/** PUBSUB NUMSUB and SHARDNUMSUB [channel ...] */
function subscriberCounts(
  client: Client,
  argv: string[],
  engine: Engine,
  index: ChannelIndex,
): void {
  client.out.array((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    client.out.bulk(argv[i]);
    client.out.integer(engine.pubsub[index].get(argv[i])?.size ?? 0);
  }
}

export function pubsubNumpat(client: Client, _argv: string[], engine: Engine): void {
  client.out.integer(engine.pubsub.patterns.size);
}

const PUBSUB_HELP: readonly string[] = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

export function subscribe(client: Client, argv: string[], engine: Engine): void {
  subscribeCommand(client, argv, engine, 'channels', 'subscribe');
}

export function unsubscribe(client: Client, argv: string[], engine: Engine): void {
  unsubscribeCommand(client, argv, engine, 'channels', 'unsubscribe');
}

export function psubscribe(client: Client, argv: string[], engine: Engine): void {
  subscribeCommand(client, argv, engine, 'patterns', 'psubscribe');
}

export function punsubscribe(client: Client, argv: string[], engine: Engine): void {
  unsubscribeCommand(client, argv, engine, 'patterns', 'punsubscribe');
}

export function sunsubscribe(client: Client, argv: string[], engine: Engine): void {
  unsubscribeCommand(client, argv, engine, 'shardChannels', 'sunsubscribe');
}

export function pubsubChannels(client: Client, argv: string[], engine: Engine): void {
  channelList(client, argv, engine, 'channels');
}

export function pubsubNumsub(client: Client, argv: string[], engine: Engine): void {
  subscriberCounts(client, argv, engine, 'channels');
}

export function pubsubShardchannels(client: Client, argv: string[], engine: Engine): void {
  channelList(client, argv, engine, 'shardChannels');
}

export function pubsubShardnumsub(client: Client, argv: string[], engine: Engine): void {
  subscriberCounts(client, argv, engine, 'shardChannels');
}

export function pubsubHelp(client: Client): void {
  replyHelp(client, PUBSUB_HELP);
}
