import { totalmem } from 'node:os';
import { memoryUsage } from 'node:process';
import { getHeapStatistics } from 'node:v8';
import { clientMemoryUsage } from './client-memory.js';
import type { Engine } from './engine.js';
import { DICT_ENTRY_BYTES, DICT_SLOT_BYTES, STARTUP_BYTES } from './memory-estimate.js';
import type { InfoFields } from './persistence-host.js';

/** Redis's bytesToHuman: 512B, 1.50K, 20.00M... */
export function humanBytes(bytes: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (bytes < 1024) return `${bytes}B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)}${units[unit]}`;
}

/**
 * What Redis reports for its empty Lua VMs, the EVAL one and the FUNCTION one: our Lua states
 * live in the V8 heap with everything else and cannot be measured apart.
 */
const EMPTY_LUA_VM = 32 * 1024;
const EMPTY_FUNCTIONS_VM = 33 * 1024;

const ratio = (numerator: number, denominator: number): string =>
  (denominator === 0 ? 0 : numerator / denominator).toFixed(2);

/**
 * rc's memory in Redis's terms (its redisMemOverhead), shared by INFO memory and MEMORY STATS.
 * Redis describes jemalloc; rc maps V8's figures onto it: allocated = heap used, active = heap
 * reserved, resident = heap pages in memory.
 */
export interface MemoryOverview {
  readonly used: number;
  readonly peak: number;
  readonly startup: number;
  readonly rss: number;
  readonly clientsNormal: number;
  /** The replication buffer beyond the backlog's size, while replicas hold it (clients_slaves). */
  readonly clientsReplicas: number;
  /** The rest of the replication buffer (repl_backlog). */
  readonly replicationBacklog: number;
  /** The whole replication buffer, backlog and replicas' (repl_buffer_mem). */
  readonly replicationBuffers: number;
  /** Redis's freeMemoryGetNotCountedMemory: the replication buffer beyond the backlog. */
  readonly notCountedForEviction: number;
  readonly scripts: number;
  readonly functions: number;
  /** Per database with keys, the overhead Redis's dicts would have (entries, slots, objects). */
  readonly databases: readonly DatabaseOverhead[];
  readonly keys: number;
  /** Startup memory, client buffers, script and function caches, the databases' dicts. */
  readonly overhead: number;
  readonly dataset: number;
  readonly allocated: number;
  readonly active: number;
  readonly resident: number;
}

export interface DatabaseOverhead {
  readonly id: number;
  readonly keys: number;
  readonly main: number;
  readonly expires: number;
}

/** A database's dicts: an entry and a table slot for each key, and each TTL. */
function databaseOverhead(id: number, keys: number, expiring: number): DatabaseOverhead {
  const entry = DICT_ENTRY_BYTES + DICT_SLOT_BYTES;
  return { id, keys, main: keys * entry, expires: expiring * entry };
}

/** Redis's sizeof(replBufBlock) + sizeof(listNode), per block of the replication buffer. */
const REPLICATION_BLOCK_OVERHEAD = 64;
/** Redis's PROTO_REPLY_CHUNK_BYTES, the replication buffer's smallest block. */
const REPLICATION_BLOCK_BYTES = 16 * 1024;

/**
 * How Redis splits the replication buffer (getMemoryOverheadData): with replicas attached, what
 * exceeds the backlog's size is theirs; the backlog's part is never counted for eviction beyond
 * its size and the overhead of its blocks (freeMemoryGetNotCountedMemory).
 */
function replicationMemory(
  buffers: number,
  backlogSize: number,
  replicas: number,
): Pick<MemoryOverview, 'clientsReplicas' | 'replicationBacklog' | 'notCountedForEviction'> {
  const clientsReplicas = replicas > 0 && buffers > backlogSize ? buffers - backlogSize : 0;
  const counted =
    backlogSize +
    (Math.floor(backlogSize / REPLICATION_BLOCK_BYTES) + 1) * REPLICATION_BLOCK_OVERHEAD;
  return {
    clientsReplicas,
    replicationBacklog: buffers - clientsReplicas,
    notCountedForEviction: buffers > backlogSize ? Math.max(0, buffers - counted) : 0,
  };
}

/**
 * used_memory: an empty server's memory, the dataset's estimate (see memory-estimate.ts), the
 * clients' and the replication buffer. Scripts and functions are reported apart, not in it.
 */
export function memoryOverview(engine: Engine): MemoryOverview {
  const usage = memoryUsage();
  const heap = getHeapStatistics();
  let clientsNormal = 0;
  let replicas = 0;
  for (const client of engine.clients.values()) {
    // A replica's output is its share of the replication buffer, counted below.
    if (client.kind === 'replica') replicas++;
    else clientsNormal += clientMemoryUsage(client, 0);
  }
  const replicationBuffers = engine.replication?.bufferMemory ?? 0;
  const backlogSize = engine.replication?.backlogSize ?? 0;
  const replication = replicationMemory(replicationBuffers, backlogSize, replicas);
  const used = STARTUP_BYTES + engine.dataset.bytes + clientsNormal + replicationBuffers;
  const stats = engine.stats;
  stats.peakMemory = Math.max(stats.peakMemory, used);
  const databases = engine.databases
    .filter((db) => db.size > 0)
    .map((db) => databaseOverhead(db.id, db.size, db.expires.size));
  let overhead = STARTUP_BYTES + clientsNormal + replicationBuffers;
  let keys = 0;
  for (const db of databases) {
    overhead += db.main + db.expires;
    keys += db.keys;
  }
  return {
    used,
    peak: stats.peakMemory,
    startup: STARTUP_BYTES,
    rss: usage.rss,
    clientsNormal,
    ...replication,
    replicationBuffers,
    scripts: engine.scripting.cachedBytes,
    functions: engine.scripting.libraries.memoryBytes,
    databases,
    keys,
    overhead,
    dataset: Math.max(0, used - overhead),
    allocated: heap.used_heap_size + usage.external,
    active: heap.total_heap_size + usage.external,
    resident: heap.total_physical_size + usage.external,
  };
}

/** INFO memory in Redis's fields and formats; machinery rc does not have reports zero. */
export function memoryFields(engine: Engine): InfoFields {
  const memory = memoryOverview(engine);
  const { used, dataset, scripts, allocated, active, resident } = memory;
  const system = totalmem();
  const maxmemory = engine.config.getNumber('maxmemory');
  const libraries = engine.scripting.libraries;
  return [
    ['used_memory', used],
    ['used_memory_human', humanBytes(used)],
    ['used_memory_rss', memory.rss],
    ['used_memory_rss_human', humanBytes(memory.rss)],
    ['used_memory_peak', memory.peak],
    ['used_memory_peak_human', humanBytes(memory.peak)],
    ['used_memory_peak_perc', `${((used * 100) / memory.peak).toFixed(2)}%`],
    ['used_memory_overhead', memory.overhead],
    ['used_memory_startup', memory.startup],
    ['used_memory_dataset', dataset],
    [
      'used_memory_dataset_perc',
      `${((dataset * 100) / Math.max(1, used - memory.startup)).toFixed(2)}%`,
    ],
    ['allocator_allocated', allocated],
    ['allocator_active', active],
    ['allocator_resident', resident],
    ['total_system_memory', system],
    ['total_system_memory_human', humanBytes(system)],
    ['used_memory_lua', EMPTY_LUA_VM],
    ['used_memory_vm_eval', EMPTY_LUA_VM],
    ['used_memory_lua_human', humanBytes(EMPTY_LUA_VM)],
    ['used_memory_scripts_eval', scripts],
    ['number_of_cached_scripts', engine.scripting.scriptCount],
    ['number_of_functions', libraries.functionCount],
    ['number_of_libraries', libraries.libraryCount],
    ['used_memory_vm_functions', EMPTY_FUNCTIONS_VM],
    ['used_memory_vm_total', EMPTY_LUA_VM + EMPTY_FUNCTIONS_VM],
    ['used_memory_vm_total_human', humanBytes(EMPTY_LUA_VM + EMPTY_FUNCTIONS_VM)],
    ['used_memory_functions', memory.functions],
    ['used_memory_scripts', scripts + memory.functions],
    ['used_memory_scripts_human', humanBytes(scripts + memory.functions)],
    ['maxmemory', maxmemory],
    ['maxmemory_human', humanBytes(maxmemory)],
    ['maxmemory_policy', engine.config.get('maxmemory-policy')],
    ['allocator_frag_ratio', ratio(active, allocated)],
    ['allocator_frag_bytes', active - allocated],
    ['allocator_rss_ratio', ratio(resident, active)],
    ['allocator_rss_bytes', resident - active],
    ['rss_overhead_ratio', ratio(memory.rss, resident)],
    ['rss_overhead_bytes', memory.rss - resident],
    ['mem_fragmentation_ratio', ratio(memory.rss, used)],
    ['mem_fragmentation_bytes', memory.rss - used],
    // rc keeps no AOF buffer: only the replication buffer is not counted.
    ['mem_not_counted_for_evict', memory.notCountedForEviction],
    ['mem_replication_backlog', memory.replicationBacklog],
    ['mem_total_replication_buffers', memory.replicationBuffers],
    ['mem_clients_slaves', memory.clientsReplicas],
    ['mem_clients_normal', memory.clientsNormal],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', `v8-${process.versions.v8}`],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', engine.stats.lazyfreedObjects],
  ];
}
