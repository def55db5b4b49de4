import type { Client } from './client.js';

/** How CLIENT TRACKING ON was asked for: Redis's CLIENT_TRACKING_* options. */
export interface TrackingOptions {
  /** The id of the client that receives this one's invalidations, or 0 for itself. */
  readonly redirect: number;
  readonly broadcast: boolean;
  readonly optIn: boolean;
  readonly optOut: boolean;
  readonly noLoop: boolean;
}

/** A client's tracking state while CLIENT TRACKING is on. */
export class ClientTracking implements TrackingOptions {
  redirect = 0;
  broadcast = false;
  optIn = false;
  optOut = false;
  noLoop = false;
  /** CLIENT CACHING YES (OPTIN) or NO (OPTOUT) was given for the next command. */
  caching = false;
  /** The redirect target was gone when an invalidation was due. */
  brokenRedirect = false;
  /** BCAST prefixes, in the order given. */
  readonly prefixes = new Set<string>();
}

/** Keys modified under one BCAST prefix since the last broadcast, with who last modified each. */
interface PrefixState {
  readonly keys: Map<string, Client | null>;
  readonly clients: Set<Client>;
}

/** The channel RESP2 clients subscribe to for redirected invalidations. */
export const INVALIDATION_CHANNEL = '__redis__:invalidate';

/**
 * Server-assisted client-side caching, as Redis's tracking.c: the keys each tracking client
 * read (key → client ids), BCAST prefixes, and the invalidation messages sent when those keys
 * change. Invalidations for the client whose command is running wait for its reply.
 */
export class Tracking {
  /** Key → ids of the clients that read it since its last invalidation. */
  private readonly table = new Map<string, Set<number>>();
  private items = 0;
  private readonly prefixTable = new Map<string, PrefixState>();
  /** Clients with tracking on. */
  clientCount = 0;
  /** The client whose command (or served blocked call) is running, as Redis's current_client. */
  private current: Client | null = null;
  /** Invalidations for `current`: a key, or null for a flush. */
  private pending: Array<string | null> = [];
  private broadcastScheduled = false;

  constructor(
    private readonly clients: ReadonlyMap<number, Client>,
    /** Hands written output to the transport (with the output-limit check). */
    private readonly deliver: (client: Client) => void,
  ) {}

  get totalKeys(): number {
    return this.table.size;
  }

  get totalItems(): number {
    return this.items;
  }

  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  /** Whether a modified key may concern anyone: the hot path's one check. */
  get watchingKeys(): boolean {
    return this.table.size !== 0 || this.prefixTable.size !== 0;
  }

  enable(client: Client, options: TrackingOptions, prefixes: readonly string[]): void {
    let state = client.tracking;
    if (state === null) {
      state = new ClientTracking();
      client.tracking = state;
      this.clientCount++;
    }
    state.redirect = options.redirect;
    state.broadcast = options.broadcast;
    state.optIn = options.optIn;
    state.optOut = options.optOut;
    state.noLoop = options.noLoop;
    state.brokenRedirect = false;
    if (!options.broadcast) return;
    for (const prefix of prefixes.length === 0 ? [''] : prefixes) {
      let prefixState = this.prefixTable.get(prefix);
      if (prefixState === undefined) {
        prefixState = { keys: new Map(), clients: new Set() };
        this.prefixTable.set(prefix, prefixState);
      }
      prefixState.clients.add(client);
      state.prefixes.add(prefix);
    }
  }

  /**
   * Redis's error for the first of `prefixes` that overlaps a prefix the client already has,
   * or another one given (one is the start of the other); null when none does.
   */
  prefixCollision(client: Client, prefixes: readonly string[]): string | null {
    const overlaps = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
    for (let i = 0; i < prefixes.length; i++) {
      for (const existing of client.tracking?.prefixes ?? []) {
        if (overlaps(existing, prefixes[i])) {
          return `ERR Prefix '${prefixes[i]}' overlaps with an existing prefix '${existing}'. Prefixes for a single client must not overlap.`;
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlaps(prefixes[i], prefixes[j])) {
          return `ERR Prefix '${prefixes[i]}' overlaps with another provided prefix '${prefixes[j]}'. Prefixes for a single client must not overlap.`;
        }
      }
    }
    return null;
  }

  /** CLIENT TRACKING OFF, RESET, or the connection closing. The table keeps the id: harmless. */
  disable(client: Client): void {
    const state = client.tracking;
    if (state === null) return;
    for (const prefix of state.prefixes) {
      const prefixState = this.prefixTable.get(prefix);
      if (prefixState === undefined) continue;
      prefixState.clients.delete(client);
      if (prefixState.clients.size === 0) this.prefixTable.delete(prefix);
    }
    client.tracking = null;
    this.clientCount--;
  }

  /** Remembers that `client` read `keys`, unless OPTIN/OPTOUT and CLIENT CACHING say not to. */
  remember(client: Client, keys: readonly string[]): void {
    const state = client.tracking;
    if (state === null || state.broadcast) return;
    if ((state.optIn && !state.caching) || (state.optOut && state.caching)) return;
    for (const key of keys) {
      let ids = this.table.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.table.set(key, ids);
      }
      if (!ids.has(client.id)) {
        ids.add(client.id);
        this.items++;
      }
    }
  }

  /**
   * A key changed (or expired): every client that read it is told once, then forgets it.
   * `modifier` is the client whose command changed it (null for expiry): BCAST's NOLOOP uses it.
   */
  keyModified(key: string, modifier: Client | null, broadcast = true): void {
    if (broadcast && this.prefixTable.size !== 0) this.rememberForBroadcast(key, modifier);
    const ids = this.table.get(key);
    if (ids === undefined) return;
    for (const id of ids) {
      const target = this.clients.get(id);
      const state = target?.tracking;
      if (target === undefined || state === null || state === undefined || state.broadcast) {
        continue;
      }
      if (target === this.current) {
        if (!state.noLoop) this.pending.push(key);
      } else this.send(target, [key]);
    }
    this.items -= ids.size;
    this.table.delete(key);
  }

  /** FLUSHALL, FLUSHDB, SWAPDB: every tracking client drops its whole cache (a null message). */
  flushed(): void {
    if (this.clientCount !== 0) {
      for (const client of this.clients.values()) {
        if (client.tracking === null) continue;
        if (client === this.current) this.pending.push(null);
        else this.send(client, null);
      }
    }
    this.table.clear();
    this.items = 0;
  }

  /**
   * Runs `command` as `client`'s: invalidations due to it are held back and sent after what the
   * command wrote (its reply), as Redis's afterCommand.
   */
  runAs<T>(client: Client, command: () => T): T {
    const outer = this.current;
    this.current = client;
    try {
      return command();
    } finally {
      this.current = outer;
      if (outer === null) this.sendPending(client);
    }
  }

  /** tracking-table-max-keys: the oldest tracked keys are invalidated until the table fits. */
  limit(maxKeys: number): void {
    // Checked first: it runs after every command while anyone tracks.
    if (maxKeys === 0 || this.table.size <= maxKeys) return;
    for (const key of this.table.keys()) {
      if (this.table.size <= maxKeys) return;
      this.keyModified(key, null, false);
    }
  }

  private sendPending(client: Client): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    for (const key of pending) this.send(client, key === null ? null : [key]);
  }

  private rememberForBroadcast(key: string, modifier: Client | null): void {
    for (const [prefix, state] of this.prefixTable) {
      if (key.startsWith(prefix)) state.keys.set(key, modifier);
    }
    if (!this.broadcastScheduled) {
      this.broadcastScheduled = true;
      // Redis broadcasts in beforeSleep: once per event-loop turn, after the turn's commands.
      setImmediate(() => this.broadcast());
    }
  }

  /** Sends each prefix's modified keys (in byte order, as Redis's radix tree) to its clients. */
  private broadcast(): void {
    this.broadcastScheduled = false;
    for (const state of this.prefixTable.values()) {
      if (state.keys.size === 0) continue;
      const keys = [...state.keys.keys()].sort();
      for (const client of state.clients) {
        if (client.tracking?.noLoop) {
          const others = keys.filter((key) => state.keys.get(key) !== client);
          if (others.length !== 0) this.send(client, others);
        } else this.send(client, keys);
      }
      state.keys.clear();
    }
  }

  /**
   * Redis's sendTrackingMessage: an `invalidate` push (RESP3), or a message on
   * __redis__:invalidate to a RESP2 redirect target that subscribed; nothing for a RESP2
   * client without one. `keys` null is a flush, sent as the tracking client's null.
   */
  private send(client: Client, keys: readonly string[] | null): void {
    const redirect = client.tracking?.redirect ?? 0;
    let target = client;
    if (redirect !== 0) {
      const redirected = this.clients.get(redirect);
      if (redirected === undefined) {
        if (client.tracking !== null) client.tracking.brokenRedirect = true;
        if (client.protocol === 3) {
          client.out.push(2);
          client.out.bulk('tracking-redir-broken');
          client.out.integer(redirect);
          this.deliver(client);
        }
        return;
      }
      target = redirected;
    }
    const out = target.out;
    if (target.protocol === 3) {
      out.push(2);
      out.bulk('invalidate');
    } else if (target !== client && target.isSubscriber) {
      out.push(3);
      out.bulk('message');
      out.bulk(INVALIDATION_CHANNEL);
    } else return;
    if (keys === null) out.raw(client.protocol === 3 ? NULL_RESP3 : NULL_RESP2);
    else {
      out.array(keys.length);
      for (const key of keys) out.bulk(key);
    }
    this.deliver(target);
  }
}

const NULL_RESP2 = Buffer.from('$-1\r\n');
const NULL_RESP3 = Buffer.from('_\r\n');
