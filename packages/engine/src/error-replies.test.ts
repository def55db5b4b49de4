import { describe, expect, it } from 'vitest';
import { engineWithClient } from './test-support/engine-client.js';

/** INFO errorstats as code → count, and the named command's failed_calls. */
function counts(run: (...argv: string[]) => string, command: string) {
  const errorstats = new Map<string, number>();
  for (const [, code, count] of run('INFO', 'errorstats').matchAll(/errorstat_(\S+):count=(\d+)/g))
    errorstats.set(code, Number(count));
  const failed = run('INFO', 'commandstats').match(
    new RegExp(`cmdstat_${command}:.*failed_calls=(\\d+)`),
  );
  return { errorstats, failedCalls: failed === null ? 0 : Number(failed[1]) };
}

describe("error replies, counted by the client's writer", () => {
  it('count an error a handler writes under its code, and the call as failed', () => {
    const { run } = engineWithClient();
    run('SET', 's', 'x');
    expect(run('LPUSH', 's', 'a')).toMatch(/^-WRONGTYPE /);
    const { errorstats, failedCalls } = counts(run, 'lpush');
    expect(errorstats).toEqual(new Map([['WRONGTYPE', 1]]));
    expect(failedCalls).toBe(1);
  });

  it('count written to any client of the engine, and not when written by the client itself', () => {
    const { engine, client, run } = engineWithClient();
    client.out.error('FIRST one');
    client.out.errorCountedBefore('SECOND one');
    client.out.take();
    expect(engine.stats.totalErrorReplies).toBe(1);
    expect(counts(run, 'none').errorstats).toEqual(new Map([['FIRST', 1]]));
  });

  it("count a pcall's error once, though the script returns it", () => {
    const { run } = engineWithClient();
    run('SET', 's', 'x');
    const reply = run('EVAL', "return redis.pcall('lpush', KEYS[1], 'a')", '1', 's');
    expect(reply).toMatch(/^-WRONGTYPE /);
    const { errorstats, failedCalls } = counts(run, 'eval');
    expect(errorstats).toEqual(new Map([['WRONGTYPE', 1]]));
    expect(failedCalls).toBe(1);
    expect(counts(run, 'lpush').failedCalls).toBe(1);
  });
});
