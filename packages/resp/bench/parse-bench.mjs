// @rc/resp parsers against redis-parser (the parser ioredis uses), side by side in one process.
// Run: pnpm --filter @rc/resp build && pnpm --filter @rc/resp bench
// (node --expose-gc: a collection runs before each pass so one pass's garbage does not bill
// the next.)
import RedisParser from 'redis-parser';
import { NEED_MORE, ReplyParser, RequestParser } from '../dist/index.js';

const CHUNK = 64 * 1024;
const ROUNDS = 5;

function chunks(buffer) {
  const parts = [];
  for (let offset = 0; offset < buffer.length; offset += CHUNK)
    parts.push(buffer.subarray(offset, offset + CHUNK));
  return parts;
}

/** Best of ROUNDS: items per second for one full pass over the chunks. */
function measure(name, items, pass) {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    globalThis.gc?.();
    const started = process.hrtime.bigint();
    const seen = pass();
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    if (seen !== items) throw new Error(`${name}: parsed ${seen} of ${items}`);
    best = Math.min(best, elapsed);
  }
  return items / best;
}

function commandsStream(count) {
  const parts = [];
  for (let i = 0; i < count; i++) {
    const key = `key:${i}`;
    parts.push(`*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$5\r\nvalue\r\n`);
  }
  return Buffer.from(parts.join(''), 'latin1');
}

function repliesStream(count, withErrors) {
  const parts = [];
  for (let i = 0; i < count; i++) {
    switch (i % 5) {
      case 0:
        parts.push('+OK\r\n');
        break;
      case 1:
        parts.push(`:${i}\r\n`);
        break;
      case 2:
        parts.push(`$12\r\nvalue-${String(i % 1000000).padStart(6, '0')}\r\n`);
        break;
      case 3:
        parts.push(`*3\r\n$3\r\nfoo\r\n:${i}\r\n$-1\r\n`);
        break;
      default:
        parts.push(withErrors ? '-ERR something went wrong\r\n' : '$5\r\nhello\r\n');
    }
  }
  return Buffer.from(parts.join(''), 'latin1');
}

function redisParserPass(parts, returnBuffers) {
  let seen = 0;
  const parser = new RedisParser({
    returnReply: () => seen++,
    returnError: () => seen++,
    returnBuffers,
  });
  for (const part of parts) parser.execute(part);
  return seen;
}

const commandCount = 1_000_000;
const commandParts = chunks(commandsStream(commandCount));
const ours = measure('RequestParser', commandCount, () => {
  const parser = new RequestParser();
  let seen = 0;
  for (const part of commandParts) {
    parser.feed(part);
    while (parser.next() !== null) seen++;
  }
  return seen;
});
const theirs = measure('redis-parser', commandCount, () => redisParserPass(commandParts, false));

const replyCount = 1_000_000;
function replyRates(withErrors) {
  const parts = chunks(repliesStream(replyCount, withErrors));
  const pass = (options) => () => {
    const parser = new ReplyParser(options);
    let seen = 0;
    for (const part of parts) {
      parser.feed(part);
      while (parser.next() !== NEED_MORE) seen++;
    }
    return seen;
  };
  return {
    views: measure('ReplyParser', replyCount, pass({})),
    latin1: measure('ReplyParser strings', replyCount, pass({ bulkStrings: true })),
    strings: measure('redis-parser', replyCount, () => redisParserPass(parts, false)),
    buffers: measure('redis-parser buffers', replyCount, () => redisParserPass(parts, true)),
  };
}
const mixed = replyRates(true);
const noErrors = replyRates(false);

const row = (label, rate, base) =>
  `| ${label} | ${(rate / 1e6).toFixed(2)} M/s | ${(rate / base).toFixed(2)}× |`;
console.log(`Node ${process.version}, 64 KiB chunks, best of ${ROUNDS}\n`);
console.log('| workload | throughput | vs redis-parser |');
console.log('| --- | ---: | ---: |');
console.log(row('1M `SET key:i value` commands: RequestParser', ours, theirs));
console.log(row('1M `SET key:i value` commands: redis-parser', theirs, theirs));
for (const [label, rates] of [
  ['1M mixed replies (20% errors)', mixed],
  ['1M mixed replies (no errors)', noErrors],
]) {
  console.log(row(`${label}: ReplyParser, bulks as Buffer views`, rates.views, rates.buffers));
  console.log(row(`${label}: redis-parser, returnBuffers`, rates.buffers, rates.buffers));
  console.log(row(`${label}: ReplyParser, bulks as strings`, rates.latin1, rates.strings));
  console.log(row(`${label}: redis-parser, strings`, rates.strings, rates.strings));
}
