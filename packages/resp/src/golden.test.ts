import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDouble } from './format-double.js';
import { ProtocolError } from './protocol-error.js';
import { RequestParser } from './request-parser.js';
import { ReplyWriter } from './reply-writer.js';

/** Bytes captured from redis-server 7.0.15 by scripts/capture-golden.mjs. */
interface Golden {
  replies: Array<{
    protocol: 2 | 3;
    command: string[];
    /** ReplyWriter calls; a call prefixed by 'resp3' is only made in RESP3 (attribute pairs). */
    writes: Array<[string, ...unknown[]]>;
    bytes: string;
  }>;
  /** error null: Redis sent nothing and kept the connection open, waiting for more input. */
  protocolErrors: Array<{
    input: string;
    pad?: [string, number];
    auth?: boolean;
    error: string | null;
  }>;
  /** [String(value), what ZSCORE printed]. */
  doubles: Array<[string, string]>;
}

const golden = JSON.parse(
  readFileSync(new URL('./golden/redis-7.0.json', import.meta.url), 'utf8'),
) as Golden;

function replay(out: ReplyWriter, write: [string, ...unknown[]]): void {
  const [method, ...args] = write;
  switch (method) {
    case 'resp3':
      if (out.protocol === 3) replay(out, args as [string, ...unknown[]]);
      return;
    case 'double':
      out.double(Number(String(args[0]).replace('inf', 'Infinity')));
      return;
    case 'integer':
      out.integer(typeof args[0] === 'string' ? BigInt(args[0]) : (args[0] as number));
      return;
    default:
      (out as unknown as Record<string, (...values: unknown[]) => void>)[method](...args);
  }
}

describe('ReplyWriter against golden bytes from redis-server 7.0', () => {
  for (const { protocol, command, writes, bytes } of golden.replies) {
    it(`RESP${protocol} ${command.join(' ')}`, () => {
      const out = new ReplyWriter(8);
      out.protocol = protocol;
      for (const write of writes) replay(out, write);
      expect(out.take().toString('latin1')).toBe(bytes);
    });
  }
});

describe('RequestParser protocol errors against redis-server 7.0', () => {
  for (const { input, pad, auth, error } of golden.protocolErrors) {
    const bytes = input + (pad ? pad[0].repeat(pad[1]) : '');
    const label = `${JSON.stringify(input)}${pad ? ` + ${pad[1]}×${pad[0]}` : ''}${auth ? ' before AUTH' : ''}`;
    it(`${label} → ${error ?? 'waits for more input'}`, () => {
      const parser = new RequestParser({ authRequired: auth === true });
      parser.feed(Buffer.from(bytes, 'latin1'));
      let result = parser.next();
      while (Array.isArray(result)) result = parser.next();
      if (error === null) {
        expect(result).toBeNull();
      } else {
        expect(result).toBeInstanceOf(ProtocolError);
        expect((result as ProtocolError).message).toBe(error);
      }
    });
  }
});

describe('formatDouble against ZSCORE of redis-server 7.0', () => {
  it(`prints all ${golden.doubles.length} captured scores as Redis does`, () => {
    const mismatches = golden.doubles.filter(
      ([input, text]) => formatDouble(Number(input)) !== text,
    );
    expect(mismatches).toEqual([]);
  });
});
