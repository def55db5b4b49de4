import type { RdbFault } from '@rc/rdb';
import type { EngineCrash } from './engine.js';

/** serverLogHexDump's width: 32 bytes a line. */
const HEX_DUMP_LINE_BYTES = 32;

/**
 * What Redis logs before failing on a value it loaded unchecked (see UnreadableValue): the hex
 * dump some of its panics write first, as serverLogHexDump words it.
 */
export function faultLogLines(fault: RdbFault): string[] {
  if (fault.dump === undefined) return [];
  const { title, bytes } = fault.dump;
  const lines = [`${title} (hexdump of ${bytes.length} bytes):`];
  for (let at = 0; at < bytes.length; at += HEX_DUMP_LINE_BYTES) {
    lines.push(bytes.subarray(at, at + HEX_DUMP_LINE_BYTES).toString('hex'));
  }
  return lines;
}

/** The crash a fault is: Redis's serverAssert or serverPanic. */
export function crashOfFault(fault: RdbFault): EngineCrash {
  if (fault.kind === 'panic') return { kind: 'panic', message: fault.message };
  return {
    kind: 'assertion',
    message: `=== ASSERTION FAILED ===\n==> '${fault.message}' is not true`,
  };
}
