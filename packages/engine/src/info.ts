import { createHash } from 'node:crypto';
import { machine, release, type } from 'node:os';
import { resolve } from 'node:path';
import { cpuUsage } from 'node:process';
import { SERVER_VERSION } from './version.js';
import type { Engine } from './engine.js';
import { memoryFields } from './info-memory.js';
import { cachedMigrationConnections } from './migration-connections.js';
import type { InfoFields } from './persistence-host.js';

/** What identifies this build, as Redis's redis_build_id: rc's version on this Node. */
const BUILD_ID = createHash('sha1')
  .update(`rc ${SERVER_VERSION} ${process.version}`)
  .digest('hex')
  .slice(0, 15);

/** The event notification libuv uses underneath, in Redis's names. */
const MULTIPLEXING_API: Readonly<Record<string, string>> = {
  linux: 'epoll',
  darwin: 'kqueue',
  freebsd: 'kqueue',
  openbsd: 'kqueue',
  sunos: 'evport',
};

/** Redis's LRU clock: seconds, wrapping at 24 bits. */
const LRU_CLOCK_MAX = (1 << 24) - 1;

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

function serverFields(engine: Engine): InfoFields {
  const now = Date.now();
  const uptime = Math.floor((now - engine.startedAt) / 1000);
  return [
    ['redis_version', SERVER_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', BUILD_ID],
    ['redis_mode', engine.cluster === undefined ? 'standalone' : 'cluster'],
    ['os', `${type()} ${release()} ${machine()}`],
    ['arch_bits', process.arch === 'ia32' || process.arch === 'arm' ? 32 : 64],
    // libuv's clock on Unix.
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', MULTIPLEXING_API[process.platform] ?? 'select'],
    // What libuv's threads use; rc's own code runs on one thread.
    ['atomicvar_api', 'c11-builtin'],
    // Redis prints 0.0.0 when its compiler is not GCC; rc is not compiled at all.
    ['gcc_version', '0.0.0'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', engine.runId],
    // A server listening on TLS only reports its TLS port.
    ['tcp_port', String(engine.config.getNumber('port') || engine.config.getNumber('tls-port'))],
    ['server_time_usec', now * 1000],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', engine.config.get('hz')],
    ['configured_hz', engine.config.get('hz')],
    ['lru_clock', Math.floor(now / 1000) & LRU_CLOCK_MAX],
    ['executable', process.argv[1] === undefined ? '' : resolve(process.argv[1])],
    ['config_file', ''],
    ['io_threads_active', 0],
    ...shutdownFields(engine),
  ];
}

/** Shown while a shutdown waits for lagging replicas. */
function shutdownFields(engine: Engine): InfoFields {
  const remaining = engine.shutdown.remainingMs;
  return remaining === null ? [] : [['shutdown_in_milliseconds', remaining]];
}

function clientsFields(engine: Engine): InfoFields {
  let replicas = 0;
  let maxInput = 0;
  let maxOutput = 0;
  for (const client of engine.clients.values()) {
    if (client.kind === 'replica') replicas++;
    maxInput = Math.max(maxInput, client.connection.queryBufferLength ?? 0);
    const output =
      client.kind === 'replica' && engine.replication !== undefined
        ? engine.replication.replicaOutputBytes(client)
        : client.out.length + client.connection.pendingOutputBytes;
    maxOutput = Math.max(maxOutput, output);
  }
  return [
    // Replicas are not counted, as in Redis.
    ['connected_clients', engine.clients.size - replicas],
    // Two links (one each way) per other node, as Redis counts them.
    [
      'cluster_connections',
      engine.cluster === undefined ? 0 : (engine.cluster.state.nodes.size - 1) * 2,
    ],
    ['maxclients', engine.config.get('maxclients')],
    // Redis keeps the peaks of the last seconds; rc reports the current largest buffers.
    ['client_recent_max_input_buffer', maxInput],
    ['client_recent_max_output_buffer', maxOutput],
    ['blocked_clients', engine.blocking.blockedCount],
    ['tracking_clients', engine.tracking.clientCount],
    ['clients_in_timeout_table', engine.blocking.blockedCount],
  ];
}

function statsFields(engine: Engine): InfoFields {
  const stats = engine.stats;
  const exceeded = engine.eviction?.exceededTimes();
  const metrics = engine.metrics;
  const kbps = (perSecond: number): string => (perSecond / 1024).toFixed(2);
  return [
    ['total_connections_received', stats.totalConnections],
    ['total_commands_processed', stats.totalCommands],
    ['instantaneous_ops_per_sec', metrics.commands.value],
    ['total_net_input_bytes', stats.netInputBytes + stats.netReplicationInputBytes],
    ['total_net_output_bytes', stats.netOutputBytes + stats.netReplicationOutputBytes],
    ['total_net_repl_input_bytes', stats.netReplicationInputBytes],
    ['total_net_repl_output_bytes', stats.netReplicationOutputBytes],
    ['instantaneous_input_kbps', kbps(metrics.netInput.value)],
    ['instantaneous_output_kbps', kbps(metrics.netOutput.value)],
    ['instantaneous_input_repl_kbps', kbps(metrics.replicationInput.value)],
    ['instantaneous_output_repl_kbps', kbps(metrics.replicationOutput.value)],
    ['rejected_connections', engine.stats.rejectedConnections],
    ['sync_full', engine.replication?.stats.fullSyncs ?? 0],
    ['sync_partial_ok', engine.replication?.stats.partialSyncsAccepted ?? 0],
    ['sync_partial_err', engine.replication?.stats.partialSyncsRejected ?? 0],
    ['expired_keys', stats.expiredKeys],
    ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', 0],
    ['expire_cycle_cpu_milliseconds', 0],
    ['evicted_keys', stats.evictedKeys],
    ['evicted_clients', stats.evictedClients],
    ['total_eviction_exceeded_time', exceeded?.total ?? 0],
    ['current_eviction_exceeded_time', exceeded?.current ?? 0],
    ['keyspace_hits', stats.keyspaceHits],
    ['keyspace_misses', stats.keyspaceMisses],
    ['pubsub_channels', engine.pubsub.channels.size],
    ['pubsub_patterns', engine.pubsub.patterns.size],
    ['pubsubshard_channels', 0],
    // Snapshots are written without forking (a stand-in child shows for each).
    ['latest_fork_usec', 0],
    ['total_forks', stats.forks],
    ['migrate_cached_sockets', cachedMigrationConnections(engine)],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', engine.tracking.totalKeys],
    ['tracking_total_items', engine.tracking.totalItems],
    ['tracking_total_prefixes', engine.tracking.totalPrefixes],
    ['unexpected_error_replies', 0],
    ['total_error_replies', stats.totalErrorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', stats.readsProcessed],
    ['total_writes_processed', stats.writesProcessed],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', engine.replyBuffers.shrinks],
    ['reply_buffer_expands', engine.replyBuffers.expands],
  ];
}

function replicationFields(engine: Engine): InfoFields {
  if (engine.replication !== undefined) return engine.replication.infoFields();
  return [
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
  ];
}

function cpuFields(): InfoFields {
  const usage = cpuUsage();
  const seconds = (microseconds: number): string => (microseconds / 1e6).toFixed(6);
  return [
    ['used_cpu_sys', seconds(usage.system)],
    ['used_cpu_user', seconds(usage.user)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    // Node reports the process only; rc's work runs on its main thread.
    ['used_cpu_sys_main_thread', seconds(usage.system)],
    ['used_cpu_user_main_thread', seconds(usage.user)],
  ];
}

/** Every command and subcommand entry, parents before their subcommands. */
function* commandEntries(engine: Engine) {
  for (const entry of engine.commands.entries()) {
    yield entry;
    if (entry.subcommands !== null) yield* entry.subcommands.values();
  }
}

function commandstatsFields(engine: Engine): InfoFields {
  const rows: Array<[string, string]> = [];
  for (const each of commandEntries(engine)) {
    if (each.calls === 0 && each.rejectedCalls === 0 && each.failedCalls === 0) continue;
    const perCall = each.calls === 0 ? 0 : each.microseconds / each.calls;
    rows.push([
      `cmdstat_${each.fullName}`,
      `calls=${each.calls},usec=${each.microseconds},usec_per_call=${perCall.toFixed(2)},rejected_calls=${each.rejectedCalls},failed_calls=${each.failedCalls}`,
    ]);
  }
  return rows;
}

/** Sorted by code, as Redis keeps them in a radix tree. */
function errorstatsFields(engine: Engine): InfoFields {
  return [...engine.stats.errorCodes]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, count]) => [`errorstat_${code}`, `count=${count}`]);
}

function latencystatsFields(engine: Engine): InfoFields {
  if (engine.config.get('latency-tracking') !== 'yes') return [];
  const percentiles = engine.config
    .get('latency-tracking-info-percentiles')
    .split(' ')
    .filter((each) => each !== '')
    .map(Number);
  const rows: Array<[string, string]> = [];
  for (const each of commandEntries(engine)) {
    const histogram = each.latency;
    if (histogram === null) continue;
    const values = percentiles.map(
      (percentile) =>
        `p${percentile}=${(histogram.valueAtPercentile(percentile) / 1000).toFixed(3)}`,
    );
    rows.push([`latency_percentiles_usec_${each.fullName}`, values.join(',')]);
  }
  return rows;
}

function keyspaceFields(engine: Engine): InfoFields {
  return engine.databases
    .filter((db) => db.size > 0 || db.expires.size > 0)
    .map((db) => [
      `db${db.id}`,
      `keys=${db.size},expires=${db.expires.size},avg_ttl=${engine.averageTtl(db)}`,
    ]);
}

interface Section {
  readonly title: string;
  /** The names that select it (INFO modules and module_list both show # Modules). */
  readonly names: readonly string[];
  readonly fields: (engine: Engine) => InfoFields;
}

/** INFO's sections in Redis's order, whatever order they were asked in. */
const SECTIONS: readonly Section[] = [
  { title: 'Server', names: ['server'], fields: serverFields },
  { title: 'Clients', names: ['clients'], fields: clientsFields },
  { title: 'Memory', names: ['memory'], fields: memoryFields },
  {
    title: 'Persistence',
    names: ['persistence'],
    fields: (engine) => [
      ['loading', engine.loading ? 1 : 0],
      ['async_loading', engine.asyncLoading ? 1 : 0],
      ...(engine.persistence?.infoFields() ?? withoutFiles(engine)),
    ],
  },
  { title: 'Stats', names: ['stats'], fields: statsFields },
  { title: 'Replication', names: ['replication'], fields: replicationFields },
  { title: 'CPU', names: ['cpu'], fields: cpuFields },
  // rc loads no modules.
  { title: 'Modules', names: ['module_list', 'modules'], fields: () => [] },
  { title: 'Commandstats', names: ['commandstats'], fields: commandstatsFields },
  { title: 'Errorstats', names: ['errorstats'], fields: errorstatsFields },
  { title: 'Latencystats', names: ['latencystats'], fields: latencystatsFields },
  {
    title: 'Cluster',
    names: ['cluster'],
    fields: (engine) => [['cluster_enabled', engine.cluster === undefined ? 0 : 1]],
  },
  { title: 'Keyspace', names: ['keyspace'], fields: keyspaceFields },
];

const DEFAULT_SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'module_list',
  'errorstats',
  'cluster',
  'keyspace',
];

/**
 * INFO's text for the requested section names, as Redis's genRedisInfoString: none means
 * `default`; `all` and `everything` select every section; names are case-insensitive and
 * unknown ones add nothing.
 */
export function infoText(engine: Engine, requested: readonly string[]): string {
  const wanted = new Set(requested.length === 0 ? DEFAULT_SECTIONS : []);
  let all = false;
  for (const name of requested.map((each) => each.toLowerCase())) {
    if (name === 'default') DEFAULT_SECTIONS.forEach((each) => wanted.add(each));
    else if (name === 'all' || name === 'everything') all = true;
    else wanted.add(name);
  }
  const parts: string[] = [];
  for (const section of SECTIONS) {
    if (!all && !section.names.some((name) => wanted.has(name))) continue;
    let text = `# ${section.title}\r\n`;
    for (const [field, value] of section.fields(engine)) text += `${field}:${value}\r\n`;
    parts.push(text);
  }
  return parts.join('\r\n');
}
