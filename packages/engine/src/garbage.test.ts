import { describe, expect, it } from 'vitest';
import { IdleCollection } from './garbage.js';

const MB = 1024 * 1024;

/** Ticks the cron `ticks` times with the same command count and dataset size. */
function idle(collection: IdleCollection, ticks: number, commands: number, bytes: number): void {
  for (let i = 0; i < ticks; i++) collection.tick(commands, bytes);
}

describe('IdleCollection', () => {
  it('collects twice once commands stop after the dataset moved by 8 MB, at 1 s and 7.5 s', () => {
    let collections = 0;
    const collection = new IdleCollection(() => collections++);
    collection.tick(1000, 20 * MB);
    idle(collection, 9, 1000, 20 * MB);
    expect(collections).toBe(0);
    idle(collection, 1, 1000, 20 * MB);
    expect(collections).toBe(1);
    idle(collection, 64, 1000, 20 * MB);
    expect(collections).toBe(1);
    idle(collection, 1, 1000, 20 * MB);
    expect(collections).toBe(2);
    idle(collection, 200, 1000, 20 * MB);
    expect(collections).toBe(2);
  });

  it('waits for a whole idle second, and for 8 MB of change since the last time', () => {
    let collections = 0;
    const collection = new IdleCollection(() => collections++);
    for (let commands = 0; commands < 100; commands++) idle(collection, 5, commands, 20 * MB);
    expect(collections).toBe(0);
    idle(collection, 100, 100, 20 * MB);
    expect(collections).toBe(2);
    collection.tick(101, 27 * MB);
    idle(collection, 100, 101, 27 * MB);
    expect(collections).toBe(2);
    collection.tick(102, 12 * MB);
    idle(collection, 100, 102, 12 * MB);
    expect(collections).toBe(4);
  });

  it('puts the second collection off until 7.5 s pass without a command', () => {
    let collections = 0;
    const collection = new IdleCollection(() => collections++);
    collection.tick(1, 10 * MB);
    idle(collection, 30, 1, 10 * MB);
    expect(collections).toBe(1);
    collection.tick(2, 10 * MB);
    idle(collection, 74, 2, 10 * MB);
    expect(collections).toBe(1);
    idle(collection, 1, 2, 10 * MB);
    expect(collections).toBe(2);
  });
});
