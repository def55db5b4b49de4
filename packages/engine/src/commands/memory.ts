import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { memoryOverview } from '../info-memory.js';
import { estimateBytes } from '../memory-estimate.js';
import { integerArgument, isKeyword } from '../arguments.js';
import { replyHelp } from '../replies.js';

export function memoryUsage(client: Client, argv: string[]): void {
  let samples = 5;
  for (let i = 3; i < argv.length; i++) {
    if (isKeyword(argv[i], 'samples') && i + 1 < argv.length) {
      const value = integerArgument(client, argv[++i]);
      if (value === null) return;
      samples = value < 0 ? 5 : value;
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  const value = client.db.find(argv[2]);
  if (value === undefined) client.out.nullBulk();
  else client.out.integer(estimateBytes(argv[2], value, samples));
}

/**
 * MEMORY STATS: Redis's fields in its order, from the same figures as INFO memory. Redis's
 * percentages and ratios are floats, printed as doubles: the same digits here.
 */
export function memoryStats(client: Client, _argv: string[], engine: Engine): void {
  const memory = memoryOverview(engine);
  const out = client.out;
  out.map(27 + memory.databases.length);
  const integer = (name: string, value: number) => {
    out.bulk(name);
    out.integer(value);
  };
  const float = (name: string, value: number) => {
    out.bulk(name);
    out.double(Math.fround(value));
  };
  const ratioAndBytes = (ratioName: string, bytesName: string, larger: number, base: number) => {
    float(ratioName, larger / base);
    integer(bytesName, larger - base);
  };
  integer('peak.allocated', memory.peak);
  integer('total.allocated', memory.used);
  integer('startup.allocated', memory.startup);
  integer('replication.backlog', memory.replicationBacklog);
  integer('clients.slaves', memory.clientsReplicas);
  integer('clients.normal', memory.clientsNormal);
  integer('cluster.links', 0);
  integer('aof.buffer', 0);
  integer('lua.caches', memory.scripts);
  integer('functions.caches', memory.functions);
  for (const db of memory.databases) {
    out.bulk(`db.${db.id}`);
    out.map(3);
    integer('overhead.hashtable.main', db.main);
    integer('overhead.hashtable.expires', db.expires);
    integer('overhead.hashtable.slot-to-keys', 0);
  }
  const netUsed = memory.used - memory.startup;
  integer('overhead.total', memory.overhead);
  integer('keys.count', memory.keys);
  integer('keys.bytes-per-key', memory.keys === 0 ? 0 : Math.floor(netUsed / memory.keys));
  integer('dataset.bytes', memory.dataset);
  float('dataset.percentage', netUsed <= 0 ? 0 : (memory.dataset * 100) / netUsed);
  float('peak.percentage', (memory.used * 100) / memory.peak);
  integer('allocator.allocated', memory.allocated);
  integer('allocator.active', memory.active);
  integer('allocator.resident', memory.resident);
  ratioAndBytes(
    'allocator-fragmentation.ratio',
    'allocator-fragmentation.bytes',
    memory.active,
    memory.allocated,
  );
  ratioAndBytes('allocator-rss.ratio', 'allocator-rss.bytes', memory.resident, memory.active);
  ratioAndBytes('rss-overhead.ratio', 'rss-overhead.bytes', memory.rss, memory.resident);
  ratioAndBytes('fragmentation', 'fragmentation.bytes', memory.rss, memory.used);
}

/** Redis's answer when it is not built with jemalloc, which rc is not. */
export function memoryMallocStats(client: Client): void {
  client.out.bulk('Stats not supported for the current allocator');
}

/** Nothing to purge: V8 returns free pages by itself. Redis without jemalloc says OK too. */
export function memoryPurge(client: Client): void {
  client.out.simple('OK');
}

export function memoryDoctor(client: Client): void {
  client.out.bulk('rc keeps no allocator statistics to diagnose: use MEMORY USAGE per key.');
}

const MEMORY_HELP: readonly string[] = [
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
];

export function memoryHelp(client: Client): void {
  replyHelp(client, MEMORY_HELP);
}
