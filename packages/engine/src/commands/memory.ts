import { Stream } from '@rc/datatypes/stream';
import { SortedSet } from '@rc/datatypes/zset';
import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import type { RedisValue } from '../values.js';
import { container, helpSubcommand, NO_KEYS } from './define.js';
import { helpReply, integerArgument, isKeyword } from './reply-helpers.js';

/** Per-allocation overhead we charge, in the spirit of Redis's object + dict entry sizes. */
const ENTRY_OVERHEAD = 16;

/** An estimate of the bytes a key and its value occupy; SAMPLES bounds how many elements are looked at. */
function estimateBytes(key: string, value: RedisValue, samples: number): number {
  const base = 48 + key.length;
  if (typeof value === 'string') return base + value.length;
  if (value instanceof Stream) return base + value.length * 64 + value.blockCount * 128;
  let size = 0;
  let seen = 0;
  let total: number;
  if (value instanceof Map) {
    total = value.size;
    for (const [field, element] of value) {
      if (samples !== 0 && seen >= samples) break;
      size += field.length + element.length + 2 * ENTRY_OVERHEAD;
      seen++;
    }
  } else if (value instanceof SortedSet) {
    total = value.size;
    for (const { member } of value) {
      if (samples !== 0 && seen >= samples) break;
      size += member.length + 8 + 2 * ENTRY_OVERHEAD;
      seen++;
    }
  } else {
    total = value instanceof Set ? value.size : value.length;
    for (const element of value) {
      if (samples !== 0 && seen >= samples) break;
      size += element.length + ENTRY_OVERHEAD;
      seen++;
    }
  }
  return base + (seen === 0 ? 0 : Math.round((size / seen) * total));
}

function usage(client: Client, argv: string[], engine: Engine): void {
  let samples = 5;
  for (let i = 3; i < argv.length; i++) {
    if (isKeyword(argv[i], 'samples') && i + 1 < argv.length) {
      const value = integerArgument(client, engine, argv[++i]);
      if (value === null) return;
      samples = value < 0 ? 5 : value;
    } else {
      engine.replyError(client, Errors.syntax);
      return;
    }
  }
  const value = client.db.find(argv[2]);
  if (value === undefined) client.out.nullBulk();
  else client.out.integer(estimateBytes(argv[2], value, samples));
}

function doctor(client: Client): void {
  client.out.bulk('rc keeps no allocator statistics to diagnose: use MEMORY USAGE per key.');
}

const help = helpReply([
  'MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
  'HELP',
  '    Prints this help.',
]);

export const memoryCommand = container(
  'memory',
  'A container for memory diagnostics commands',
  '4.0.0',
  [
    ['usage', -3, ['readonly'], [2, 2, 1], usage, 'Estimate the memory usage of a key', '4.0.0'],
    ['doctor', 2, [], NO_KEYS, doctor, 'Outputs memory problems report', '4.0.0'],
    helpSubcommand(help, '4.0.0'),
  ],
);
