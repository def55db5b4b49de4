import { describe, expect, it } from 'vitest';
import { crc16, keyHashSlot, SLOT_COUNT } from './key-slot.js';

describe('crc16', () => {
  it('is CRC-16/XMODEM (check value of "123456789")', () => {
    expect(crc16('123456789')).toBe(0x31c3);
  });
});

describe('keyHashSlot', () => {
  // Slots as redis-server 7.0.15's CLUSTER KEYSLOT gives them.
  it.each([
    ['foo', 12182],
    ['bar', 5061],
    ['', 0],
    ['{user1000}.following', 3443],
    ['{user1000}.followers', 3443],
    ['foo{}{bar}', 8363],
    ['foo{{bar}}zap', 4015],
    ['foo{bar}{zap}', 5061],
    ['{', 4092],
    ['a{b', 13340],
  ])('%j is in slot %i', (key, slot) => {
    expect(keyHashSlot(key)).toBe(slot);
  });

  it('hashes bytes, not UTF-16 units', () => {
    const slot = keyHashSlot('\xff\xfe');
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(slot).toBeLessThan(SLOT_COUNT);
  });
});
