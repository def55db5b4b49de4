// Starts the installed daemon as a user would (`npx rc-server --port 0`: a free port, logged),
// checks that it answers PING, and shuts it down. Needs only @rc/server installed.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One request, its reply up to the first CRLF. */
async function ask(port, command) {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(command);
  let reply = '';
  for await (const chunk of socket) {
    reply += chunk;
    if (reply.includes('\r\n')) break;
  }
  socket.destroy();
  return reply;
}

export async function pingDaemon() {
  const dir = mkdtempSync(join(tmpdir(), 'rc-daemon-'));
  const daemon = spawn('npx', ['--no-install', 'rc-server', '--port', '0', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise((resolve, reject) => {
      let log = '';
      daemon.stdout.on('data', (chunk) => {
        log += chunk;
        const found = /port=(\d+)/.exec(log);
        if (found !== null && log.includes('Ready to accept connections'))
          resolve(Number(found[1]));
      });
      daemon.on('exit', (code) => reject(new Error(`rc-server exited with ${code}:\n${log}`)));
    });
    const reply = await ask(port, 'PING\r\n');
    if (reply !== '+PONG\r\n')
      throw new Error(`rc-server answered PING with ${JSON.stringify(reply)}`);
    const exited = once(daemon, 'exit');
    await ask(port, 'SHUTDOWN NOSAVE\r\n').catch(() => undefined);
    await exited;
  } finally {
    daemon.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await pingDaemon();
  console.log('rc-server answered PING');
}
