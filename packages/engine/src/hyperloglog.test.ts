import { describe, expect, it } from 'vitest';
import { denseGet, emptyHll, Hll, isHll, patternOf, REGISTERS } from './hyperloglog.js';

const SPARSE_MAX = 3000;

function registersOf(hll: Hll): number[] {
  const copy = new Hll(hll.bytes.slice(), SPARSE_MAX);
  copy.toDense();
  return Array.from({ length: REGISTERS }, (_, i) => denseGet(copy.bytes, i));
}

describe('HyperLogLog', () => {
  it('starts sparse: the header, then one XZERO opcode covering all 16384 registers', () => {
    const bytes = emptyHll();
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('HYLL\u0001');
    expect([...bytes.subarray(16)]).toEqual([0x7f, 0xff]);
    expect(isHll(bytes)).toBe(true);
    expect(new Hll(bytes, SPARSE_MAX).estimate()).toBe(0);
  });

  it('sets the element’s register in the sparse form, splitting the zero run around it', () => {
    const hll = new Hll(emptyHll(), SPARSE_MAX);
    const { index, count } = patternOf('a');
    expect(hll.add('a')).toBe(1);
    expect(hll.add('a')).toBe(0);
    const runs = hll.decode().split(' ');
    expect(runs).toContain(`v:${count},1`);
    const covered = runs.reduce((sum, run) => sum + Number(run.split(/[:,]/).at(-1)), 0);
    expect(covered).toBe(REGISTERS);
    expect(registersOf(hll)[index]).toBe(count);
  });

  it('estimates the same from the sparse and the dense form of the same registers', () => {
    const sparse = new Hll(emptyHll(), 1_000_000);
    for (let i = 0; i < 1000; i++) sparse.add(`element:${i}`);
    expect(sparse.isDense).toBe(false);
    const dense = new Hll(sparse.bytes.slice(), SPARSE_MAX);
    expect(dense.toDense()).toBe(true);
    expect(dense.estimate()).toBe(sparse.estimate());
    expect(Math.abs((sparse.estimate() ?? 0) - 1000)).toBeLessThan(1000 * 0.05);
  });

  it('turns dense once the sparse form would outgrow hll-sparse-max-bytes', () => {
    const hll = new Hll(emptyHll(), 100);
    for (let i = 0; i < 100 && !hll.isDense; i++) hll.add(`e${i}`);
    expect(hll.isDense).toBe(true);
    expect(hll.bytes.length).toBe(16 + 12288);
  });

  it('keeps a cached cardinality until invalidated', () => {
    const hll = new Hll(emptyHll(), SPARSE_MAX);
    hll.cachedCardinality = 1234;
    expect(hll.cachedCardinality).toBe(1234);
    hll.invalidateCache();
    expect(hll.cachedCardinality).toBeNull();
  });

  it('finds corrupt sparse forms and non-HLL strings', () => {
    const bytes = emptyHll();
    const extra = new Uint8Array(bytes.length + 1);
    extra.set(bytes);
    extra[bytes.length] = 0x80; // a VAL opcode past the last register
    // As in Redis, counting sees it; merging and densifying stop at the overflow and accept.
    expect(new Hll(extra, SPARSE_MAX).estimate()).toBeNull();
    expect(new Hll(extra.slice(), SPARSE_MAX).mergeInto(new Uint8Array(REGISTERS))).toBe(true);
    const short = bytes.slice(0, bytes.length - 1); // an XZERO cut in half
    expect(new Hll(short, SPARSE_MAX).toDense()).toBe(false);
    expect(isHll(Buffer.from('HYLL', 'latin1'))).toBe(false);
    const wrongEncoding = emptyHll();
    wrongEncoding[4] = 2;
    expect(isHll(wrongEncoding)).toBe(false);
  });
});
