import { afterAll, beforeAll, expect } from 'vitest';
import { RawClient, encodeCommand } from './raw-client.js';
import { startRc, startRedis, type RunningServer } from './servers.js';

/**
 * One step of a scenario: a command, raw bytes with the number of replies they produce, or a
 * command whose reply differs by nature (timestamps, ids, memory) and is compared once both
 * replies went through `normalize`.
 */
export type Step = string[] | RawStep | NormalizedStep | OtherClientStep;

/** Raw bytes (possibly none: a read) and how many replies to read, each normalized if asked. */
export interface RawStep {
  raw: string;
  replies: number;
  normalize?: (reply: string) => string;
}

/**
 * A command sent by a second connection (opened on first use, same protocol), for what changes
 * under the scenario's client between two of its commands (a config set while it is in MULTI);
 * with `port`, a connection to that other server (MIGRATE's target).
 */
export interface OtherClientStep {
  other: string[];
  port?: number;
  normalize?: (reply: string) => string;
}

export interface NormalizedStep {
  command: string[];
  /** Masks the volatile parts of a raw reply, keeping everything else byte for byte. */
  normalize: (reply: string) => string;
}

export interface CompareOptions {
  protocol?: 2 | 3;
  /**
   * How long a step may take to answer before it counts as "no reply": 2 s unless a scenario
   * makes replies that are slow by nature (strings of hundreds of megabytes).
   */
  replyTimeoutMs?: number;
}

export interface Differential {
  /**
   * Runs steps on fresh connections to both servers, in RESP2 and RESP3 unless one protocol is
   * given, and asserts identical raw replies.
   */
  compare(steps: Step[], options?: CompareOptions): Promise<void>;
  rcPort(): number;
  redisPort(): number;
}

/**
 * Differential testing: the same scenario against rc and a real redis-server started for the
 * test file (both with the same extra configuration), comparing every reply byte for byte.
 * Each scenario starts from FLUSHALL.
 */
export function useDifferential(config: Array<[string, string]> = []): Differential {
  let rc: RunningServer;
  let redis: RunningServer;
  beforeAll(async () => {
    const flags = config.flatMap(([name, value]) => [`--${name}`, value]);
    [rc, redis] = await Promise.all([startRc(config), startRedis(flags)]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([rc?.stop(), redis?.stop()]);
  });
  return {
    rcPort: () => rc.port,
    redisPort: () => redis.port,
    async compare(steps, options = {}) {
      // Without an explicit protocol, a scenario runs in both RESP2 and RESP3.
      for (const protocol of options.protocol ? [options.protocol] : ([2, 3] as const)) {
        const timeout = options.replyTimeoutMs ?? 2000;
        const ours = await run(rc.port, steps, protocol, timeout);
        const theirs = await run(redis.port, steps, protocol, timeout);
        for (let i = 0; i < theirs.length; i++) {
          expect(show(ours[i]), `RESP${protocol} step ${i}: ${describe(steps[i])}`).toBe(
            show(theirs[i]),
          );
        }
      }
    },
  };
}

async function run(
  port: number,
  steps: Step[],
  protocol: 2 | 3,
  timeoutMs: number,
): Promise<Array<string | null>> {
  const client = await RawClient.open(port);
  await client.command('FLUSHALL');
  if (protocol === 3) await client.command('HELLO', '3');
  const replies: Array<string | null> = [];
  const others = new Map<number, RawClient>();
  for (const step of steps) {
    if ('other' in step) {
      const otherPort = step.port ?? port;
      let other = others.get(otherPort);
      if (other === undefined) {
        other = await RawClient.open(otherPort);
        if (protocol === 3) await other.command('HELLO', '3');
        others.set(otherPort, other);
      }
      other.write(encodeCommand(step.other));
      const reply = bytesText(await other.readReply(timeoutMs));
      replies.push(reply === null || step.normalize === undefined ? reply : step.normalize(reply));
    } else if (Array.isArray(step)) {
      client.write(encodeCommand(step));
      replies.push(bytesText(await client.readReply(timeoutMs)));
    } else if ('command' in step) {
      client.write(encodeCommand(step.command));
      const reply = bytesText(await client.readReply(timeoutMs));
      replies.push(reply === null ? null : step.normalize(reply));
    } else {
      if (step.raw !== '') client.write(step.raw);
      for (let i = 0; i < step.replies; i++) {
        const reply = bytesText(await client.readReply(timeoutMs));
        replies.push(
          reply === null || step.normalize === undefined ? reply : step.normalize(reply),
        );
      }
    }
  }
  for (const other of others.values()) other.close();
  await client.waitClosed(0);
  replies.push(client.closed ? 'connection closed' : 'connection open');
  client.close();
  return replies;
}

function bytesText(bytes: Buffer | null): string | null {
  return bytes === null ? null : bytes.toString('latin1');
}

/** Readable form of raw replies: CRLF shown, control bytes escaped. */
function show(text: string | null | undefined): string {
  if (text === null || text === undefined) return '(no reply)';
  return JSON.stringify(text);
}

function describe(step: Step | undefined): string {
  if (step === undefined) return 'connection state';
  if (Array.isArray(step)) return step.join(' ');
  if ('other' in step) return `(other client) ${step.other.join(' ')}`;
  return 'command' in step ? `${step.command.join(' ')} (normalized)` : JSON.stringify(step.raw);
}
