import { totalmem } from 'node:os';
import { memoryUsage } from 'node:process';
import { getHeapStatistics } from 'node:v8';
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

/** Memory in use once rc loaded, before any data: Redis's used_memory_startup. */
const startupMemory = usedMemory();

/** What rc holds: the V8 heap plus the memory of Buffers outside it (Redis's zmalloc_used). */
export function usedMemory(): number {
  const usage = memoryUsage();
  return usage.heapUsed + usage.external;
}

/**
 * What Redis reports for an empty Lua VM: fengari's state lives in the V8 heap with everything
 * else and cannot be measured apart.
 */
const EMPTY_LUA_VM = 32 * 1024;

const ratio = (numerator: number, denominator: number): string =>
  (denominator === 0 ? 0 : numerator / denominator).toFixed(2);

/**
 * INFO memory in Redis's fields and formats. Redis describes jemalloc; rc maps V8's figures
 * onto them: allocated = heap used, active = heap reserved, resident = heap pages in memory.
 * Fields about machinery rc does not have (defrag, lazy free, cluster links) are zero.
 */
export function memoryFields(engine: Engine): InfoFields {
  const usage = memoryUsage();
  const heap = getHeapStatistics();
  const used = usage.heapUsed + usage.external;
  const stats = engine.stats;
  stats.peakMemory = Math.max(stats.peakMemory, used);
  let normalClients = 0;
  let replicaClients = 0;
  for (const client of engine.clients.values()) {
    const buffered = client.out.length + client.connection.pendingOutputBytes;
    if (client.kind === 'replica') replicaClients += buffered;
    else normalClients += buffered + (client.connection.queryBufferLength ?? 0);
  }
  const overhead = startupMemory + normalClients + replicaClients;
  const dataset = Math.max(0, used - overhead);
  const scripts = engine.scripting.cachedBytes;
  const system = totalmem();
  const maxmemory = engine.config.getNumber('maxmemory');
  const allocated = heap.used_heap_size + usage.external;
  const active = heap.total_heap_size + usage.external;
  const resident = heap.total_physical_size + usage.external;
  return [
    ['used_memory', used],
    ['used_memory_human', humanBytes(used)],
    ['used_memory_rss', usage.rss],
    ['used_memory_rss_human', humanBytes(usage.rss)],
    ['used_memory_peak', stats.peakMemory],
    ['used_memory_peak_human', humanBytes(stats.peakMemory)],
    ['used_memory_peak_perc', `${((used * 100) / stats.peakMemory).toFixed(2)}%`],
    ['used_memory_overhead', overhead],
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
    // rc has no FUNCTION libraries, hence no second Lua VM for them.
    ['number_of_functions', 0],
    ['number_of_libraries', 0],
    ['used_memory_vm_functions', 0],
    ['used_memory_vm_total', EMPTY_LUA_VM],
    ['used_memory_vm_total_human', humanBytes(EMPTY_LUA_VM)],
    ['used_memory_functions', 0],
    ['used_memory_scripts', scripts],
    ['used_memory_scripts_human', humanBytes(scripts)],
    ['maxmemory', maxmemory],
    ['maxmemory_human', humanBytes(maxmemory)],
    ['maxmemory_policy', engine.config.get('maxmemory-policy')],
    ['allocator_frag_ratio', ratio(active, allocated)],
    ['allocator_frag_bytes', active - allocated],
    ['allocator_rss_ratio', ratio(resident, active)],
    ['allocator_rss_bytes', resident - active],
    ['rss_overhead_ratio', ratio(usage.rss, resident)],
    ['rss_overhead_bytes', usage.rss - resident],
    ['mem_fragmentation_ratio', ratio(usage.rss, used)],
    ['mem_fragmentation_bytes', usage.rss - used],
    ['mem_not_counted_for_evict', 0],
    // The replication backlog and the AOF buffer are not measured apart from the heap.
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', replicaClients],
    ['mem_clients_slaves', replicaClients],
    ['mem_clients_normal', normalClients],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', `v8-${process.versions.v8}`],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ];
}
