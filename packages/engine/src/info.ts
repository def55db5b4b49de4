import { cpuUsage, memoryUsage } from 'node:process';
import { SERVER_VERSION } from './commands/connection.js';
import type { Engine } from './engine.js';
import type { InfoFields } from './persistence-host.js';

type Section = (engine: Engine) => ReadonlyArray<readonly [string, string | number]>;

function humanBytes(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes}B` : `${value.toFixed(2)}${units[unit]}`;
}

/** INFO persistence of an engine nothing saves: no changes ever reach a file. */
function withoutFiles(engine: Engine): InfoFields {
  return [
    ['rdb_changes_since_last_save', engine.stats.dirty],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', engine.stats.lastSave],
    ['rdb_last_bgsave_status', 'ok'],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_last_write_status', 'ok'],
  ];
}

const sections: Record<string, Section> = {
  server: (engine) => {
    const uptime = Math.floor((Date.now() - engine.startedAt) / 1000);
    return [
      ['redis_version', SERVER_VERSION],
      ['redis_git_sha1', '00000000'],
      ['redis_git_dirty', 0],
      ['redis_mode', 'standalone'],
      ['os', `${process.platform} ${process.arch}`],
      ['arch_bits', 64],
      ['multiplexing_api', 'libuv'],
      ['process_id', process.pid],
      ['run_id', engine.runId],
      ['tcp_port', engine.config.get('port')],
      ['server_time_usec', Date.now() * 1000],
      ['uptime_in_seconds', uptime],
      ['uptime_in_days', Math.floor(uptime / 86400)],
      ['hz', engine.config.get('hz')],
      ['configured_hz', engine.config.get('hz')],
      ['executable', process.argv[1] ?? ''],
      ['config_file', ''],
      ['rc_node_version', process.version],
    ];
  },
  clients: (engine) => [
    ['connected_clients', engine.clients.size],
    ['cluster_connections', 0],
    ['maxclients', engine.config.get('maxclients')],
    ['client_recent_max_input_buffer', 0],
    ['client_recent_max_output_buffer', 0],
    ['blocked_clients', engine.blocking.blockedCount],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', engine.blocking.blockedCount],
  ],
  memory: (engine) => {
    const usage = memoryUsage();
    return [
      ['used_memory', usage.heapUsed],
      ['used_memory_human', humanBytes(usage.heapUsed)],
      ['used_memory_rss', usage.rss],
      ['used_memory_rss_human', humanBytes(usage.rss)],
      ['used_memory_peak', usage.heapTotal],
      ['used_memory_peak_human', humanBytes(usage.heapTotal)],
      ['used_memory_lua', 0],
      ['maxmemory', engine.config.get('maxmemory')],
      ['maxmemory_human', humanBytes(Number(engine.config.get('maxmemory')))],
      ['maxmemory_policy', engine.config.get('maxmemory-policy')],
      ['mem_fragmentation_ratio', (usage.rss / Math.max(1, usage.heapUsed)).toFixed(2)],
      ['mem_allocator', 'v8'],
      ['lazyfree_pending_objects', 0],
    ];
  },
  persistence: (engine) => [
    ['loading', engine.loading ? 1 : 0],
    ['async_loading', 0],
    ...(engine.persistence?.infoFields() ?? withoutFiles(engine)),
  ],
  stats: (engine) => [
    ['total_connections_received', engine.stats.totalConnections],
    ['total_commands_processed', engine.stats.totalCommands],
    ['instantaneous_ops_per_sec', 0],
    ['rejected_connections', 0],
    ['sync_full', engine.replication?.stats.fullSyncs ?? 0],
    ['sync_partial_ok', engine.replication?.stats.partialSyncsAccepted ?? 0],
    ['sync_partial_err', engine.replication?.stats.partialSyncsRejected ?? 0],
    ['expired_keys', engine.stats.expiredKeys],
    ['evicted_keys', 0],
    ['keyspace_hits', engine.stats.keyspaceHits],
    ['keyspace_misses', engine.stats.keyspaceMisses],
    ['pubsub_channels', engine.pubsub.channels.size],
    ['pubsub_patterns', engine.pubsub.patterns.size],
    ['total_error_replies', engine.stats.totalErrorReplies],
  ],
  replication: (engine) =>
    engine.replication !== undefined
      ? [...engine.replication.infoFields()]
      : [
          ['role', 'master'],
          ['connected_slaves', 0],
          ['master_failover_state', 'no-failover'],
          ['master_replid', '0000000000000000000000000000000000000000'],
          ['master_replid2', '0000000000000000000000000000000000000000'],
          ['master_repl_offset', 0],
          ['second_repl_offset', -1],
          ['repl_backlog_active', 0],
          ['repl_backlog_size', engine.config.get('repl-backlog-size')],
          ['repl_backlog_first_byte_offset', 0],
          ['repl_backlog_histlen', 0],
        ],
  cpu: () => {
    const usage = cpuUsage();
    return [
      ['used_cpu_sys', (usage.system / 1e6).toFixed(6)],
      ['used_cpu_user', (usage.user / 1e6).toFixed(6)],
      ['used_cpu_sys_children', '0.000000'],
      ['used_cpu_user_children', '0.000000'],
    ];
  },
  modules: () => [],
  errorstats: (engine) =>
    [...engine.stats.errorCodes].map(([code, count]) => [`errorstat_${code}`, `count=${count}`]),
  commandstats: (engine) => {
    const rows: Array<[string, string]> = [];
    for (const entry of engine.commands.entries()) {
      for (const each of [entry, ...(entry.subcommands?.values() ?? [])]) {
        if (each.calls === 0 && each.rejectedCalls === 0 && each.failedCalls === 0) continue;
        const perCall = each.calls === 0 ? 0 : each.microseconds / each.calls;
        rows.push([
          `cmdstat_${each.fullName}`,
          `calls=${each.calls},usec=${each.microseconds},usec_per_call=${perCall.toFixed(2)},rejected_calls=${each.rejectedCalls},failed_calls=${each.failedCalls}`,
        ]);
      }
    }
    return rows;
  },
  keyspace: (engine) =>
    engine.databases
      .filter((db) => db.size > 0)
      .map((db) => [`db${db.id}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=0`]),
};

const DEFAULT_SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'modules',
  'errorstats',
  'keyspace',
];
const SECTION_TITLES: Record<string, string> = { cpu: 'CPU' };

/** INFO's text for the requested section names (default, all, everything, or names). */
export function infoText(engine: Engine, requested: string[]): string {
  const wanted = new Set<string>();
  if (requested.length === 0) requested = ['default'];
  for (const name of requested.map((each) => each.toLowerCase())) {
    if (name === 'default') DEFAULT_SECTIONS.forEach((each) => wanted.add(each));
    else if (name === 'all' || name === 'everything') {
      Object.keys(sections).forEach((each) => wanted.add(each));
    } else wanted.add(name);
  }
  const parts: string[] = [];
  for (const name of Object.keys(sections)) {
    if (!wanted.has(name)) continue;
    const title = SECTION_TITLES[name] ?? name[0].toUpperCase() + name.slice(1);
    const lines = sections[name](engine).map(([field, value]) => `${field}:${value}\r\n`);
    parts.push(`# ${title}\r\n${lines.join('')}`);
  }
  return parts.join('\r\n');
}
