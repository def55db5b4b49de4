#!/usr/bin/env node
// Starts N rc nodes as one Redis Cluster on this machine, one process (one core) each: the way
// to use more than one core with rc. Each node gets the next port from BASE (default 7000), its
// bus on port + 10000, its own directory, and an equal share of the slots; the nodes MEET the
// first one and the script returns once every node reports cluster_state:ok.
//
//   node apps/server/scripts/start-cluster.mjs 4            # nodes on 7000-7003, daemonized
//   node apps/server/scripts/start-cluster.mjs 4 --base 30000 --server redis-server
//   redis-cli -c -p 7000 set foo bar
//   node apps/server/scripts/start-cluster.mjs stop 4       # SHUTDOWN NOSAVE on each node
//
// `--server redis-server` starts real Redis nodes the same way (for the side-by-side benchmark).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SLOTS = 16384;
const daemon = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Sends one inline command and resolves with the first line of the reply (or a bulk's body). */
export function command(port, line) {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let data = '';
    socket.on('error', reject);
    // SHUTDOWN closes without a reply.
    socket.on('close', () => resolve(data.split('\r\n')[0]));
    socket.on('data', (chunk) => {
      data += chunk;
      const end = data.indexOf('\r\n');
      if (end === -1) return;
      if (data[0] === '$') {
        const length = Number(data.slice(1, end));
        if (data.length < end + 2 + length + 2) return;
        resolve(data.slice(end + 2, end + 2 + length));
      } else {
        resolve(data.slice(0, end));
      }
      socket.end();
    });
    socket.write(`${line}\r\n`);
  });
}

async function waitFor(check, what, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts `count` nodes on ports base..base+count-1 and makes them one cluster. Returns the
 * ports; `stopCluster` ends them.
 */
export async function startCluster({ count, base = 7000, server = 'rc', dir } = {}) {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'rc-cluster-'));
  const ports = Array.from({ length: count }, (_, index) => base + index);
  for (const port of ports) {
    const nodeDir = join(root, String(port));
    mkdirSync(nodeDir, { recursive: true });
    const flags = ['--port', String(port), '--cluster-enabled', 'yes', '--dir', nodeDir];
    flags.push('--save', '', '--appendonly', 'no', '--daemonize', 'yes');
    flags.push('--logfile', 'node.log');
    const [program, args] =
      server === 'rc' ? [process.execPath, [daemon, ...flags]] : [server, flags];
    const child = spawn(program, args, { stdio: 'ignore', detached: true });
    child.unref();
  }
  for (const port of ports) {
    await waitFor(async () => (await command(port, 'PING')) === '+PONG', `node ${port}`);
  }
  // Contiguous equal shares, the remainder to the first nodes.
  let start = 0;
  for (const [index, port] of ports.entries()) {
    const share = Math.floor(SLOTS / count) + (index < SLOTS % count ? 1 : 0);
    const reply = await command(port, `CLUSTER ADDSLOTSRANGE ${start} ${start + share - 1}`);
    if (reply !== '+OK') throw new Error(`node ${port}: ${reply}`);
    await command(port, `CLUSTER SET-CONFIG-EPOCH ${index + 1}`);
    start += share;
  }
  for (const port of ports.slice(1)) await command(port, `CLUSTER MEET 127.0.0.1 ${ports[0]}`);
  for (const port of ports) {
    await waitFor(
      async () => (await command(port, 'CLUSTER INFO')).includes('cluster_state:ok'),
      `cluster ok on ${port}`,
    );
  }
  return ports;
}

export async function stopCluster(ports) {
  for (const port of ports) await command(port, 'SHUTDOWN NOSAVE').catch(() => undefined);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const index = args.indexOf(name);
    return index === -1 ? fallback : args[index + 1];
  };
  const base = Number(option('--base', '7000'));
  if (args[0] === 'stop') {
    const count = Number(args[1] ?? '3');
    await stopCluster(Array.from({ length: count }, (_, index) => base + index));
  } else {
    const count = Number(args[0] ?? '3');
    const ports = await startCluster({ count, base, server: option('--server', 'rc') });
    console.log(
      `cluster of ${count} on ports ${ports[0]}-${ports.at(-1)}: redis-cli -c -p ${ports[0]}`,
    );
  }
}
