import { totalmem } from 'node:os';
import { memoryUsage } from 'node:process';
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Engine } from './engine.js';
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

let fullCollection: (() => void) | null = null;
let lastCollectionEnd = 0;
let lastCollectionDuration = 0;

/**
 * A full garbage collection, so that memory figures show live data; skipped (false) when the
 * last one ended less than ten of its durations ago, unless `always`: collecting then takes
 * at most a tenth of the time, whatever the heap's size.
 */
export function collectGarbage(always = false): boolean {
  const started = performance.now();
  if (!always && started - lastCollectionEnd < lastCollectionDuration * 10) return false;
  if (fullCollection === null) {
    setFlagsFromString('--expose-gc');
    fullCollection = runInNewContext('gc') as () => void;
  }
  fullCollection();
  lastCollectionEnd = performance.now();
  lastCollectionDuration = lastCollectionEnd - started;
  return true;
}

/** Memory in use once rc loaded, before any data: Redis's used_memory_startup. */
const startupMemory = usedMemory();

/**
 * What rc holds, as Redis's zmalloc_used: V8's heap in use without the young generation, plus
 * Buffers outside the heap. Each command's short-lived garbage churns in the young generation,
 * and what stays is promoted out of it, so this follows the data rather than the traffic; it is
 * also what maxmemory is held to.
 */
export function usedMemory(): number {
  const heap = getHeapStatistics();
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  return heap.used_heap_size - (young?.space_used_size ?? 0) + heap.external_memory;
}

/**
 * What Redis reports for its empty Lua VMs, the EVAL one and the FUNCTION one: fengari's states
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
  readonly clientsReplicas: number;
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

/** The sizes of Redis's dictEntry, robj and a table slot. */
const DICT_ENTRY_BYTES = 24;
const OBJECT_BYTES = 16;
const POINTER_BYTES = 8;

/** The size of a Redis dict's table for `size` entries: a power of two, at least 4. */
function dictSlots(size: number): number {
  let slots = 4;
  while (slots < size) slots *= 2;
  return slots;
}

function databaseOverhead(id: number, keys: number, expiring: number): DatabaseOverhead {
  return {
    id,
    keys,
    main: keys * (DICT_ENTRY_BYTES + OBJECT_BYTES) + dictSlots(keys) * POINTER_BYTES,
    expires: expiring === 0 ? 0 : expiring * DICT_ENTRY_BYTES + dictSlots(expiring) * POINTER_BYTES,
  };
}

export function memoryOverview(engine: Engine): MemoryOverview {
  collectGarbage();
  const usage = memoryUsage();
  const heap = getHeapStatistics();
  const used = usedMemory();
  const stats = engine.stats;
  stats.peakMemory = Math.max(stats.peakMemory, used);
  let clientsNormal = 0;
  let clientsReplicas = 0;
  for (const client of engine.clients.values()) {
    const buffered = client.out.length + client.connection.pendingOutputBytes;
    if (client.kind === 'replica') clientsReplicas += buffered;
    else clientsNormal += buffered + (client.connection.queryBufferLength ?? 0);
  }
  const scripts = engine.scripting.cachedBytes;
  const functions = engine.scripting.libraries.memoryBytes;
  const databases = engine.databases
    .filter((db) => db.size > 0)
    .map((db) => databaseOverhead(db.id, db.size, db.expires.size));
  let overhead = startupMemory + clientsNormal + clientsReplicas + scripts + functions;
  let keys = 0;
  for (const db of databases) {
    overhead += db.main + db.expires;
    keys += db.keys;
  }
  return {
    used,
    peak: stats.peakMemory,
    startup: startupMemory,
    rss: usage.rss,
    clientsNormal,
    clientsReplicas,
    scripts,
    functions,
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
    ['used_memory_startup', startupMemory],
    ['used_memory_dataset', dataset],
    [
      'used_memory_dataset_perc',
      `${((dataset * 100) / Math.max(1, used - startupMemory)).toFixed(2)}%`,
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
    ['mem_not_counted_for_evict', 0],
    // The replication backlog and the AOF buffer are not measured apart from the heap.
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', memory.clientsReplicas],
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
