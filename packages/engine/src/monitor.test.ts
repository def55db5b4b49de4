import { describe, expect, it } from 'vitest';
import { Monitors } from './monitor.js';
import { connect } from './test-support/engine-client.js';
import { Engine } from './engine.js';

describe('MONITOR lines', () => {
  it('carry seconds and microseconds of the wall clock, as Redis', () => {
    const engine = new Engine();
    const monitors = new Monitors(() => 1_700_000_000_012_345);
    const monitor = connect(engine);
    monitors.clients.add(monitor);
    monitors.feed(connect(engine), ['SET', 'k', 'a"b']);
    expect(monitor.out.take().toString('latin1')).toBe(
      '+1700000000.012345 [0 127.0.0.1:1] "SET" "k" "a\\"b"\r\n',
    );
  });
});
