import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/random.js';
import { Stream, type StreamEntry, type StreamNodeLimits } from './stream.js';
import {
  MAX_ID,
  MAX_PART,
  MIN_ID,
  compareIds,
  formatId,
  parseId,
  parseIdRequest,
  type IdRequest,
  type StreamId,
} from './stream-id.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A stored entry as { id, fields }, after checking its numeric ID parts: exact below 2^53,
 * NaN above.
 */
function plain(entry: StreamEntry | undefined): { id: StreamId; fields: string[] } | undefined {
  if (entry === undefined) return undefined;
  const { id, fields } = entry;
  expect(entry.msNumber).toBe(id.ms <= SAFE ? Number(id.ms) : NaN);
  expect(entry.seqNumber).toBe(id.seq <= SAFE ? Number(id.seq) : NaN);
  return { id, fields };
}

const plainAll = (entries: StreamEntry[]) => entries.map(plain);

/** XADD's ID rules spelled out naively, for the model. */
function modelNextId(last: StreamId, request: IdRequest, now: bigint): StreamId | 'error' {
  if (last.ms === MAX_PART && last.seq === MAX_PART) return 'error';
  let id: StreamId;
  if (request.kind === 'explicit') id = request.id;
  else if (request.kind === 'auto-seq')
    id = request.ms === last.ms ? { ms: last.ms, seq: last.seq + 1n } : { ms: request.ms, seq: 0n };
  else if (now > last.ms) id = { ms: now, seq: 0n };
  else
    id =
      last.seq === MAX_PART ? { ms: last.ms + 1n, seq: 0n } : { ms: last.ms, seq: last.seq + 1n };
  if (id.seq > MAX_PART || compareIds(id, last) <= 0) return 'error';
  return id;
}

const id = (ms: number, seq = 0): StreamId => ({ ms: BigInt(ms), seq: BigInt(seq) });

describe('Stream', () => {
  it('matches an array model over appends, deletes, trims and ranges', () => {
    const step = fc.oneof(
      fc.constant(0n),
      fc.bigInt({ min: 1n, max: 3n }),
      // Jumps too large for a block's deltas force a new block.
      fc.constant(2n ** 60n),
    );
    const operation = fc.oneof(
      fc.tuple(fc.constant('auto' as const), fc.integer({ min: 0, max: 3 }), fc.nat(3)),
      fc.tuple(fc.constant('auto-seq' as const), step, fc.nat(3)),
      fc.tuple(fc.constant('explicit' as const), step, fc.bigInt({ min: 0n, max: MAX_PART })),
      fc.tuple(fc.constant('delete' as const), fc.nat(40), fc.nat(3)),
      fc.tuple(fc.constant('maxlen' as const), fc.nat(20), fc.boolean(), fc.nat(12)),
      fc.tuple(fc.constant('minid' as const), fc.nat(40), fc.boolean(), fc.nat(12)),
    );
    const fieldSets = [['f', 'v'], ['g', '1', 'h', 'x'], ['f', '12345678901234'], []];
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 80 }),
        fc.nat(50),
        fc.nat(50),
        fc.constantFrom<StreamNodeLimits>({ maxEntries: 3 }, { maxEntries: 0, maxBytes: 60 }),
        (operations, from, to, limits) => {
          const stream = new Stream(limits);
          let model: Array<{ id: StreamId; fields: string[] }> = [];
          let clock = 0n;
          for (const operation of operations) {
            const [name] = operation;
            if (name === 'auto' || name === 'auto-seq' || name === 'explicit') {
              const fields = fieldSets[operation[2] === undefined ? 0 : Number(operation[2]) % 4];
              let request: IdRequest;
              if (name === 'auto') {
                clock += BigInt(operation[1]);
                request = { kind: 'auto' };
              } else if (name === 'auto-seq') {
                request = { kind: 'auto-seq', ms: stream.lastId.ms + operation[1] };
              } else {
                const ms = stream.lastId.ms + operation[1];
                request = {
                  kind: 'explicit',
                  id: { ms: ms > MAX_PART ? MAX_PART : ms, seq: operation[2] },
                };
              }
              const expected = modelNextId(stream.lastId, request, clock);
              const result = stream.add(request, fields, clock);
              if (typeof result === 'string') {
                expect(typeof expected === 'string').toBe(true);
              } else {
                expect(result).toEqual(expected);
                model.push({ id: result, fields });
              }
            } else if (name === 'delete') {
              const targets = model.length === 0 ? [] : [model[operation[1] % model.length].id];
              if (operation[2] === 0) targets.push({ ms: 99n, seq: 99n });
              const before = model.length;
              model = model.filter((entry) => !targets.some((t) => compareIds(t, entry.id) === 0));
              expect(stream.delete(targets)).toBe(before - model.length);
            } else {
              const [, threshold, approximate, limit] = operation;
              const minid = model.length === 0 ? MIN_ID : model[threshold % model.length].id;
              const removed = stream.trim(
                name === 'maxlen'
                  ? {
                      strategy: 'maxlen',
                      maxlen: threshold,
                      approximate,
                      limit: approximate ? limit : 0,
                    }
                  : { strategy: 'minid', minid, approximate, limit: approximate ? limit : 0 },
              );
              const wanted =
                name === 'maxlen'
                  ? Math.max(0, model.length - threshold)
                  : model.filter((entry) => compareIds(entry.id, minid) < 0).length;
              // Exact trimming removes exactly what is asked; `~` removes a prefix of it
              // (whole blocks only) and respects LIMIT.
              if (!approximate) expect(removed).toBe(wanted);
              else
                expect(removed).toBeLessThanOrEqual(limit > 0 ? Math.min(wanted, limit) : wanted);
              model = model.slice(removed);
            }
            expect(stream.length).toBe(model.length);
            stream.checkInvariants();
          }
          const ids = model.map((entry) => entry.id);
          const start = ids.length === 0 ? MIN_ID : ids[Math.min(from, to) % ids.length];
          const end = ids.length === 0 ? MAX_ID : ids[Math.max(from, to) % ids.length];
          const expected = model.filter(
            (entry) => compareIds(entry.id, start) >= 0 && compareIds(entry.id, end) <= 0,
          );
          expect(plainAll(stream.range(start, end))).toEqual(expected);
          expect(plainAll(stream.range(start, end, 0, true))).toEqual([...expected].reverse());
          expect(plainAll(stream.range(start, end, 2))).toEqual(expected.slice(0, 2));
          expect(plainAll(stream.range(start, end, 2, true))).toEqual(
            [...expected].reverse().slice(0, 2),
          );
          expect(plainAll(stream.range(MIN_ID, MAX_ID))).toEqual(model);
          expect(plain(stream.firstEntry())).toEqual(model[0]);
          expect(plain(stream.lastEntry())).toEqual(model.at(-1));
          for (const entry of model) expect(plain(stream.entry(entry.id))).toEqual(entry);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps block limits, order and counts with 100k entries under random deletes and trims', () => {
    const random = seededRandom(11);
    const stream = new Stream({ maxEntries: 100, maxBytes: 4096 });
    const live: StreamId[] = [];
    let deleted = 0;
    for (let i = 0; i < 120_000; i++) {
      const fields =
        random() < 0.9 ? ['sensor', String(i % 1000), 'value', 'x'.repeat(i % 97)] : ['other', 'y'];
      const id = stream.add({ kind: 'auto' }, fields, BigInt(1_700_000_000_000 + (i >> 2)));
      if (typeof id === 'string') throw new Error(id);
      live.push(id);
      if (random() < 0.05) {
        const victim = Math.floor(random() * live.length);
        if (stream.delete(live[victim])) deleted++;
      }
    }
    expect(stream.length).toBe(120_000 - deleted);
    expect(stream.length).toBeGreaterThanOrEqual(100_000);
    stream.checkInvariants();
    // Large values fill blocks by bytes before they reach 100 entries.
    expect(stream.blockCount).toBeGreaterThan(120_000 / 100);
    const before = stream.length;
    const removed = stream.trim({
      strategy: 'maxlen',
      maxlen: 100_000,
      approximate: true,
      limit: 0,
    });
    expect(stream.length).toBe(before - removed);
    expect(stream.length).toBeGreaterThanOrEqual(100_000);
    stream.checkInvariants();
    const beforeExact = stream.length;
    expect(stream.trim({ strategy: 'maxlen', maxlen: 90_000, approximate: false, limit: 0 })).toBe(
      beforeExact - 90_000,
    );
    expect(stream.length).toBe(90_000);
    stream.checkInvariants();
    const all = stream.range(MIN_ID, MAX_ID);
    expect(all).toHaveLength(90_000);
    for (let i = 1; i < all.length; i++) expect(compareIds(all[i - 1].id, all[i].id)).toBe(-1);
  });

  it('keeps deleted entries in the first ID it holds until their block goes', () => {
    const stream = new Stream({ maxEntries: 2, maxBytes: 0 });
    for (let ms = 1n; ms <= 5n; ms++) stream.append({ ms, seq: 1n }, ['f', 'v']);
    stream.delete({ ms: 1n, seq: 1n });
    expect(stream.firstEntry()?.id).toEqual({ ms: 2n, seq: 1n });
    expect(stream.firstIdWithDeleted()).toEqual({ ms: 1n, seq: 1n });
    // Its block emptied, the deleted entry is gone for good.
    stream.delete({ ms: 2n, seq: 1n });
    expect(stream.firstIdWithDeleted()).toEqual({ ms: 3n, seq: 1n });
    expect(new Stream().firstIdWithDeleted()).toBeUndefined();
  });

  it('generates IDs like XADD: *, <ms>-*, explicit, and refuses the invalid ones', () => {
    const stream = new Stream();
    expect(stream.nextIdFor({ kind: 'explicit', id: id(0, 0) }, 5n)).toBe('zero');
    expect(stream.nextIdFor({ kind: 'auto-seq', ms: 0n }, 5n)).toEqual(id(0, 1));
    stream.append(id(10, 5), ['a', '1']);
    expect(stream.nextIdFor({ kind: 'auto' }, 3n)).toEqual(id(10, 6));
    expect(stream.nextIdFor({ kind: 'auto' }, 20n)).toEqual(id(20, 0));
    expect(stream.nextIdFor({ kind: 'auto-seq', ms: 10n }, 0n)).toEqual(id(10, 6));
    expect(stream.nextIdFor({ kind: 'auto-seq', ms: 9n }, 0n)).toBe('not-greater');
    expect(stream.nextIdFor({ kind: 'explicit', id: id(10, 5) }, 0n)).toBe('not-greater');
    const full = new Stream();
    full.append({ ms: 2n ** 64n - 1n, seq: 2n ** 64n - 1n }, ['a', '1']);
    expect(full.nextIdFor({ kind: 'auto' }, 0n)).toBe('exhausted');
  });

  it('refuses every ID once the last possible one is taken, but 0-0 first', () => {
    const stream = new Stream();
    stream.append(MAX_ID, ['a', '1']);
    expect(stream.add({ kind: 'explicit', id: id(0, 0) }, ['a', '1'])).toBe('zero');
    expect(stream.add({ kind: 'explicit', id: id(1, 1) }, ['a', '1'])).toBe('exhausted');
    expect(stream.add({ kind: 'auto-seq', ms: MAX_PART }, ['a', '1'])).toBe('exhausted');
    expect(stream.length).toBe(1);
  });

  it('refuses <ms>-* when that millisecond has used its last sequence', () => {
    const stream = new Stream();
    stream.append({ ms: 5n, seq: MAX_PART }, ['a', '1']);
    expect(stream.add({ kind: 'auto-seq', ms: 5n }, ['a', '1'])).toBe('not-greater');
    expect(stream.add({ kind: 'auto' }, ['a', '1'], 0n)).toEqual(id(6, 0));
  });

  it('parses XADD ID arguments', () => {
    expect(parseIdRequest('*')).toEqual({ kind: 'auto' });
    expect(parseIdRequest('5-*')).toEqual({ kind: 'auto-seq', ms: 5n });
    expect(parseIdRequest('5')).toEqual({ kind: 'explicit', id: id(5, 0) });
    expect(parseIdRequest('5-3')).toEqual({ kind: 'explicit', id: id(5, 3) });
    expect(parseIdRequest('-')).toBeNull();
    expect(parseIdRequest('x-*')).toBeNull();
  });

  it('opens a new block at stream-node-max-entries or stream-node-max-bytes', () => {
    const byEntries = new Stream({ maxEntries: 10, maxBytes: 0 });
    for (let i = 1; i <= 25; i++) byEntries.append(id(i), ['f', 'v']);
    expect(byEntries.blockCount).toBe(3);
    const byBytes = new Stream({ maxEntries: 0, maxBytes: 4096 });
    for (let i = 1; i <= 25; i++) byBytes.append(id(i), ['f', 'x'.repeat(1000)]);
    // About four 1000-byte values fit under 4096 bytes.
    expect(byBytes.blockCount).toBeGreaterThanOrEqual(6);
    expect(byBytes.blockCount).toBeLessThanOrEqual(9);
    byBytes.checkInvariants();
  });

  it('counts deleted entries towards a block until it empties, then drops it', () => {
    const stream = new Stream(2);
    stream.append(id(1), ['f', 'v']);
    stream.append(id(2), ['f', 'v']);
    stream.append(id(3), ['f', 'v']);
    expect(stream.delete(id(1))).toBe(true);
    expect(stream.delete(id(1))).toBe(false);
    expect(stream.blockCount).toBe(2);
    expect(stream.delete([id(2), id(9)])).toBe(1);
    expect(stream.blockCount).toBe(1);
    expect(stream.maxDeletedId).toEqual(id(2));
    expect(stream.firstEntry()?.id).toEqual(id(3));
  });

  it('approximate MINID trimming removes a block only when its last entry is below the ID', () => {
    const stream = new Stream(3);
    for (let i = 1; i <= 9; i++) stream.append(id(i), ['f', 'v']);
    expect(stream.trim({ strategy: 'minid', minid: id(6), approximate: true, limit: 0 })).toBe(3);
    expect(stream.trim({ strategy: 'minid', minid: id(7), approximate: true, limit: 0 })).toBe(3);
    expect(stream.trim({ strategy: 'minid', minid: id(9), approximate: true, limit: 2 })).toBe(0);
    expect(stream.trim({ strategy: 'minid', minid: id(9), approximate: false, limit: 0 })).toBe(2);
    expect(stream.range(MIN_ID, MAX_ID).map((entry) => entry.id)).toEqual([id(9)]);
  });

  it('creates consumer groups once per name', () => {
    const stream = new Stream();
    const group = stream.createGroup('g', id(0), null);
    expect(group?.lastId).toEqual(id(0));
    expect(stream.createGroup('g', id(5))).toBeUndefined();
    expect(stream.groups.get('g')).toBe(group);
  });

  it('parses and formats IDs, including incomplete ones', () => {
    expect(parseId('123')).toEqual(id(123, 0));
    expect(parseId('123', 2n ** 64n - 1n)).toEqual({ ms: 123n, seq: 2n ** 64n - 1n });
    expect(parseId('18446744073709551615-18446744073709551615')).not.toBeNull();
    expect(parseId('18446744073709551616-0')).toBeNull();
    expect(parseId('1-x')).toBeNull();
    expect(formatId(id(5, 7))).toBe('5-7');
  });

  it('trims whole blocks only with ~, and holds 100k entries in order', () => {
    const stream = new Stream(100);
    for (let i = 1; i <= 100_000; i++) stream.append(id(i), ['f', 'v']);
    expect(stream.trim({ strategy: 'maxlen', maxlen: 99_950, approximate: true, limit: 0 })).toBe(
      0,
    );
    expect(stream.trim({ strategy: 'maxlen', maxlen: 99_850, approximate: true, limit: 0 })).toBe(
      100,
    );
    expect(stream.length).toBe(99_900);
    expect(stream.firstEntry()?.id).toEqual(id(101));
    const all = stream.range(id(0), id(200_000));
    expect(all).toHaveLength(99_900);
    for (let i = 1; i < all.length; i++) expect(compareIds(all[i - 1].id, all[i].id)).toBe(-1);
  });
});
