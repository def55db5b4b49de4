import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The file a disk-based full sync (repl-diskless-load disabled) writes its payload to, as Redis's
 * readSyncBulkPayload: `temp-<unixtime>.<pid>.rdb` in `dir` while the payload comes, synced and
 * renamed over dbfilename once it is whole. A restarted replica loads that file and resumes
 * with PSYNC from its repl-id and repl-offset.
 */
export class SyncFile {
  private fd: number | null;

  private constructor(
    readonly path: string,
    private readonly dir: string,
  ) {
    this.fd = openSync(path, 'wx', 0o644);
  }

  /** Throws as Redis's open(2) fails ("Opening the temp file needed for ..."). */
  static create(dir: string): SyncFile {
    const name = `temp-${Math.floor(Date.now() / 1000)}.${process.pid}.rdb`;
    return new SyncFile(join(dir, name), dir);
  }

  write(bytes: Buffer): void {
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(this.fd as number, bytes, written, bytes.length - written);
    }
  }

  /**
   * The payload is whole: synced, renamed over `dbfilename`, the directory synced. Throws the
   * line Redis logs for the step that failed.
   */
  install(dbfilename: string): void {
    const target = join(this.dir, dbfilename);
    const fd = this.fd as number;
    this.fd = null;
    try {
      fsyncSync(fd);
    } catch (error) {
      rmSync(this.path, { force: true });
      throw stepFailed('sync the temp DB to disk', error);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(this.path, target);
    } catch (error) {
      rmSync(this.path, { force: true });
      throw stepFailed(`rename the temp DB into ${dbfilename}`, error);
    }
    try {
      const dirFd = openSync(dirname(target), 'r');
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    } catch (error) {
      throw stepFailed(`sync DB directory ${dbfilename}`, error);
    }
  }

  /** The transfer failed: the partial file goes (Redis's bg_unlink of its temp file). */
  discard(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    rmSync(this.path, { force: true });
  }
}

function stepFailed(step: string, error: unknown): Error {
  return new Error(
    `Failed trying to ${step} in MASTER <-> REPLICA synchronization: ${(error as Error).message}`,
  );
}
