/**
 * MIGRATE's outgoing connections, which the engine cannot open itself: the host (the daemon)
 * connects, writes and reads. Every call returns only once done or timed out, as Redis's
 * syncio: the server waits for the target, which keeps MIGRATE atomic (the key is deleted
 * only once the target has it) and usable in MULTI and scripts.
 */
export interface MigrationHost {
  /** A connection to host:port within `timeoutMs`, or null when it cannot be made. */
  connect(host: string, port: number, timeoutMs: number): MigrationConnection | null;
}

export interface MigrationConnection {
  /** Writes all of `bytes` within `timeoutMs`: `ok`, or why it could not. */
  write(bytes: Buffer, timeoutMs: number): 'ok' | 'timeout' | 'error';
  /**
   * One line of the peer's reply, without its CRLF, read within `timeoutMs` (Redis's
   * connSyncReadLine); `timeout` or `error` (closed, reset) when none came.
   */
  readLine(timeoutMs: number): string | 'timeout' | 'error';
  close(): void;
}
