import type { Client } from './client.js';
import type { Config } from './config.js';
import { parseMemory } from './memory-units.js';

interface Limit {
  hard: number;
  soft: number;
  softSeconds: number;
}

/**
 * client-output-buffer-limit for pub/sub clients: a subscriber that does not read must not make
 * the server's memory grow without bound. Over the hard limit, or over the soft limit for longer
 * than its seconds, the client is disconnected, as Redis does.
 */
export class OutputLimits {
  private limit: Limit = { hard: 0, soft: 0, softSeconds: 0 };
  private readonly softSince = new WeakMap<Client, number>();

  constructor(config: Config) {
    config.follow('client-output-buffer-limit', (value) => this.configure(value));
  }

  private configure(value: string): void {
    const words = value.split(/\s+/);
    for (let i = 0; i + 3 < words.length; i += 4) {
      if (words[i].toLowerCase() !== 'pubsub') continue;
      this.limit = {
        hard: parseMemory(words[i + 1]) ?? 0,
        soft: parseMemory(words[i + 2]) ?? 0,
        softSeconds: Number(words[i + 3]),
      };
    }
  }

  /** True when the subscriber is over its limits and must be closed. */
  exceeded(client: Client, pendingBytes: number): boolean {
    const { hard, soft, softSeconds } = this.limit;
    if (hard > 0 && pendingBytes >= hard) return true;
    if (soft === 0 || pendingBytes < soft) {
      this.softSince.delete(client);
      return false;
    }
    const now = Date.now();
    const since = this.softSince.get(client);
    if (since === undefined) {
      this.softSince.set(client, now);
      return false;
    }
    return now - since >= softSeconds * 1000;
  }
}
