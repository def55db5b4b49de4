import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from './protocol-error.js';
import { RequestParser } from './request-parser.js';
import { ReplyWriter } from './reply-writer.js';

/** Bytes captured from redis-server 7.0.15 by scripts/capture-golden.mjs. */
interface Golden {
  replies: Array<{
    protocol: 2 | 3;
    command: string[];
    writes: Array<[string, ...unknown[]]>;
    bytes: string;
  }>;
  protocolErrors: Array<{ input: string; error: string }>;
}

const golden = JSON.parse(
  readFileSync(new URL('./golden/redis-7.0.json', import.meta.url), 'latin1'),
) as Golden;

function replay(out: ReplyWriter, [method, argument]: [string, ...unknown[]]): void {
  switch (method) {
    case 'double':
      out.double(
        argument === 'inf' ? Infinity : argument === '-inf' ? -Infinity : Number(argument),
      );
      return;
    case 'integer':
      out.integer(typeof argument === 'string' ? BigInt(argument) : (argument as number));
      return;
    default:
      (out as unknown as Record<string, (value?: unknown) => void>)[method](argument);
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
  for (const { input, error } of golden.protocolErrors) {
    it(`${JSON.stringify(input)} → ${error}`, () => {
      const parser = new RequestParser();
      parser.feed(Buffer.from(input, 'latin1'));
      let result = parser.next();
      while (Array.isArray(result)) result = parser.next();
      expect(result).toBeInstanceOf(ProtocolError);
      expect((result as ProtocolError).message).toBe(error);
    });
  }
});
