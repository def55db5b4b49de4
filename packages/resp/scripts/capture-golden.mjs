// Captures golden bytes from a real redis-server 7.0 for @rc/resp's tests: replies to commands
// (RESP2 and RESP3), each with the ReplyWriter calls that must reproduce them, and the error
// Redis sends for each malformed request. Rerun after changing the cases:
//   pnpm --filter @rc/resp build && node scripts/capture-golden.mjs   (needs redis-server on PATH)
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { replyFrameLength } from '../dist/index.js';

const port = 7491;

const replyCases = [
  { command: ['PING'], writes: [['simple', 'PONG']] },
  { command: ['ECHO', 'hello\r\nworld'], writes: [['bulk', 'hello\r\nworld']] },
  { command: ['GET', 'missing'], writes: [['nullBulk']] },
  { command: ['INCRBY', 'n', '-42'], writes: [['integer', -42]] },
  {
    command: ['INCRBY', 'big', '9223372036854775807'],
    writes: [['integer', '9223372036854775807']],
  },
  {
    command: ['NOSUCH'],
    writes: [['error', "ERR unknown command 'NOSUCH', with args beginning with: "]],
  },
  {
    command: ['ZADD', 'z', '1.5', 'a', '0.1', 'b', 'inf', 'c', '-inf', 'd', '10000000000', 'e'],
    writes: [['integer', 5]],
  },
  { command: ['ZSCORE', 'z', 'a'], writes: [['double', '1.5']] },
  { command: ['ZSCORE', 'z', 'b'], writes: [['double', '0.1']] },
  { command: ['ZSCORE', 'z', 'c'], writes: [['double', 'inf']] },
  { command: ['ZSCORE', 'z', 'd'], writes: [['double', '-inf']] },
  { command: ['ZSCORE', 'z', 'e'], writes: [['double', '1e10']] },
  { command: ['RPUSH', 'l', 'x', 'y'], writes: [['integer', 2]] },
  {
    command: ['LRANGE', 'l', '0', '-1'],
    writes: [
      ['array', 2],
      ['bulk', 'x'],
      ['bulk', 'y'],
    ],
  },
  { command: ['LRANGE', 'none', '0', '-1'], writes: [['array', 0]] },
  { command: ['HSET', 'h', 'f', 'v'], writes: [['integer', 1]] },
  {
    command: ['HGETALL', 'h'],
    writes: [
      ['map', 1],
      ['bulk', 'f'],
      ['bulk', 'v'],
    ],
  },
  { command: ['SADD', 's', 'm'], writes: [['integer', 1]] },
  {
    command: ['SMEMBERS', 's'],
    writes: [
      ['set', 1],
      ['bulk', 'm'],
    ],
  },
  { command: ['BLPOP', 'none', '0.01'], writes: [['nullArray']] },
  {
    command: ['SUBSCRIBE', 'ch'],
    writes: [
      ['push', 3],
      ['bulk', 'subscribe'],
      ['bulk', 'ch'],
      ['integer', 1],
    ],
  },
];

const protocolErrorCases = [
  '*abc\r\n',
  '*+1\r\n',
  '*1\r\nx\r\n',
  '*1\r\n$-1\r\n',
  '*1\r\n$abc\r\n',
  '*1\r\n$536870913\r\n',
  'ECHO "abc\r\n',
  "ECHO 'abc\r\n",
  'ECHO "abc"def\r\n',
];

function encode(args) {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg, 'latin1')}\r\n${arg}\r\n`).join('')}`;
}

function session(input, wait = 150) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received = [];
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(Buffer.from(input, 'latin1')));
    setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(received).toString('latin1'));
    }, wait);
  });
}

const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
  stdio: 'ignore',
});
await new Promise((resolve) => setTimeout(resolve, 400));
try {
  const replies = [];
  for (const protocol of [2, 3]) {
    await session(encode(['FLUSHALL']));
    for (const { command, writes } of replyCases) {
      const hello = protocol === 3 ? encode(['HELLO', '3']) : '';
      const raw = await session(hello + encode(command));
      // Drop HELLO's own reply: the first complete frame in the stream.
      const bytes = protocol === 3 ? raw.slice(replyFrameLength(Buffer.from(raw, 'latin1'))) : raw;
      replies.push({ protocol, command, writes, bytes });
    }
  }
  const protocolErrors = [];
  for (const input of protocolErrorCases) {
    const raw = await session(input);
    protocolErrors.push({ input, error: raw.slice(1, raw.indexOf('\r\n')) });
  }
  writeFileSync(
    new URL('../src/golden/redis-7.0.json', import.meta.url),
    JSON.stringify({ capturedFrom: 'redis-server 7.0.15', replies, protocolErrors }, null, 2) +
      '\n',
  );
  console.log(`captured ${replies.length} replies and ${protocolErrors.length} protocol errors`);
} finally {
  server.kill();
}
