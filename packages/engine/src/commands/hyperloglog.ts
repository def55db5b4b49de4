import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import {
  DENSE_SIZE,
  denseGet,
  denseSet,
  denseStringUnchangedBy,
  emptyHll,
  estimateRegisters,
  Hll,
  cachedCardinality,
  isDense,
  isHll,
  REGISTERS,
} from '../hyperloglog.js';
import { EventClass } from '../keyspace-events.js';
import { WRONG_TYPE, lookupString } from '../typed-lookup.js';

const NOT_AN_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
const CORRUPT = 'INVALIDOBJ Corrupted HLL object detected';

function bytesOf(value: string): Uint8Array {
  return Buffer.from(value, 'latin1');
}

function stringOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

/**
 * The HLL value at `key`, still a string: null when the key is missing, or WRONG_TYPE after
 * replying the error for a value that is not a string or not an HLL.
 */
function lookupHllValue(client: Client, key: string): string | null | typeof WRONG_TYPE {
  const value = lookupString(client, key);
  if (value === WRONG_TYPE) return WRONG_TYPE;
  if (value === undefined) return null;
  if (!isHll(value)) {
    client.out.error(NOT_AN_HLL);
    return WRONG_TYPE;
  }
  return value;
}

/** The HLL at `key` as bytes to read or change; see lookupHllValue. */
function lookupHll(client: Client, engine: Engine, key: string): Hll | null | typeof WRONG_TYPE {
  const value = lookupHllValue(client, key);
  if (value === WRONG_TYPE || value === null) return value;
  return new Hll(bytesOf(value), sparseMaxBytes(engine));
}

function sparseMaxBytes(engine: Engine): number {
  return engine.config.getNumber('hll-sparse-max-bytes');
}

/** Stores a changed HLL in place of the old value, keeping the key's TTL: a raw string. */
function store(client: Client, key: string, hll: Hll): void {
  client.db.set(key, stringOf(hll.bytes), true);
  client.db.stringWritten(key, 'raw');
}

/**
 * PFADD, PFCOUNT of one key, PFMERGE's destination and PFDEBUG make an existing HLL a raw
 * string before they look at it (dbUnshareStringValue), changed or not.
 */
function unshare(client: Client, key: string): void {
  client.db.stringWritten(key, 'raw');
}

/** PFADD key [element ...]: 1 when a register changed (or the key was created). */
export function pfadd(client: Client, argv: string[], engine: Engine): void {
  const key = argv[1];
  const value = lookupHllValue(client, key);
  if (value === WRONG_TYPE) return;
  if (value !== null) unshare(client, key);
  // Adding elements already counted to a dense HLL changes nothing: read it in place.
  if (value !== null && isDense(value) && denseStringUnchangedBy(value, argv.slice(2))) {
    client.out.integer(0);
    return;
  }
  const hll = new Hll(value === null ? emptyHll() : bytesOf(value), sparseMaxBytes(engine));
  let updated = value === null ? 1 : 0;
  for (let i = 2; i < argv.length; i++) {
    const result = hll.add(argv[i]);
    if (result === -1) {
      client.out.error(CORRUPT);
      return;
    }
    updated += result;
  }
  if (updated > 0) {
    engine.countChanges(updated);
    hll.invalidateCache();
    store(client, key, hll);
    engine.notify(client.db, EventClass.string, 'pfadd', key);
  }
  client.out.integer(updated > 0 ? 1 : 0);
}

/**
 * PFCOUNT key [key ...]: one key's estimate, cached in the value (so refreshing the cache is a
 * change that replicates, as in Redis); of several keys, the estimate of their union.
 */
export function pfcount(client: Client, argv: string[], engine: Engine): void {
  if (argv.length > 2) {
    const max = new Uint8Array(REGISTERS);
    for (let i = 1; i < argv.length; i++) {
      const hll = lookupHll(client, engine, argv[i]);
      if (hll === WRONG_TYPE) return;
      if (hll !== null && !hll.mergeInto(max)) {
        client.out.error(CORRUPT);
        return;
      }
    }
    client.out.integer(estimateRegisters(max));
    return;
  }
  const value = lookupHllValue(client, argv[1]);
  if (value === WRONG_TYPE) return;
  if (value === null) {
    client.out.integer(0);
    return;
  }
  unshare(client, argv[1]);
  const cached = cachedCardinality(value);
  if (cached !== null) {
    client.out.integer(cached);
    return;
  }
  const hll = new Hll(bytesOf(value), sparseMaxBytes(engine));
  const estimate = hll.estimate();
  if (estimate === null) {
    client.out.error(CORRUPT);
    return;
  }
  hll.cachedCardinality = estimate;
  store(client, argv[1], hll);
  client.out.integer(estimate);
}

/** PFMERGE destkey [sourcekey ...]: the destination (itself a source) becomes the union. */
export function pfmerge(client: Client, argv: string[], engine: Engine): void {
  const max = new Uint8Array(REGISTERS);
  let anyDense = false;
  for (let i = 1; i < argv.length; i++) {
    // Sources are read as a read command reads them: keyspace hits and misses.
    const hll = engine.readingKeys(() => lookupHll(client, engine, argv[i]));
    if (hll === WRONG_TYPE) return;
    if (hll === null) continue;
    anyDense ||= hll.isDense;
    if (!hll.mergeInto(max)) {
      client.out.error(CORRUPT);
      return;
    }
  }
  const key = argv[1];
  // Checked as a source above; read again so the merge starts from its current form.
  const existing = client.db.peek(key);
  const target = new Hll(
    typeof existing === 'string' ? bytesOf(existing) : emptyHll(),
    sparseMaxBytes(engine),
  );
  // One dense source makes the target dense at once, sparing conversions on the way.
  if (anyDense && !target.toDense()) {
    client.out.error(CORRUPT);
    return;
  }
  for (let i = 0; i < REGISTERS; i++) if (max[i] !== 0) target.set(i, max[i]);
  target.invalidateCache();
  store(client, key, target);
  engine.notify(client.db, EventClass.string, 'pfadd', key);
  client.out.simple('OK');
}

/** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key: the internals, for tests. */
export function pfdebug(client: Client, argv: string[], engine: Engine): void {
  const subcommand = argv[1];
  const key = argv[2];
  const hll = lookupHll(client, engine, key);
  if (hll === WRONG_TYPE) return;
  if (hll === null) {
    client.out.error('ERR The specified key does not exist');
    return;
  }
  unshare(client, key);
  switch (subcommand.toLowerCase()) {
    case 'getreg':
    case 'todense': {
      const converted = !hll.isDense;
      if (!hll.toDense()) {
        client.out.error(CORRUPT);
        return;
      }
      // The encoding change is a change: it is stored and replicated, as in Redis.
      if (converted) store(client, key, hll);
      if (subcommand.toLowerCase() === 'todense') {
        client.out.integer(converted ? 1 : 0);
        return;
      }
      client.out.array(REGISTERS);
      for (let i = 0; i < REGISTERS; i++) client.out.integer(denseGet(hll.bytes, i));
      return;
    }
    case 'decode':
      if (hll.isDense) client.out.error('ERR HLL encoding is not sparse');
      else client.out.bulk(hll.decode());
      return;
    case 'encoding':
      client.out.simple(hll.isDense ? 'dense' : 'sparse');
      return;
    default:
      client.out.error(`ERR Unknown PFDEBUG subcommand '${subcommand}'`);
  }
}

/**
 * PFSELFTEST: registers keep what is written to them without touching their neighbours, and
 * the estimates of a dense and a sparse HLL fed the same elements agree and stay within six
 * standard errors. Redis feeds ten million elements; this checks up to one hundred thousand,
 * which is what the JavaScript hash gets through in well under a second.
 */
export function pfselftest(client: Client, _argv: string[], engine: Engine): void {
  const registers = new Uint8Array(DENSE_SIZE);
  const expected = new Uint8Array(REGISTERS);
  for (let cycle = 0; cycle < 100; cycle++) {
    for (let i = 0; i < REGISTERS; i++) {
      expected[i] = Math.floor(Math.random() * 64);
      denseSet(registers, i, expected[i]);
    }
    for (let i = 0; i < REGISTERS; i++) {
      const value = denseGet(registers, i);
      if (value !== expected[i]) {
        client.out.error(`TESTFAILED Register ${i} should be ${expected[i]} but is ${value}`);
        return;
      }
    }
  }
  const dense = new Hll(emptyHll(), 0);
  dense.toDense();
  const sparse = new Hll(emptyHll(), sparseMaxBytes(engine));
  const relativeError = 1.04 / Math.sqrt(REGISTERS);
  const seed = Math.floor(Math.random() * 2 ** 32);
  const element = Buffer.alloc(8);
  for (let n = 1, checkpoint = 1; n <= 100_000; n++) {
    element.writeUInt32LE((n ^ seed) >>> 0, 0);
    const text = element.toString('latin1');
    dense.add(text);
    sparse.add(text);
    if (n !== checkpoint) continue;
    if (n < sparseMaxBytes(engine) / 2 && sparse.isDense) {
      client.out.error('TESTFAILED sparse encoding not used');
      return;
    }
    const estimate = dense.estimate() ?? -1;
    if (estimate !== sparse.estimate()) {
      client.out.error('TESTFAILED dense/sparse disagree');
      return;
    }
    const allowed = n === 10 ? 1 : Math.ceil(relativeError * 6 * n);
    if (Math.abs(n - estimate) > allowed) {
      client.out.error(`TESTFAILED Too big error. card:${n} abserr:${Math.abs(n - estimate)}`);
      return;
    }
    checkpoint *= 10;
  }
  client.out.simple('OK');
}
