import type { CommandHandler, CommandSpec } from '../command-table.js';
import { commandSpecs } from '../command-metadata/command-specs.js';
import { aclCommand } from './acl.js';
import * as bitfield from './bitfield.js';
import * as bits from './bits.js';
import { clientCommand } from './client.js';
import { clusterCommands } from './cluster.js';
import * as connection from './connection.js';
import { debugCommands } from './debug.js';
import { functionCommands } from './functions.js';
import { introspectionCommands } from './introspection.js';
import * as geo from './geo.js';
import * as hashes from './hashes.js';
import * as hyperloglog from './hyperloglog.js';
import { keyCommands } from './keys.js';
import * as lcs from './lcs.js';
import { memoryCommand } from './memory.js';
import * as migrate from './migrate.js';
import { moduleCommand } from './modules.js';
import { latencyCommand } from './latency.js';
import { slowlogCommand } from './slowlog.js';
import * as lists from './lists.js';
import * as lolwut from './lolwut.js';
import { persistenceCommands } from './persistence.js';
import { pubsubCommands } from './pubsub.js';
import { replicationCommands } from './replication.js';
import { scriptingCommands } from './scripting.js';
import { serverCommands } from './server.js';
import * as sets from './sets.js';
import * as sort from './sort.js';
import * as sortedSets from './sorted-sets.js';
import { streamCommands } from './streams.js';
import * as strings from './strings.js';
import * as transactions from './transactions.js';

/** Every command's handler, by its name (handlerName): the families export nothing else. */
export const handlers: Readonly<Record<string, CommandHandler>> = {
  ...hashes,
  ...strings,
  ...lists,
  ...sets,
  ...sortedSets,
  ...geo,
  ...bits,
  ...bitfield,
  ...hyperloglog,
  ...lcs,
  ...sort,
  ...transactions,
  ...connection,
  ...migrate,
  ...lolwut,
};

/**
 * The one command table: Redis's facts about each command with its handler, and the families
 * still written as tables of rows.
 */
export const allCommands: readonly CommandSpec[] = [
  ...commandSpecs(handlers),
  ...keyCommands,
  ...streamCommands,
  clientCommand,
  ...serverCommands,
  moduleCommand,
  ...debugCommands,
  ...persistenceCommands,
  ...replicationCommands,
  ...introspectionCommands,
  memoryCommand,
  slowlogCommand,
  latencyCommand,
  aclCommand,
  ...pubsubCommands,
  ...scriptingCommands,
  ...functionCommands,
  ...clusterCommands,
];
