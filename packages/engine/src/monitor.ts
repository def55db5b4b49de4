import { performance } from 'node:perf_hooks';
import type { Client } from './client.js';

/** sdscatrepr: a quoted, escaped representation of a binary-safe string. */
export function quoteArgument(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 92:
        out += '\\\\';
        break;
      case 34:
        out += '\\"';
        break;
      case 10:
        out += '\\n';
        break;
      case 13:
        out += '\\r';
        break;
      case 9:
        out += '\\t';
        break;
      case 7:
        out += '\\a';
        break;
      case 8:
        out += '\\b';
        break;
      default:
        out += c >= 32 && c < 127 ? text[i] : `\\x${c.toString(16).padStart(2, '0')}`;
    }
  }
  return out + '"';
}

/**
 * Who sent a command, as MONITOR names it: the peer's address, or for a unix socket client
 * (whose address is `<path>:0`) `unix:<path>`.
 */
function origin(source: Client): string {
  const address = source.connection.remoteAddress;
  return address.startsWith('/') ? `unix:${address.slice(0, address.lastIndexOf(':'))}` : address;
}

/** The wall clock in microseconds, as Redis's gettimeofday. */
function nowMicroseconds(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/**
 * MONITOR: every executed command (but admin ones) is echoed to monitoring clients as
 * `+<seconds.microseconds> [<db> <addr>] "arg" ...`, after it ran; EVAL, EVALSHA and FCALL
 * (flagged skip_monitor) feed theirs before the commands their script runs, as Redis.
 */
export class Monitors {
  readonly clients = new Set<Client>();

  constructor(private readonly clock: () => number = nowMicroseconds) {}

  feed(source: Client, argv: readonly string[]): void {
    if (this.clients.size === 0) return;
    const micros = this.clock();
    const fraction = String(micros % 1_000_000).padStart(6, '0');
    let line = `${Math.floor(micros / 1_000_000)}.${fraction} [${source.db.id} ${origin(source)}]`;
    for (const arg of argv) line += ' ' + quoteArgument(arg);
    for (const monitor of this.clients) {
      if (monitor.closed) continue;
      monitor.out.simple(line);
      monitor.connection.scheduleFlush();
    }
  }
}
