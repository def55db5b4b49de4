import { describe, expect, it } from 'vitest';
import type { LuaFunction } from '../value.js';
import { installOs } from './os.js';

describe('the os library', () => {
  it('has clock alone', () => {
    const os = installOs();
    expect(os.next(undefined)?.[0]).toBe('clock');
    expect(os.next('clock')).toBeUndefined();
  });

  it('counts the processor time used, in seconds, never going back', () => {
    const clock = installOs().get('clock') as LuaFunction;
    const [before] = clock() as [number];
    let spin = 0;
    for (let i = 0; i < 1e6; i++) spin += i;
    const [after] = clock() as [number];
    expect(spin).toBeGreaterThan(0);
    expect(before).toBeGreaterThan(0);
    expect(after).toBeGreaterThanOrEqual(before);
  });
});
