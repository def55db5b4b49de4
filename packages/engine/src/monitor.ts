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
 * MONITOR: every executed command (but admin ones) is echoed to monitoring clients as
 * `+<seconds.micros> [<db> <addr>] "arg" ...`.
 */
export class Monitors {
  readonly clients = new Set<Client>();

  feed(source: Client, argv: readonly string[]): void {
    const now = Date.now();
    const micros = String((now % 1000) * 1000).padStart(6, '0');
    let line = `${Math.floor(now / 1000)}.${micros} [${source.db.id} ${source.connection.remoteAddress}]`;
    for (const arg of argv) line += ' ' + quoteArgument(arg);
    for (const monitor of this.clients) {
      if (monitor.closed) continue;
      monitor.out.simple(line);
      monitor.connection.scheduleFlush();
    }
  }
}
