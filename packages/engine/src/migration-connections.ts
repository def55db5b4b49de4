import type { Engine } from './engine.js';
import type { MigrationConnection } from './migration-host.js';

/*
 * MIGRATE's connections to its targets, kept for reuse as Redis's migrate_cached_sockets
 * (migrateGetSocket, migrateCloseSocket, migrateCloseTimedoutSockets).
 */

/** At most this many targets keep a connection; an idle one is closed after TTL seconds. */
const CACHE_ITEMS = 64;
const CACHE_TTL_MS = 10_000;

export interface CachedConnection {
  readonly connection: MigrationConnection;
  /** The database the target has selected on it, or -1 when unknown. */
  lastDb: number;
  idleTimer: NodeJS.Timeout | null;
}

const connectionsByEngine = new WeakMap<Engine, Map<string, CachedConnection>>();

function cacheOf(engine: Engine): Map<string, CachedConnection> {
  let cache = connectionsByEngine.get(engine);
  if (cache === undefined) {
    cache = new Map();
    connectionsByEngine.set(engine, cache);
  }
  return cache;
}

/** INFO's migrate_cached_sockets. */
export function cachedMigrationConnections(engine: Engine): number {
  return connectionsByEngine.get(engine)?.size ?? 0;
}

/** The cached connection to host:port or a new one; null when none can be made. */
export function migrationConnection(
  engine: Engine,
  host: string,
  port: string,
  timeoutMs: number,
): CachedConnection | null {
  const cache = cacheOf(engine);
  const name = `${host}:${port}`;
  let cached = cache.get(name);
  if (cached === undefined) {
    // Full: one goes (Redis drops one at random).
    if (cache.size === CACHE_ITEMS) closeByName(engine, cache.keys().next().value as string);
    // atoi, as Redis: what is not a number is port 0, which no connection reaches.
    const connection = engine.migration?.connect(host, atoi(port), timeoutMs) ?? null;
    if (connection === null) return null;
    cached = { connection, lastDb: -1, idleTimer: null };
    cache.set(name, cached);
  }
  // Used now: closed once idle for longer than the TTL.
  if (cached.idleTimer !== null) clearTimeout(cached.idleTimer);
  cached.idleTimer = setTimeout(() => closeByName(engine, name), CACHE_TTL_MS);
  cached.idleTimer.unref();
  return cached;
}

export function closeMigrationConnection(engine: Engine, host: string, port: string): void {
  closeByName(engine, `${host}:${port}`);
}

function closeByName(engine: Engine, name: string): void {
  const cache = cacheOf(engine);
  const cached = cache.get(name);
  if (cached === undefined) return;
  if (cached.idleTimer !== null) clearTimeout(cached.idleTimer);
  cached.connection.close();
  cache.delete(name);
}

function atoi(text: string): number {
  const match = /^\s*[+-]?\d+/.exec(text);
  return match === null ? 0 : Number.parseInt(match[0], 10);
}
