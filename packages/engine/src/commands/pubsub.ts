import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { subcommandSyntaxError } from '../errors.js';
import { globMatch } from '../glob.js';
import { PropagationTarget } from '../propagation.js';
import type { SubscriptionKind } from '../pubsub.js';
import {
  ALL_KEYS,
  FIRST_KEY,
  commandGroup,
  container,
  helpSubcommand,
  NO_KEYS,
} from '../command-rows.js';
import { helpReply } from '../replies.js';

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
function subscribeCommand(kind: SubscriptionKind, confirmation: string) {
  return (client: Client, argv: string[], engine: Engine): void => {
    for (let i = 1; i < argv.length; i++) {
      engine.pubsub.subscribe(client, kind, argv[i]);
      confirm(client, kind, confirmation, argv[i]);
    }
  };
}

/** The UNSUBSCRIBE family: the names given, or all the client has (a nil one when none). */
function unsubscribeCommand(kind: SubscriptionKind, confirmation: string) {
  return (client: Client, argv: string[], engine: Engine): void => {
    const names = argv.length > 1 ? argv.slice(1) : [...client[kind]];
    if (names.length === 0) confirm(client, kind, confirmation, null);
    for (const name of names) {
      engine.pubsub.unsubscribe(client, kind, name);
      confirm(client, kind, confirmation, name);
    }
  };
}

const ssubscribeAny = subscribeCommand('shardChannels', 'ssubscribe');

function ssubscribe(client: Client, argv: string[], engine: Engine): void {
  // Unlike SUBSCRIBE, refused inside MULTI too (Redis's CLIENT_DENY_BLOCKING).
  if (client.executing) {
    engine.replyError(client, "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  ssubscribeAny(client, argv, engine);
}

function spublish(client: Client, argv: string[], engine: Engine): void {
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

function publish(client: Client, argv: string[], engine: Engine): void {
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
function channelList(index: ChannelIndex) {
  return (client: Client, argv: string[], engine: Engine): void => {
    // At most one pattern, though the arity allows more (Redis checks it in the handler).
    if (argv.length > 3) {
      engine.replyError(client, subcommandSyntaxError('pubsub', argv[1]));
      return;
    }
    const pattern = argv.length > 2 ? argv[2] : null;
    const names = [...engine.pubsub[index].keys()].filter(
      (name) => pattern === null || globMatch(pattern, name),
    );
    client.out.array(names.length);
    for (const name of names) client.out.bulk(name);
  };
}

/** PUBSUB NUMSUB and SHARDNUMSUB [channel ...] */
function subscriberCounts(index: ChannelIndex) {
  return (client: Client, argv: string[], engine: Engine): void => {
    client.out.array((argv.length - 2) * 2);
    for (let i = 2; i < argv.length; i++) {
      client.out.bulk(argv[i]);
      client.out.integer(engine.pubsub[index].get(argv[i])?.size ?? 0);
    }
  };
}

function numpat(client: Client, _argv: string[], engine: Engine): void {
  client.out.integer(engine.pubsub.patterns.size);
}

const FLAGS = ['pubsub', 'noscript', 'loading', 'stale'] as const;

const help = helpReply([
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
]);

export const pubsubCommands = commandGroup('pubsub', [
  [
    'subscribe',
    -2,
    [...FLAGS],
    NO_KEYS,
    subscribeCommand('channels', 'subscribe'),
    'Listen for messages published to the given channels',
    '2.0.0',
  ],
  [
    'unsubscribe',
    -1,
    [...FLAGS],
    NO_KEYS,
    unsubscribeCommand('channels', 'unsubscribe'),
    'Stop listening for messages posted to the given channels',
    '2.0.0',
  ],
  [
    'psubscribe',
    -2,
    [...FLAGS],
    NO_KEYS,
    subscribeCommand('patterns', 'psubscribe'),
    'Listen for messages published to channels matching the given patterns',
    '2.0.0',
  ],
  [
    'punsubscribe',
    -1,
    [...FLAGS],
    NO_KEYS,
    unsubscribeCommand('patterns', 'punsubscribe'),
    'Stop listening for messages posted to channels matching the given patterns',
    '2.0.0',
  ],
  [
    'ssubscribe',
    -2,
    [...FLAGS],
    ALL_KEYS,
    ssubscribe,
    'Listen for messages published to the given shard channels',
    '7.0.0',
  ],
  [
    'sunsubscribe',
    -1,
    [...FLAGS],
    ALL_KEYS,
    unsubscribeCommand('shardChannels', 'sunsubscribe'),
    'Stop listening for messages posted to the given shard channels',
    '7.0.0',
  ],
  [
    'spublish',
    3,
    ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
    FIRST_KEY,
    spublish,
    'Post a message to a shard channel',
    '7.0.0',
  ],
  [
    'publish',
    3,
    ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
    NO_KEYS,
    publish,
    'Post a message to a channel',
    '2.0.0',
  ],
]).concat({
  ...container('pubsub', 'A container for Pub/Sub commands', '2.8.0', [
    [
      'channels',
      -2,
      ['pubsub', 'loading', 'stale'],
      NO_KEYS,
      channelList('channels'),
      'List active channels',
      '2.8.0',
    ],
    [
      'numsub',
      -2,
      ['pubsub', 'loading', 'stale'],
      NO_KEYS,
      subscriberCounts('channels'),
      'Get the count of subscribers for channels',
      '2.8.0',
    ],
    [
      'numpat',
      2,
      ['pubsub', 'loading', 'stale'],
      NO_KEYS,
      numpat,
      'Get the count of unique patterns pattern subscriptions',
      '2.8.0',
    ],
    [
      'shardchannels',
      -2,
      ['pubsub', 'loading', 'stale'],
      NO_KEYS,
      channelList('shardChannels'),
      'List active shard channels',
      '7.0.0',
    ],
    [
      'shardnumsub',
      -2,
      ['pubsub', 'loading', 'stale'],
      NO_KEYS,
      subscriberCounts('shardChannels'),
      'Get the count of subscribers for shard channels',
      '7.0.0',
    ],
    helpSubcommand(help, '6.2.0'),
  ]),
  group: 'pubsub',
});
