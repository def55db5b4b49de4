import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputCursor } from './input-cursor.js';
import { OutputBuffer } from './output-buffer.js';
import { rdbValue } from './test-support/arbitraries.js';
import { readValue } from './value-reader.js';
import { skipValue } from './value-skipper.js';
import { valueType, writeValue } from './value-writer.js';

describe('skipValue', () => {
  it('walks over exactly the bytes readValue consumes', () => {
    fc.assert(
      fc.property(rdbValue(true), fc.constantFrom(10, 11), (value, version) => {
        const out = new OutputBuffer(64);
        writeValue(out, value, version, true);
        const bytes = out.take();
        const type = valueType(value, version);
        const skipped = new InputCursor(bytes);
        expect(skipValue(skipped, type)).toBe(true);
        const read = new InputCursor(bytes);
        readValue(read, type);
        expect(skipped.position).toBe(read.position);
        expect(skipped.position).toBe(bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('declines module and unknown types', () => {
    expect(skipValue(new InputCursor(Buffer.from([1])), 7)).toBe(false);
    expect(skipValue(new InputCursor(Buffer.from([1])), 8)).toBe(false);
  });
});
