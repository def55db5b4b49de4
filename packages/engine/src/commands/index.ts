import type { CommandHandler, CommandSpec } from '../command-table.js';
import { commandSpecs } from '../command-metadata/command-specs.js';
import * as acl from './acl.js';
import * as bitfield from './bitfield.js';
import * as bits from './bits.js';
import * as client from './client.js';
import * as cluster from './cluster.js';
import * as connection from './connection.js';
import * as debug from './debug.js';
import * as functions from './functions.js';
import * as introspection from './introspection.js';
import * as geo from './geo.js';
import * as hashes from './hashes.js';
import * as hyperloglog from './hyperloglog.js';
import * as keys from './keys.js';
import * as lcs from './lcs.js';
import * as memory from './memory.js';
import * as migrate from './migrate.js';
import * as modules from './modules.js';
import * as latency from './latency.js';
import * as slowlog from './slowlog.js';
import * as lists from './lists.js';
import * as lolwut from './lolwut.js';
import * as persistence from './persistence.js';
import * as pubsub from './pubsub.js';
import * as replication from './replication.js';
import * as scripting from './scripting.js';
import * as server from './server.js';
import * as sets from './sets.js';
import * as sort from './sort.js';
import * as sortedSets from './sorted-sets.js';
import * as streamGroups from './stream-groups.js';
import * as streams from './streams.js';
import * as strings from './strings.js';
import * as transactions from './transactions.js';

/** Every command's handler, by its name (handlerName): the families export nothing else. */
export const handlers: Readonly<Record<string, CommandHandler>> = {
  ...acl,
  ...bitfield,
  ...bits,
  ...client,
  ...cluster,
  ...connection,
  ...debug,
  ...functions,
  ...introspection,
  ...geo,
  ...hashes,
  ...hyperloglog,
  ...keys,
  ...lcs,
  ...memory,
  ...migrate,
  ...modules,
  ...latency,
  ...slowlog,
  ...lists,
  ...lolwut,
  ...persistence,
  ...pubsub,
  ...replication,
  ...scripting,
  ...server,
  ...sets,
  ...sort,
  ...sortedSets,
  ...strings,
  ...transactions,
  ...streams,
  ...streamGroups,
};

/** The one command table: Redis's facts about each command, with its handler. */
export const allCommands: readonly CommandSpec[] = commandSpecs(handlers);
