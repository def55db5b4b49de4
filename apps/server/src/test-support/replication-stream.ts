import { connect, type Socket } from 'node:net';
import { RequestParser } from '@rc/resp';

/**
 * What a replica of a real redis-server receives: connects, sends SYNC, skips the RDB payload
 * and then parses the command stream (SELECT, MULTI/EXEC and the effective writes). Needs a
 * server started with `repl-diskless-sync no`, so the payload comes as `$<length>\r\n<bytes>`.
 */
export class ReplicationStream {
  private pending = Buffer.alloc(0);
  private payloadLeft = -1;
  private readonly parser = new RequestParser();
  private readonly commands: string[][] = [];
  private waiters: Array<() => void> = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<ReplicationStream> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const opened = connect(port, '127.0.0.1', () => resolve(opened));
      opened.once('error', reject);
    });
    const stream = new ReplicationStream(socket);
    socket.write('SYNC\r\n');
    await stream.until(() => stream.payloadLeft === 0, 10_000);
    return stream;
  }

  private receive(chunk: Buffer): void {
    if (this.payloadLeft !== 0) {
      this.pending = Buffer.concat([this.pending, chunk]);
      if (this.payloadLeft === -1) {
        // Newlines keep the link alive while the master saves; then "$<length>\r\n".
        let start = 0;
        while (start < this.pending.length && this.pending[start] === 0x0a) start++;
        const end = this.pending.indexOf('\r\n', start);
        if (end === -1) return;
        this.payloadLeft = Number(this.pending.subarray(start + 1, end).toString());
        this.pending = this.pending.subarray(end + 2);
      }
      const skipped = Math.min(this.payloadLeft, this.pending.length);
      this.payloadLeft -= skipped;
      this.pending = this.pending.subarray(skipped);
      if (this.payloadLeft !== 0) return;
      chunk = this.pending;
    }
    this.parser.feed(chunk);
    for (let next = this.parser.next(); next !== null; next = this.parser.next()) {
      if (Array.isArray(next)) this.commands.push(next);
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  private async until(condition: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() >= deadline) throw new Error('replication stream: timed out');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every command received up to and including the first that satisfies `last`. */
  async takeUntil(last: (command: string[]) => boolean, timeoutMs = 5000): Promise<string[][]> {
    let index = -1;
    await this.until(() => (index = this.commands.findIndex(last)) !== -1, timeoutMs);
    return this.commands.splice(0, index + 1);
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * Commands as "db: argv" lines: SELECT is folded into the database of what follows, and the
 * master's PINGs are dropped, so streams of two servers compare line by line.
 */
export function opLines(commands: string[][], startDb = 0): { lines: string[]; db: number } {
  let db = startDb;
  const lines: string[] = [];
  for (const command of commands) {
    const name = command[0].toUpperCase();
    if (name === 'SELECT') db = Number(command[1]);
    else if (name !== 'PING' && name !== 'REPLCONF') lines.push(`${db}: ${command.join(' ')}`);
  }
  return { lines, db };
}

/**
 * Replaces millisecond times near `origin` (PXAT, PEXPIREAT, XCLAIM TIME, stream IDs) with
 * their offset from it rounded to 10 seconds, so two servers running the same script at
 * different moments compare equal: scripts use offsets that are multiples of 10 s, and a
 * loaded machine delays a command by seconds at most.
 */
export function normalizeTimes(line: string, origin: number): string {
  return line.replace(/\b(\d{13})(?=\b|-)/g, (digits) => {
    const offset = Number(digits) - origin;
    if (Math.abs(offset) > 10 * 365 * 86_400_000) return digits;
    const tens = Math.round(offset / 10_000) * 10;
    return `<t${tens >= 0 ? '+' : ''}${tens === 0 ? 0 : tens}s>`;
  });
}
