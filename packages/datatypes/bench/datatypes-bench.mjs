// @rc/datatypes against simple baselines and sorted-btree, in one process.
// Run: pnpm --filter @rc/datatypes build && pnpm --filter @rc/datatypes bench
import BTreeModule from 'sorted-btree';
import { QuickList, SortedSet, Stream } from '../dist/index.js';

const BTree = BTreeModule.default ?? BTreeModule;
const rows = [];

function time(label, operations, run) {
  const started = process.hrtime.bigint();
  run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rows.push([label, operations, operations / seconds]);
}

/** Heap bytes per element retained by what `build` returns. */
/** Heap plus ArrayBuffer memory: typed-array storage lives outside the JS heap. */
function usedBytes() {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function bytesPerElement(count, build) {
  globalThis.gc();
  const before = usedBytes();
  const kept = build();
  globalThis.gc();
  const after = usedBytes();
  if (!kept) throw new Error('nothing built');
  return Math.round((after - before) / count);
}

// A deterministic pseudo-random sequence, so every structure sees the same data.
// xorshift32: exact in doubles, unlike a multiply-by-1103515245 LCG.
let seed = 42;
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};

const N = 1_000_000;
const SMALL = 100_000;

// Lists: QuickList (byte nodes) vs Array.
{
  const list = new QuickList();
  time(`list: ${N} pushTail (QuickList)`, N, () => {
    for (let i = 0; i < N; i++) list.pushTail(`v${i}`);
  });
  const array = [];
  time(`list: ${N} push (Array)`, N, () => {
    for (let i = 0; i < N; i++) array.push(`v${i}`);
  });
  const headList = new QuickList();
  time(`list: ${SMALL} pushHead (QuickList)`, SMALL, () => {
    for (let i = 0; i < SMALL; i++) headList.pushHead(`v${i}`);
  });
  const headArray = [];
  time(`list: ${SMALL} unshift (Array)`, SMALL, () => {
    for (let i = 0; i < SMALL; i++) headArray.unshift(`v${i}`);
  });
  time(`list: 10k LRANGE of 100 at random offsets (QuickList)`, 10_000, () => {
    for (let i = 0; i < 10_000; i++) {
      const start = Math.floor(random() * (N - 100));
      list.range(start, start + 99);
    }
  });
  time(`list: 10k slice of 100 at random offsets (Array)`, 10_000, () => {
    for (let i = 0; i < 10_000; i++) {
      const start = Math.floor(random() * (N - 100));
      array.slice(start, start + 100);
    }
  });
  time(`list: ${SMALL} popHead of ${N} (QuickList)`, SMALL, () => {
    for (let i = 0; i < SMALL; i++) list.popHead();
  });
  time(`list: ${SMALL} shift of ${N} (Array)`, SMALL, () => {
    for (let i = 0; i < SMALL; i++) array.shift();
  });
  rows.push([
    `list: bytes per element, ${SMALL} short strings (QuickList)`,
    0,
    bytesPerElement(SMALL, () => QuickList.from(Array.from({ length: SMALL }, (_, i) => `v${i}`))),
  ]);
  rows.push([
    `list: bytes per element, ${SMALL} short strings (Array)`,
    0,
    bytesPerElement(SMALL, () => Array.from({ length: SMALL }, (_, i) => `v${i}`)),
  ]);
}

// Sorted sets: skiplist SortedSet vs sorted-btree vs a sorted array with binary search.
{
  const scores = Array.from({ length: N }, () => Math.floor(random() * 1e9));
  const zset = new SortedSet();
  time(`zset: ${N} inserts (SortedSet)`, N, () => {
    for (let i = 0; i < N; i++) zset.add(`m${i}`, scores[i]);
  });
  const compare = (a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
  const tree = new BTree(undefined, compare);
  time(`zset: ${N} inserts (sorted-btree)`, N, () => {
    for (let i = 0; i < N; i++) tree.set([scores[i], `m${i}`], true);
  });
  const sorted = [];
  const position = (entry) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (compare(sorted[middle], entry) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  time(`zset: ${SMALL} inserts (sorted array + binary search)`, SMALL, () => {
    for (let i = 0; i < SMALL; i++) {
      const entry = [scores[i], `m${i}`];
      sorted.splice(position(entry), 0, entry);
    }
  });
  time(`zset: 100k ZRANK (SortedSet, ${N} members)`, SMALL, () => {
    for (let i = 0; i < SMALL; i++) zset.rank(`m${Math.floor(random() * N)}`);
  });
  // ZADD of existing members: each moves to a random place (unlinked, then linked anew).
  const moves = Array.from({ length: SMALL }, () => [
    Math.floor(random() * N),
    Math.floor(random() * 1e9),
  ]);
  time(`zset: 100k score changes (SortedSet, ${N} members)`, SMALL, () => {
    for (const [k, score] of moves) zset.add(`m${k}`, score);
  });
  const treeScores = [...scores];
  time(`zset: 100k score changes (sorted-btree, ${N} members)`, SMALL, () => {
    for (const [k, score] of moves) {
      tree.delete([treeScores[k], `m${k}`]);
      treeScores[k] = score;
      tree.set([score, `m${k}`], true);
    }
  });
  time(`zset: 100k rank by binary search (sorted array, ${SMALL} members)`, SMALL, () => {
    for (let i = 0; i < SMALL; i++) {
      const k = Math.floor(random() * SMALL);
      position([scores[k], `m${k}`]);
    }
  });
  time(`zset: 10k ZRANGEBYSCORE LIMIT 0 100 (SortedSet)`, 10_000, () => {
    for (let i = 0; i < 10_000; i++) {
      const low = Math.floor(random() * 1e9);
      zset.rangeByScore(
        { value: low, exclusive: false },
        { value: Infinity, exclusive: false },
        { count: 100 },
      );
    }
  });
  time(`zset: 10k range of 100 from a score (sorted-btree)`, 10_000, () => {
    for (let i = 0; i < 10_000; i++) {
      const low = Math.floor(random() * 1e9);
      let taken = 0;
      tree.forRange([low, ''], [Infinity, ''], false, () => {
        if (++taken >= 100) return { break: true };
        return undefined;
      });
    }
  });
  time(`zset: 10k ZRANGE by rank of 100 (SortedSet)`, 10_000, () => {
    for (let i = 0; i < 10_000; i++) {
      const start = Math.floor(random() * (N - 100));
      zset.rangeByRank(start, start + 99);
    }
  });
  time(`zset: ${SMALL} ZPOPMIN (SortedSet)`, SMALL, () => {
    zset.popMin(SMALL);
  });
  time(`zset: ${SMALL} pop min (sorted-btree)`, SMALL, () => {
    for (let i = 0; i < SMALL; i++) tree.delete(tree.minKey());
  });
  time(`zset: ${SMALL / 10} pop min (sorted array shift)`, SMALL / 10, () => {
    for (let i = 0; i < SMALL / 10; i++) sorted.shift();
  });
  rows.push([
    `zset: bytes per member, ${SMALL} members (SortedSet)`,
    0,
    bytesPerElement(SMALL, () => {
      const s = new SortedSet();
      for (let i = 0; i < SMALL; i++) s.add(`m${i}`, scores[i]);
      return s;
    }),
  ]);
  rows.push([
    `zset: bytes per member, ${SMALL} members (sorted-btree)`,
    0,
    bytesPerElement(SMALL, () => {
      const t = new BTree(undefined, compare);
      for (let i = 0; i < SMALL; i++) t.set([scores[i], `m${i}`], true);
      return t;
    }),
  ]);
}

// Streams: Stream (radix tree of packed blocks) vs an array of entries with binary search.
{
  const stream = new Stream(100);
  const fields = ['sensor', 'temperature', 'value', '21.5'];
  time(`stream: ${N} appends (Stream)`, N, () => {
    for (let i = 1; i <= N; i++) stream.append({ ms: BigInt(i), seq: 0n }, fields);
  });
  const entries = [];
  time(`stream: ${N} appends (Array of entries)`, N, () => {
    for (let i = 1; i <= N; i++) entries.push({ id: { ms: BigInt(i), seq: 0n }, fields });
  });
  time(`stream: 10k XRANGE of 100 from random IDs (Stream)`, 10_000, () => {
    for (let i = 0; i < 10_000; i++) {
      const start = BigInt(1 + Math.floor(random() * (N - 100)));
      stream.range({ ms: start, seq: 0n }, { ms: start + 99n, seq: 0n });
    }
  });
  time(`stream: 10k range of 100 by binary search (Array)`, 10_000, () => {
    for (let i = 0; i < 10_000; i++) {
      const start = BigInt(1 + Math.floor(random() * (N - 100)));
      let low = 0;
      let high = entries.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (entries[middle].id.ms < start) low = middle + 1;
        else high = middle;
      }
      entries.slice(low, low + 100);
    }
  });
  time(`stream: 10k XDEL at random IDs (Stream, ${N} entries)`, 10_000, () => {
    for (let i = 0; i < 10_000; i++)
      stream.delete({ ms: BigInt(1 + Math.floor(random() * N)), seq: 0n });
  });
  time(`stream: 10k delete at random positions (Array splice, ${N} entries)`, 10_000, () => {
    for (let i = 0; i < 10_000; i++) entries.splice(Math.floor(random() * entries.length), 1);
  });
  time(`stream: 100 XTRIM MAXLEN ~ dropping 1000 entries each (Stream)`, 100, () => {
    for (let i = 0; i < 100; i++) {
      stream.trim({
        strategy: 'maxlen',
        maxlen: stream.length - 1000,
        approximate: true,
        limit: 0,
      });
    }
  });
  time(`stream: 100 trims of 1000 from the head (Array splice)`, 100, () => {
    for (let i = 0; i < 100; i++) entries.splice(0, 1000);
  });
  rows.push([
    `stream: bytes per entry, ${SMALL} entries of 2 fields (Stream)`,
    0,
    bytesPerElement(SMALL, () => {
      const s = new Stream(100);
      for (let i = 1; i <= SMALL; i++)
        s.append({ ms: BigInt(i), seq: 0n }, ['sensor', `t${i}`, 'value', `${i}`]);
      return s;
    }),
  ]);
  rows.push([
    `stream: bytes per entry, ${SMALL} entries of 2 fields (Array)`,
    0,
    bytesPerElement(SMALL, () =>
      Array.from({ length: SMALL }, (_, i) => ({
        id: { ms: BigInt(i), seq: 0n },
        fields: ['sensor', `t${i}`, 'value', `${i}`],
      })),
    ),
  ]);
}

console.log(`Node ${process.version}\n`);
console.log('| measurement | ops/s (or bytes) |');
console.log('| --- | ---: |');
for (const [label, operations, value] of rows) {
  console.log(
    `| ${label} | ${operations === 0 ? `${value} B` : Math.round(value).toLocaleString('en-US')} |`,
  );
}
