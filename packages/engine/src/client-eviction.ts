import type { Client } from './client.js';
import { formatClientInfo } from './client-info.js';
import { clientMemoryUsage } from './client-memory.js';
import type { Engine } from './engine.js';

/** Redis's floor on the client eviction limit, so a bad setting still lets clients talk. */
const SMALLEST_LIMIT = 128 * 1024;

/**
 * maxmemory-clients, as Redis 7.0's client eviction: the memory of every normal and pub/sub
 * client (not CLIENT NO-EVICT) is kept as a sum, each client's share updated when its buffers
 * change; reaching the limit evicts the largest clients until below it. The memory of all
 * clients but replicas is summed too, for maxmemory (see Engine.memoryForEviction). With
 * neither limit, nothing is counted.
 */
export class ClientEviction {
  /** The limit in bytes; 0 when off. */
  private limit = 0;
  /** The tracked clients' memory, each counted as its `evictionMemory` says. */
  private total = 0;
  /** maxmemory is set: every client's memory is counted. */
  private forMaxmemory = false;
  /** The memory of every client but replicas, each counted as its `countedMemory` says. */
  clientsBytes = 0;

  constructor(private readonly engine: Engine) {
    const configure = (): void => this.configure();
    engine.config.onChange('maxmemory-clients', configure);
    engine.config.onChange('maxmemory', configure);
    this.configure();
  }

  /** Clients' memory is counted: call `update` when a client's buffers change. */
  get enabled(): boolean {
    return this.limit > 0 || this.forMaxmemory;
  }

  /** Redis's getClientEvictionLimit: bytes, or a percentage of maxmemory (`7%`). */
  private configure(): void {
    const setting = this.engine.config.get('maxmemory-clients');
    const maxmemory = this.engine.config.getNumber('maxmemory');
    let limit = 0;
    if (setting.endsWith('%')) {
      if (maxmemory > 0) limit = Math.floor((maxmemory * Number(setting.slice(0, -1))) / 100);
    } else {
      limit = Number(setting);
    }
    this.limit = limit === 0 ? 0 : Math.max(limit, SMALLEST_LIMIT);
    this.forMaxmemory = maxmemory > 0;
    this.total = 0;
    this.clientsBytes = 0;
    for (const client of this.engine.clients.values()) {
      client.evictionMemory = 0;
      client.countedMemory = 0;
      this.update(client);
    }
    this.evict();
  }

  /** Counts the client's memory anew (none for a client that may not be evicted). */
  update(client: Client, argvBytes = 0): void {
    if (!this.enabled || client.closed) return;
    const memory = client.kind === 'replica' ? 0 : clientMemoryUsage(client, argvBytes);
    this.clientsBytes += memory - client.countedMemory;
    client.countedMemory = memory;
    const evictionMemory = this.limit > 0 && evictable(client) ? memory : 0;
    this.total += evictionMemory - client.evictionMemory;
    client.evictionMemory = evictionMemory;
  }

  /** A client is gone, or evicted: its memory no longer counts. */
  forget(client: Client): void {
    this.total -= client.evictionMemory;
    client.evictionMemory = 0;
    this.clientsBytes -= client.countedMemory;
    client.countedMemory = 0;
  }

  /**
   * Redis's evictClients: while the clients' memory is at or over the limit, the largest
   * client is closed, logged and counted in evicted_clients. True if `client` was among them.
   */
  evict(client?: Client): boolean {
    if (this.limit === 0 || this.total < this.limit) return false;
    const candidates = [...this.engine.clients.values()].filter((c) => c.evictionMemory > 0);
    candidates.sort((a, b) => b.evictionMemory - a.evictionMemory);
    let evictedIt = false;
    for (const victim of candidates) {
      if (this.total < this.limit) break;
      this.engine.log('notice', `Evicting client: ${formatClientInfo(victim, this.engine, null)}`);
      this.forget(victim);
      victim.closingAsap = true;
      victim.connection.closeAsap?.();
      this.engine.stats.evictedClients++;
      if (victim === client) evictedIt = true;
    }
    if (this.total >= this.limit) {
      this.engine.log('warning', 'Over client maxmemory after evicting all evictable clients');
    }
    return evictedIt;
  }
}

/** Redis's clientEvictionAllowed: normal and pub/sub clients with a socket, not NO-EVICT. */
function evictable(client: Client): boolean {
  return (
    !client.noEvict &&
    !client.closingAsap &&
    client.kind === 'normal' &&
    client.connection.closeAsap !== undefined
  );
}
