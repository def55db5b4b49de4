#!/usr/bin/env node
import { SERVER_VERSION } from '@rc/engine';
import { parseArguments } from './arguments.js';
import { createLog } from './log.js';
import { RcServer } from './server.js';

const USAGE = `Usage: rc-server [/path/to/redis.conf] [options]
       rc-server --version
       rc-server --help

Options are redis-server's configuration directives, e.g.
       rc-server --port 7777
       rc-server --bind 0.0.0.0 --dir /var/lib/rc --dbfilename dump.rdb
       rc-server --replicaof 127.0.0.1 8888
       rc-server /etc/redis/6379.conf --loglevel verbose
`;

async function main(): Promise<void> {
  const parsed = parseArguments(process.argv.slice(2));
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return;
    case 'version':
      process.stdout.write(
        `rc-server v=0.1.0 redis-compatible=${SERVER_VERSION} node=${process.version}\n`,
      );
      return;
    case 'error':
      process.stderr.write(`*** FATAL CONFIG ERROR ***\n${parsed.message}\n\n${USAGE}`);
      process.exitCode = 1;
      return;
  }
  const log = createLog(
    (line) => process.stdout.write(line),
    () => server.engine.config.get('loglevel'),
  );
  const server = new RcServer({ config: parsed.config, onShutdown: () => process.exit(0), log });
  const port = await server.listen();
  const shutdown = (signal: string): void => {
    log('warning', `Received ${signal} scheduling shutdown...`);
    // As Redis: a failed final save keeps the server running rather than losing the data.
    if ('error' in server.persistence.prepareShutdown('default', false)) return;
    // Exit even if a socket lingers: SIGTERM must finish within a second.
    setTimeout(() => process.exit(0), 800).unref();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Announced last, so that whoever waits for this line can already stop us cleanly.
  process.stdout.write(`rc-server ready to accept connections on port ${port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`rc-server: ${(error as Error).message}\n`);
  process.exit(1);
});
