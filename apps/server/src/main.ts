#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Config,
  SERVER_VERSION,
  formatClientInfo,
  infoText,
  type EngineCrash,
  type ShutdownSignal,
  describeErrno,
} from '@rc/engine';
import { parseArguments } from './arguments.js';
import { crashSignal, writeCrashReport } from './crash-report.js';
import { followProcTitle } from './proc-title.js';
import { followOomScoreAdj } from './oom-score.js';
import { followWatchdogPeriod } from './watchdog.js';
import { followMaxclients } from './open-files-limit.js';
import { logo } from './banner.js';
import {
  createLog,
  formatLogLine,
  logs,
  writeLog,
  type Log,
  type LogRole,
  type LogSettings,
  logFilePath,
} from './log.js';
import { RcServer } from './server.js';
import { StandInChild } from './stand-in-child.js';

const USAGE = `Usage: rc-server [/path/to/redis.conf] [options]
       rc-server -v or --version
       rc-server -h or --help

Options are redis-server's configuration directives, e.g.
       rc-server --port 7777
       rc-server --bind 0.0.0.0 --dir /var/lib/rc --dbfilename dump.rdb
       rc-server --port 7777 --replicaof 127.0.0.1 8888
       rc-server /etc/redis/6379.conf --loglevel verbose

`;

/** Set in the environment of the detached process that `daemonize yes` starts. */
const DAEMON_CHILD = 'RC_DAEMONIZED';
/** Redis's pidfile when daemonized without one configured. */
const DEFAULT_PIDFILE = '/var/run/redis.pid';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const parsed = parseArguments(args);
  if (parsed.kind === 'help') {
    process.stderr.write(USAGE);
    process.exit(1);
  }
  if (parsed.kind === 'version') {
    process.stdout.write(
      `Redis server v=${SERVER_VERSION} sha=00000000:0 malloc=node bits=64 build=rc (node ${process.version})\n`,
    );
    return;
  }
  if (parsed.kind === 'error') {
    if (parsed.via === 'stderr') process.stderr.write(parsed.message);
    else process.stdout.write(formatLogLine('C', 'warning', parsed.message));
    process.exit(1);
  }
  const startup = new Config();
  for (const [name, value] of parsed.config) startup.set(name, value);
  const daemonized = startup.get('daemonize') === 'yes';
  if (daemonized && process.env[DAEMON_CHILD] === undefined) {
    // Node cannot fork: the daemon is this program again, detached, and the parent exits 0.
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...args], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, [DAEMON_CHILD]: '1' },
    });
    child.unref();
    process.exit(0);
  }

  // Until initServer, Redis logs as a child would; then each line carries the role it has now.
  let replication: { readonly master: unknown } | null = null;
  // loglevel may change at runtime (CONFIG SET): read from the server's config once it exists.
  let config = startup;
  const settings: LogSettings = {
    level: () => config.get('loglevel'),
    file: () => logFilePath(startup.get('logfile'), config.get('dir')),
    role: (): LogRole => (replication === null ? 'C' : replication.master === null ? 'M' : 'S'),
  };
  const log = createLog(settings);
  log('warning', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log(
    'warning',
    `Redis version=${SERVER_VERSION}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started`,
  );
  if (args.length === 0) {
    log(
      'warning',
      'Warning: no config file specified, using the default config. In order to specify a config file use rc-server /path/to/redis.conf',
    );
  } else {
    log('warning', 'Configuration loaded');
  }

  const pidfile = startup.get('pidfile') || (daemonized ? DEFAULT_PIDFILE : '');
  // Known before the signal handlers, which may finish the shutdown while the data loads.
  const unixsocket = startup.get('unixsocket');
  const running = new RcServer({
    config: parsed.config,
    configFile: parsed.configFile,
    users: parsed.users,
    renames: parsed.renames,
    log,
    onShutdown: () => finish(),
    onCrash: (crash) => crashed(crash),
  });
  config = running.engine.config;
  // From the start, as Redis's setupSignalHandlers: a signal during loading is handled too.
  const shutdownOnSignal = (signal: ShutdownSignal): void => {
    const shutdown = running.engine.shutdown;
    // A second SIGINT: the user insists, Redis exits at once (with an error) and leaves no
    // half-written final save behind.
    if (signal === 'SIGINT' && shutdown.requestedBySignal) {
      log('warning', 'You insist... exiting now.');
      rmSync(join(running.engine.config.get('dir'), `temp-${process.pid}.rdb`), { force: true });
      process.exit(1);
    }
    log(
      'warning',
      running.engine.loading
        ? 'Received shutdown signal during loading, scheduling shutdown.'
        : `Received ${signal} scheduling shutdown...`,
    );
    shutdown.signal(signal);
  };
  process.on('SIGTERM', () => shutdownOnSignal('SIGTERM'));
  process.on('SIGINT', () => shutdownOnSignal('SIGINT'));
  followOomScoreAdj(config, log);
  followProcTitle(config, parsed.configFile);
  followWatchdogPeriod(running.engine);
  replication = running.replication;
  if (!followMaxclients(config, log)) process.exit(1);
  try {
    await running.bind();
  } catch (error) {
    // Why each address failed is logged already; this is Redis's last word before exiting.
    log('warning', (error as Error).message);
    process.exit(1);
  }
  if (pidfile !== '') writePidFile(pidfile, log);
  const mode = running.cluster === null ? 'standalone' : 'cluster';
  if (startup.get('always-show-logo') === 'yes' || (!daemonized && process.stdout.isTTY)) {
    if (logs(settings, 'notice')) writeLog(settings, logo(running.port || running.tls.port, mode));
  } else {
    log('notice', `Running mode=${mode}, port=${running.port || running.tls.port}.`);
  }
  log('warning', 'Server initialized');
  StandInChild.prepareFirst();
  try {
    await running.load();
  } catch (error) {
    log('warning', (error as Error).message);
    process.exit(1);
  }
  log('notice', 'Ready to accept connections');
  if (unixsocket !== '') {
    log('notice', `The server is now ready to accept connections at ${unixsocket}`);
  }

  /** finishShutdown's last steps, once the data is safe: files removed, then the exit. */
  function finish(): void {
    if (pidfile !== '') {
      log('notice', 'Removing the pid file.');
      rmSync(pidfile, { force: true });
    }
    if (unixsocket !== '') log('notice', 'Removing the unix socket file.');
    log('warning', 'Redis is now ready to exit, bye bye...');
    process.exit(0);
  }

  /** A crash asked for (DEBUG SEGFAULT, PANIC...) or a fatal signal: Redis's bug report. */
  function crashed(crash: EngineCrash): void {
    if (crash.kind === 'aof-load') {
      log('warning', crash.message);
      process.exit(1);
    }
    writeCrashReport(crash, log, (text) => logs(settings, 'warning') && writeLog(settings, text), {
      info: () => infoText(running.engine, ['all']),
      clientList: () =>
        [...running.engine.clients.values()]
          .map((client) => formatClientInfo(client, running.engine, null))
          .join('\n'),
    });
    if (daemonized && pidfile !== '') rmSync(pidfile, { force: true });
    // Die by the signal, as Redis re-raises it once its handler is gone.
    const signal = crashSignal(crash);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  for (const [signal, number] of [
    ['SIGSEGV', 11],
    ['SIGBUS', 7],
    ['SIGFPE', 8],
    ['SIGILL', 4],
    ['SIGABRT', 6],
  ] as const) {
    process.on(signal, () =>
      crashed({
        kind: signal === 'SIGABRT' ? 'assertion' : 'segfault',
        message: `Redis ${SERVER_VERSION} crashed by signal: ${number}, si_code: 0`,
      }),
    );
  }
}

/** The pid file: written at start, as Redis's createPidFile; a failure is only logged. */
function writePidFile(path: string, log: Log): void {
  try {
    writeFileSync(path, `${process.pid}\n`);
  } catch (error) {
    log('warning', `Failed to write PID file: ${describeErrno(error)}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rc-server: ${(error as Error).message}\n`);
  process.exit(1);
});
