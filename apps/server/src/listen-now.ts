import { isIPv6, type Server } from 'node:net';
import { getSystemErrorName } from 'node:util';

interface TcpHandle {
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  listen(backlog: number): number;
  close(): void;
}

interface TcpBinding {
  TCP: new (type: number) => TcpHandle;
  constants: { SERVER: number };
}

/** Node's own TCP handle type, reached the way Node's net module reaches it. */
function tcpBinding(): TcpBinding | null {
  try {
    return (process as unknown as { binding(name: string): TcpBinding }).binding('tcp_wrap');
  } catch {
    return null;
  }
}

/**
 * Binds and listens on `address:port` now, then hands the listening socket to `server`;
 * returns null, or the error's code (EADDRINUSE...). `Server.listen` reports a failed bind only
 * on a later turn, but CONFIG SET port must answer with the outcome, as Redis's bind(2) does.
 * Where Node no longer offers its TCP binding, the listen is started and assumed to succeed.
 */
export function listenNow(server: Server, port: number, address: string): string | null {
  const binding = tcpBinding();
  if (binding === null) {
    server.listen(port, address);
    return null;
  }
  const handle = new binding.TCP(binding.constants.SERVER);
  let status = isIPv6(address) ? handle.bind6(address, port, 0) : handle.bind(address, port);
  if (status === 0) status = handle.listen(511);
  if (status !== 0) {
    handle.close();
    return getSystemErrorName(status);
  }
  server.listen({ _handle: handle } as unknown as { port: number });
  return null;
}
