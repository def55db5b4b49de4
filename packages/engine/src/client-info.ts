import type { Client } from './client.js';

/** One CLIENT LIST / CLIENT INFO line, with the fields Redis 7.0 prints, in its order. */
export function formatClientInfo(client: Client): string {
  const now = Date.now();
  let flags = client.kind === 'master' ? 'M' : client.kind === 'replica' ? 'S' : '';
  if (client.transaction !== null) flags += 'x';
  if (client.blocked !== null) flags += 'b';
  if (client.subscriptionCount > 0) flags += 'P';
  if (flags === '') flags = 'N';
  const fields: Array<[string, string | number]> = [
    ['id', client.id],
    ['addr', client.connection.remoteAddress],
    ['laddr', client.connection.localAddress],
    ['fd', 8],
    ['name', client.name],
    ['age', Math.floor((now - client.createdAt) / 1000)],
    ['idle', Math.floor((now - client.lastInteraction) / 1000)],
    ['flags', flags],
    ['db', client.db.id],
    ['sub', client.channels.size],
    ['psub', client.patterns.size],
    ['ssub', 0],
    ['multi', client.transaction === null ? -1 : client.transaction.length],
    ['qbuf', 0],
    ['qbuf-free', 0],
    ['argv-mem', 0],
    ['multi-mem', 0],
    ['rbs', 1024],
    ['rbp', 0],
    ['obl', 0],
    ['oll', 0],
    ['omem', client.out.length],
    ['tot-mem', client.out.length],
    ['events', 'r'],
    ['cmd', client.lastCommand],
    ['user', 'default'],
    ['redir', -1],
    ['resp', client.protocol],
  ];
  return fields.map(([name, value]) => `${name}=${value}`).join(' ');
}
