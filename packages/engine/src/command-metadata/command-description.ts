import type { CommandEntry } from '../command-table.js';
import { redisCommands } from './redis-commands.js';
import type { AclCategory, CommandMetadata } from './types.js';

/** Redis's description of a command; the table is built from these, so every entry has one. */
export function metadataOf(entry: CommandEntry): CommandMetadata {
  return redisCommands[entry.fullName];
}

/**
 * The flags COMMAND shows, in Redis's order. may_replicate is one Redis hides; movablekeys (in
 * the generated flags) and no_mandatory_keys describe key positions, derived from the key specs.
 */
const SHOWN_FLAGS = [
  'write',
  'readonly',
  'denyoom',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'asking',
  'fast',
  'no_auth',
  'no_mandatory_keys',
  'no_async_loading',
  'no_multi',
  'movablekeys',
  'allow_busy',
] as const;
export type ShownFlag = (typeof SHOWN_FLAGS)[number];

export function shownFlags(entry: CommandEntry): ShownFlag[] {
  const metadata = metadataOf(entry);
  const flags = new Set<string>(entry.spec.flags);
  if (metadata.noMandatoryKeys) flags.add('no_mandatory_keys');
  return SHOWN_FLAGS.filter((flag) => flags.has(flag));
}

/** Redis's ACL category table, whose order COMMAND and ACL CAT follow. */
export const ACL_CATEGORIES: readonly AclCategory[] = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
];

export function isAclCategory(name: string): name is AclCategory {
  return (ACL_CATEGORIES as readonly string[]).includes(name);
}

/** The declared categories plus those the flags imply, as Redis's setImplicitACLCategories. */
export function aclCategories(entry: CommandEntry): AclCategory[] {
  const flags = entry.spec.flags;
  const categories = new Set(metadataOf(entry).aclCategories);
  if (flags.includes('write')) categories.add('write');
  // Read-only scripts (EVAL_RO) are not @read: what they read depends on the script.
  if (flags.includes('readonly') && !categories.has('scripting')) categories.add('read');
  if (flags.includes('admin')) categories.add('admin').add('dangerous');
  if (flags.includes('pubsub')) categories.add('pubsub');
  if (flags.includes('fast')) categories.add('fast');
  if (flags.includes('blocking')) categories.add('blocking');
  if (!categories.has('fast')) categories.add('slow');
  return ACL_CATEGORIES.filter((category) => categories.has(category));
}
