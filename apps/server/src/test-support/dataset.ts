import { Redis } from 'ioredis';

/**
 * Everything a client can observe of a server's data, in a form that compares equal between
 * servers that hold the same data: keys sorted, unordered collections sorted, TTLs in whole
 * minutes (rounded up, so seconds passing between two reads do not matter), and nothing that depends on the clock (idle times) or on encodings.
 */
export async function describeDataset(port: number, databases = 16): Promise<unknown[]> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
  await client.connect();
  const described: unknown[] = [];
  try {
    for (let db = 0; db < databases; db++) {
      await client.select(db);
      const keys = (await client.keys('*')).sort();
      for (const key of keys) described.push([db, key, ...(await describeKey(client, key))]);
    }
  } finally {
    client.disconnect();
  }
  return described;
}

async function describeKey(client: Redis, key: string): Promise<unknown[]> {
  const type = await client.type(key);
  const ttl = await client.pttl(key);
  const minutes = ttl < 0 ? ttl : Math.ceil(ttl / 60_000);
  return [type, minutes, await describeValue(client, key, type)];
}

function describeValue(client: Redis, key: string, type: string): Promise<unknown> {
  switch (type) {
    case 'string':
      return client.get(key);
    case 'list':
      return client.lrange(key, 0, -1);
    case 'set':
      return client.smembers(key).then((members) => members.sort());
    case 'zset':
      return client.call('ZRANGE', key, '0', '-1', 'WITHSCORES');
    case 'hash':
      return client.hgetall(key).then((hash) => Object.entries(hash).sort());
    default:
      return describeStream(client, key);
  }
}

async function describeStream(client: Redis, key: string): Promise<unknown> {
  const info = (await client.call('XINFO', 'STREAM', key, 'FULL')) as unknown[];
  return withoutClockFields(info);
}

/** XINFO STREAM FULL minus clock readings and radix-tree sizes (an encoding detail). */
const SKIPPED_FIELDS = new Set(['seen-time', 'active-time', 'radix-tree-keys', 'radix-tree-nodes']);
const STREAM_ID = /^\d+-\d+$/;

function withoutClockFields(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const result: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] === 'string' && SKIPPED_FIELDS.has(value[i] as string)) {
      i++;
      continue;
    }
    result.push(withoutClockFields(value[i]));
  }
  const pendingEntry = typeof result[0] === 'string' && STREAM_ID.test(result[0]);
  // Pending entries: [id, consumer, delivery-time, count] in a group, [id, delivery-time,
  // count] in a consumer.
  if (pendingEntry && result.length === 4 && typeof result[2] === 'number') {
    return [result[0], result[1], result[3]];
  }
  if (pendingEntry && result.length === 3 && typeof result[1] === 'number') {
    return [result[0], result[2]];
  }
  return result;
}
