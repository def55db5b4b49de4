/**
 * rc-rdb: inspect RDB files.
 *
 *   rc-rdb dump <file.rdb>    one JSON line per key: {db, key, type, value, expireAt}
 *   rc-rdb check <file.rdb>   read the whole file, verify the checksum, print a summary
 */

import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { RdbError } from './errors.js';
import { keyJsonLine } from './json-lines.js';
import { RdbReader } from './reader.js';

const USAGE = `usage: rc-rdb dump <file.rdb>    print one JSON line per key
       rc-rdb check <file.rdb>   verify the file and print a summary
`;

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function runCli(args: string[], stdout: Writable, stderr: Writable): Promise<number> {
  const [command, file] = args;
  if ((command !== 'dump' && command !== 'check') || file === undefined || args.length !== 2) {
    stderr.write(USAGE);
    return 2;
  }
  const reader = new RdbReader();
  const keysPerDb = new Map<number, number>();
  let keys = 0;
  let expires = 0;
  let checksum = 'absent';
  let functions = 0;
  const aux: string[] = [];
  const drain = async (): Promise<void> => {
    let lines = '';
    for (let record = reader.next(); record !== undefined; record = reader.next()) {
      if (record.kind === 'key') {
        keys++;
        if (record.expireAt !== null) expires++;
        keysPerDb.set(record.db, (keysPerDb.get(record.db) ?? 0) + 1);
        if (command === 'dump') {
          lines += keyJsonLine(record.db, record.key, record.value, record.expireAt) + '\n';
          if (lines.length > 65536) {
            await write(stdout, lines);
            lines = '';
          }
        }
      } else if (record.kind === 'aux') {
        aux.push(`${record.name}=${record.value}`);
      } else if (record.kind === 'function') {
        functions++;
      } else if (record.kind === 'end') {
        checksum = record.checksum;
      }
    }
    if (lines.length > 0) await write(stdout, lines);
  };
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
      reader.push(chunk as Buffer);
      await drain();
    }
    reader.end();
    await drain();
  } catch (error) {
    if (error instanceof RdbError || (error as NodeJS.ErrnoException).code !== undefined) {
      stderr.write(`rc-rdb: ${file}: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
  if (command === 'check') {
    const dbs = [...keysPerDb].sort((a, b) => a[0] - b[0]).map(([db, count]) => `db${db}=${count}`);
    stdout.write(
      `RDB version ${reader.version}, checksum ${checksum}\n` +
        `${keys} keys (${expires} with expiry)${dbs.length > 0 ? `: ${dbs.join(' ')}` : ''}\n` +
        (functions > 0 ? `${functions} function libraries\n` : '') +
        (aux.length > 0 ? `aux: ${aux.join(' ')}\n` : ''),
    );
  }
  return 0;
}
