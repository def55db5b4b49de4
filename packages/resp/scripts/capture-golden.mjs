// Captures golden bytes from a real redis-server 7.0 for @rc/resp's tests: replies to commands
// (RESP2 and RESP3), each with the ReplyWriter calls that must reproduce them; the error Redis
// sends for each malformed request (or null when Redis keeps waiting for more input); and
// ZSCORE's formatting of many doubles. Rerun after changing the cases:
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
  { command: ['ZADD', 'tie', '1000000000000000.25', 't'], writes: [['integer', 1]] },
  { command: ['ZSCORE', 'tie', 't'], writes: [['double', '1000000000000000.25']] },
  { command: ['DEBUG', 'PROTOCOL', 'string'], writes: [['bulk', 'Hello World']] },
  { command: ['DEBUG', 'PROTOCOL', 'integer'], writes: [['integer', 12345]] },
  { command: ['DEBUG', 'PROTOCOL', 'double'], writes: [['double', '3.141']] },
  {
    command: ['DEBUG', 'PROTOCOL', 'bignum'],
    writes: [['bigNumber', '1234567999999999999999999999999999999']],
  },
  { command: ['DEBUG', 'PROTOCOL', 'null'], writes: [['nullBulk']] },
  { command: ['DEBUG', 'PROTOCOL', 'true'], writes: [['boolean', true]] },
  { command: ['DEBUG', 'PROTOCOL', 'false'], writes: [['boolean', false]] },
  {
    command: ['DEBUG', 'PROTOCOL', 'verbatim'],
    writes: [['verbatim', 'txt', 'This is a verbatim\nstring']],
  },
  {
    command: ['DEBUG', 'PROTOCOL', 'map'],
    writes: [
      ['map', 3],
      ['integer', 0],
      ['boolean', false],
      ['integer', 1],
      ['boolean', true],
      ['integer', 2],
      ['boolean', false],
    ],
  },
  {
    command: ['DEBUG', 'PROTOCOL', 'set'],
    writes: [
      ['set', 3],
      ['integer', 0],
      ['integer', 1],
      ['integer', 2],
    ],
  },
  {
    command: ['DEBUG', 'PROTOCOL', 'attrib'],
    writes: [
      ['attribute', 1],
      ['resp3', 'bulk', 'key-popularity'],
      ['resp3', 'array', 2],
      ['resp3', 'bulk', 'key:123'],
      ['resp3', 'integer', 90],
      ['bulk', 'Some real reply following the attribute'],
    ],
  },
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

// Malformed requests. `pad` appends a character many times (the 64 KiB limits); `auth` runs
// the case on a connection that has not authenticated while requirepass is set.
const protocolErrorCases = [
  { input: '*abc\r\n' },
  { input: '*+1\r\n' },
  { input: '* 5\r\n' },
  { input: '*05\r\n' },
  { input: '*-0\r\n' },
  { input: '*2147483648\r\n' },
  { input: '*-9223372036854775809\r\n' },
  { input: '*1\n$4\r\nPING\r\n' },
  { input: '*1\r\nx\r\n' },
  { input: '*1\r\n\xff\r\n' },
  { input: '*1\r\n\r\n$4\r\nPING\r\n' },
  { input: '*1\r\n$-1\r\n' },
  { input: '*1\r\n$abc\r\n' },
  { input: '*1\r\n$+4\r\nPING\r\n' },
  { input: '*1\r\n$04\r\nPING\r\n' },
  { input: '*1\r\n$4\nPING\r\n' },
  { input: '*1\r\n$536870913\r\n' },
  { input: 'ECHO "abc\r\n' },
  { input: "ECHO 'abc\r\n" },
  { input: 'ECHO "abc"def\r\n' },
  { input: 'ECHO a"b c"d\r\n' },
  { input: '*', pad: ['1', 65536] },
  { input: '*', pad: ['1', 65535] },
  { input: '*1\r\n$', pad: ['1', 65536] },
  { input: '*1\r\n', pad: ['x', 65537] },
  { input: 'A', pad: ['A', 65536] },
  { input: 'A', pad: ['A', 65535] },
  { input: '*1\x00\r\n' },
  { input: '*1\r\n\x00\r\n' },
  { input: 'PING\x00\r\n' },
  { input: '*1\r\n\x00', pad: ['x', 70000] },
  { input: 'PING\x00', pad: ['x', 70000] },
  { input: '*10\r\n', auth: true },
  { input: '*11\r\n', auth: true },
  { input: '*1\r\n$16384\r\n', auth: true },
  { input: '*1\r\n$16385\r\n', auth: true },
  { input: '*2147483648\r\n', auth: true },
];

/** Doubles for ZSCORE: edge cases, exact ties at the 17th digit, and seeded random bit patterns. */
function doubleCases() {
  const values = [0.1, 1.5, 1e10, 1e15, 1e16, 1e17, 1e21, 1e-4, 1e-5, -0, 5e-324, 2 ** 53 + 2];
  values.push(1.7976931348623157e308, 1000000000000000.25, 1000000000000000.75, -2.5e-300);
  const view = new DataView(new ArrayBuffer(8));
  let seed = 20240601;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  while (values.length < 400) {
    view.setUint32(0, random());
    view.setUint32(4, random());
    const value = view.getFloat64(0);
    if (Number.isFinite(value)) values.push(value);
    values.push(1e15 + (random() % 1000000) / 4, (random() % 100000000) / 1024);
  }
  return values;
}

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

const server = spawn(
  'redis-server',
  ['--port', String(port), '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes'],
  { stdio: 'ignore' },
);
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
  for (const { input, pad, auth } of protocolErrorCases) {
    if (auth) await session(encode(['CONFIG', 'SET', 'requirepass', 'pw']));
    const raw = await session(input + (pad ? pad[0].repeat(pad[1]) : ''));
    if (auth) await session(encode(['AUTH', 'pw']) + encode(['CONFIG', 'SET', 'requirepass', '']));
    const error = raw === '' ? null : raw.slice(1, raw.indexOf('\r\n'));
    protocolErrors.push({ input, ...(pad ? { pad } : {}), ...(auth ? { auth } : {}), error });
  }
  const values = doubleCases();
  const zadd = values.flatMap((value, i) => [String(value), `m${i}`]);
  const raw = await session(
    encode(['ZADD', 'doubles', ...zadd]) +
      values.map((_, i) => encode(['ZSCORE', 'doubles', `m${i}`])).join(''),
    500,
  );
  const scoreLines = raw.split('\r\n');
  const doubles = values.map((value, i) => [String(value), scoreLines[2 + i * 2]]);
  writeFileSync(
    new URL('../src/golden/redis-7.0.json', import.meta.url),
    JSON.stringify(
      { capturedFrom: 'redis-server 7.0.15', replies, protocolErrors, doubles },
      null,
      2,
    ) + '\n',
  );
  console.log(
    `captured ${replies.length} replies, ${protocolErrors.length} protocol errors, ${doubles.length} doubles`,
  );
} finally {
  server.kill();
}
