import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from '@rc/test-support';

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface Daemon {
  readonly child: ChildProcess;
  /** Resolves with the exit code once the process is gone. */
  readonly exited: Promise<number | null>;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

const started = new Set<ChildProcess>();

/** The built rc-server as a child process; resolves once it is ready to serve, or has exited. */
export function startDaemon(args: readonly string[]): Promise<Daemon> {
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const daemon: Daemon = { child, exited, output: () => output };
  return new Promise((resolve) => {
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve(daemon);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then(() => resolve(daemon));
  });
}

/** Stops every daemon started so far: run after each test, so a failed one leaves none behind. */
export async function stopDaemons(): Promise<void> {
  await Promise.all([...started].map((child) => stopChild(child)));
  started.clear();
}
