import type { CommandHandler, CommandSpec } from '../command-table.js';
import { commandSpecs } from '../command-metadata/command-specs.js';
import { aclCommand } from './acl.js';
import { bitfieldCommands } from './bitfield.js';
import { bitCommands } from './bits.js';
import { clientCommand } from './client.js';
import { clusterCommands } from './cluster.js';
import { connectionCommands } from './connection.js';
import { debugCommands } from './debug.js';
import { functionCommands } from './functions.js';
import { introspectionCommands } from './introspection.js';
import { geoCommands } from './geo.js';
import * as hashes from './hashes.js';
import { hyperloglogCommands } from './hyperloglog.js';
import { keyCommands } from './keys.js';
import { lcsCommands } from './lcs.js';
import { memoryCommand } from './memory.js';
import { migrateCommands } from './migrate.js';
import { moduleCommand } from './modules.js';
import { latencyCommand } from './latency.js';
import { slowlogCommand } from './slowlog.js';
import { listCommands } from './lists.js';
import { lolwutCommands } from './lolwut.js';
import { persistenceCommands } from './persistence.js';
import { pubsubCommands } from './pubsub.js';
import { replicationCommands } from './replication.js';
import { scriptingCommands } from './scripting.js';
import { serverCommands } from './server.js';
import { setCommands } from './sets.js';
import { sortCommands } from './sort.js';
import { sortedSetCommands } from './sorted-sets.js';
import { streamCommands } from './streams.js';
import { stringCommands } from './strings.js';
import { transactionCommands } from './transactions.js';

/** Every command's handler, by its name (handlerName): the families export nothing else. */
export const handlers: Readonly<Record<string, CommandHandler>> = { ...hashes };

/**
 * The one command table: Redis's facts about each command with its handler, and the families
 * still written as tables of rows.
 */
export const allCommands: readonly CommandSpec[] = [
  ...commandSpecs(handlers),
  ...stringCommands,
  ...bitCommands,
  ...bitfieldCommands,
  ...hyperloglogCommands,
  ...lcsCommands,
  ...keyCommands,
  ...migrateCommands,
  ...listCommands,
  ...setCommands,
  ...sortedSetCommands,
  ...geoCommands,
  ...streamCommands,
  ...sortCommands,
  ...connectionCommands,
  clientCommand,
  ...serverCommands,
  ...lolwutCommands,
  moduleCommand,
  ...debugCommands,
  ...persistenceCommands,
  ...replicationCommands,
  ...introspectionCommands,
  memoryCommand,
  slowlogCommand,
  latencyCommand,
  ...transactionCommands,
  aclCommand,
  ...pubsubCommands,
  ...scriptingCommands,
  ...functionCommands,
  ...clusterCommands,
];
