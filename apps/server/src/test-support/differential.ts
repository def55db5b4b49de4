import { afterAll, beforeAll, expect } from 'vitest';
import { RawClient, encodeCommand } from './raw-client.js';
import { freePort, startRc, startRedis, type RunningServer } from './servers.js';

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
   * How long redis-server may take to answer a step before it counts as "no reply" (a blocked
   * command): 2 s unless a scenario makes replies that are slow by nature (strings of hundreds
   * of megabytes). rc then gets twice that, and at least `RC_REPLY_MS`, for each reply
   * redis-server gave.
   */
  replyTimeoutMs?: number;
}

/** How long redis-server's silence is waited for before a step counts as "no reply". */
const SILENCE_MS = 2000;

/**
 * How long rc may take to send a reply that redis-server sent: generous, for a loaded machine,
 * yet a hang still fails, as "(no reply)" against redis-server's reply to the step it names.
 */
const RC_REPLY_MS = 30_000;

const CLOSED = 'connection closed';

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
export function useDifferential(
  config: Array<[string, string]> = [],
  options: { cluster?: boolean } = {},
): Differential {
  let rc: RunningServer;
  let redis: RunningServer;
  beforeAll(async () => {
    // Cluster nodes each need a bus port of their own (port + 10000 may not exist).
    const own = async (): Promise<Array<[string, string]>> =>
      options.cluster === true
        ? [
            ['cluster-enabled', 'yes'],
            ['cluster-port', String(await freePort())],
          ]
        : [];
    const rcConfig = [...config, ...(await own())];
    const flags = [...config, ...(await own())].flatMap(([name, value]) => [`--${name}`, value]);
    [rc, redis] = await Promise.all([startRc(rcConfig), startRedis(flags)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([rc?.stop(), redis?.stop()]);
  });
  return {
    rcPort: () => rc.port,
    redisPort: () => redis.port,
    async compare(steps, options = {}) {
      // Without an explicit protocol, a scenario runs in both RESP2 and RESP3.
      for (const protocol of options.protocol ? [options.protocol] : ([2, 3] as const)) {
        // redis-server first: which steps it answers tells which replies rc must give, and
        // those are waited for long; where it stays silent, rc's silence is waited for as long.
        const silenceMs = options.replyTimeoutMs ?? SILENCE_MS;
        const theirs = await run(redis.port, steps, protocol, silenceMs);
        const ours = await run(rc.port, steps, protocol, silenceMs, theirs);
        const labels = slotLabels(steps);
        for (let i = 0; i < theirs.length; i++) {
          expect(show(ours[i]), `RESP${protocol} reply ${i}: ${labels[i]}`).toBe(show(theirs[i]));
        }
      }
    },
  };
}

/**
 * The replies to `steps` on a fresh connection, then the connection's state. A reply is waited
 * for `silenceMs`, or longer where the `reference` run (redis-server's) got one.
 */
async function run(
  port: number,
  steps: Step[],
  protocol: 2 | 3,
  silenceMs: number,
  reference?: ReadonlyArray<string | null>,
): Promise<Array<string | null>> {
  const answeredMs = Math.max(2 * silenceMs, RC_REPLY_MS);
  const limit = (slot: number) => (reference?.[slot] == null ? silenceMs : answeredMs);
  const prepare = async (connection: RawClient, ...commands: string[][]) => {
    for (const command of commands) {
      connection.write(encodeCommand(command));
      await connection.readReply(answeredMs);
    }
  };
  const hello = protocol === 3 ? [['HELLO', '3']] : [];
  const client = await RawClient.open(port);
  await prepare(client, ['FLUSHALL'], ...hello);
  const replies: Array<string | null> = [];
  const others = new Map<number, RawClient>();
  const read = async (from: RawClient) => bytesText(await from.readReply(limit(replies.length)));
  for (const step of steps) {
    if ('other' in step) {
      const otherPort = step.port ?? port;
      let other = others.get(otherPort);
      if (other === undefined) {
        other = await RawClient.open(otherPort);
        await prepare(other, ...hello);
        others.set(otherPort, other);
      }
      other.write(encodeCommand(step.other));
      const reply = await read(other);
      replies.push(reply === null || step.normalize === undefined ? reply : step.normalize(reply));
    } else if (Array.isArray(step)) {
      client.write(encodeCommand(step));
      replies.push(await read(client));
    } else if ('command' in step) {
      client.write(encodeCommand(step.command));
      const reply = await read(client);
      replies.push(reply === null ? null : step.normalize(reply));
    } else {
      if (step.raw !== '') client.write(step.raw);
      for (let i = 0; i < step.replies; i++) {
        const reply = await read(client);
        replies.push(
          reply === null || step.normalize === undefined ? reply : step.normalize(reply),
        );
      }
    }
  }
  for (const other of others.values()) other.close();
  // Where the reference run's server closed the connection, this one's close may be on its way.
  await client.waitClosed(reference?.[replies.length] === CLOSED ? answeredMs : 0);
  replies.push(client.closed ? CLOSED : 'connection open');
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

/** What each reply slot of a run answers (a raw step has several), then the connection state. */
function slotLabels(steps: Step[]): string[] {
  const labels = steps.flatMap((step) =>
    !Array.isArray(step) && 'raw' in step
      ? Array.from({ length: step.replies }, () => describe(step))
      : [describe(step)],
  );
  return [...labels, 'connection state'];
}

function describe(step: Step): string {
  if (Array.isArray(step)) return step.join(' ');
  if ('other' in step) return `(other client) ${step.other.join(' ')}`;
  return 'command' in step ? `${step.command.join(' ')} (normalized)` : JSON.stringify(step.raw);
}
