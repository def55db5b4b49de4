import type { ClientConnection } from './client.js';

/**
 * A connection with no socket behind it, for clients the server runs commands as (the AOF
 * loader, a replica's master link) and for tests: nothing to flush, resume or close.
 */
export function detachedConnection(remoteAddress = '', localAddress = ''): ClientConnection {
  return {
    remoteAddress,
    localAddress,
    pendingOutputBytes: 0,
    scheduleFlush: () => undefined,
    resume: () => undefined,
    close: () => undefined,
  };
}
