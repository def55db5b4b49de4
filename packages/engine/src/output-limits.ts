import type { Client } from './client.js';
import type { Config } from './config.js';
import { parseMemory } from './memory-units.js';

interface Limit {
  hard: number;
  soft: number;
  softSeconds: number;
}

const NONE: Limit = { hard: 0, soft: 0, softSeconds: 0 };

/** Redis's PROTO_REPLY_CHUNK_BYTES: the reply buffer, which output limits do not count. */
export const REPLY_BUFFER_BYTES = 16 * 1024;

/** The output limit classes a client can fall in (replicas are limited by the replication). */
type OutputClass = 'normal' | 'pubsub';

/**
 * client-output-buffer-limit for normal and pub/sub clients, as Redis's
 * checkClientOutputBufferLimits: a client whose pending output reaches its class's hard limit,
 * or stays at or over the soft limit for more than its seconds, is over its limits. A client is
 * of the pubsub class while it has subscriptions; MONITOR clients are normal.
 */
export class OutputLimits {
  private normal: Limit = NONE;
  private pubsub: Limit = NONE;

  constructor(config: Config) {
    config.follow('client-output-buffer-limit', (value) => this.configure(value));
  }

  private configure(value: string): void {
    const words = value.split(/\s+/);
    for (let i = 0; i + 3 < words.length; i += 4) {
      const limit = {
        hard: parseMemory(words[i + 1]) ?? 0,
        soft: parseMemory(words[i + 2]) ?? 0,
        softSeconds: Number(words[i + 3]),
      };
      const name = words[i].toLowerCase();
      if (name === 'normal') this.normal = limit;
      else if (name === 'pubsub') this.pubsub = limit;
    }
  }

  /**
   * Whether `client`, with `used` bytes of output beyond its reply buffer, is over its limits;
   * keeps the time it first went over its soft limit.
   */
  exceeded(client: Client, used: number): boolean {
    const { hard, soft, softSeconds } = this[classOf(client)];
    if (hard > 0 && used >= hard) return true;
    if (soft === 0 || used < soft) {
      client.outputSoftLimitSince = 0;
      return false;
    }
    const now = Math.floor(Date.now() / 1000);
    if (client.outputSoftLimitSince === 0) {
      client.outputSoftLimitSince = now;
      return false;
    }
    return now - client.outputSoftLimitSince > softSeconds;
  }

  /**
   * How much output a client may pile up before it must wait for its socket to drain: its hard
   * limit, which closes it first, or its soft limit, which it then stays at until its seconds
   * run out, as Redis would see it; 16 MB without limits.
   */
  holdBackAt(client: Client): number {
    const { hard, soft } = this[classOf(client)];
    return hard > 0 ? hard : soft > 0 ? soft : HOLD_BACK_WITHOUT_LIMITS;
  }
}

/**
 * Where a client with no output limits is held back (see holdBackAt): well above what one read
 * of commands usually asks for, as Redis lets such a client's output grow.
 */
const HOLD_BACK_WITHOUT_LIMITS = 16 * 1024 * 1024;

function classOf(client: Client): OutputClass {
  return client.channels.size + client.patterns.size + client.shardChannels.size > 0
    ? 'pubsub'
    : 'normal';
}
