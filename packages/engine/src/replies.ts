import type { Client } from './client.js';
import type { HostReply } from './persistence-host.js';

// Replies that commands of several families write the same way.

/** Replies `OK`. */
export function ok(client: Client): void {
  client.out.simple('OK');
}

/** Long text replies (INFO, CLIENT INFO) are verbatim strings in RESP3. */
export function replyText(client: Client, text: string): void {
  if (client.protocol === 3) client.out.verbatim('txt', text);
  else client.out.bulk(text);
}

export function replyHost(client: Client, reply: HostReply): void {
  if ('status' in reply) client.out.simple(reply.status);
  else client.out.error(reply.error);
}

/** A HELP subcommand's reply: its lines as an array of status replies, as Redis's addReplyHelp. */
export function replyHelp(client: Client, lines: readonly string[]): void {
  client.out.array(lines.length);
  for (const line of lines) client.out.simple(line);
}
