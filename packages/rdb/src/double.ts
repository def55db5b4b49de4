/**
 * Doubles stored as text: scores inside ziplists and listpacks, and RDB_TYPE_ZSET's scores (a
 * length byte then the text, 253/254/255 standing for nan/+inf/-inf). Redis parses them with
 * strtod, which also takes "inf", "infinity" and "nan" in any case.
 */

import { RdbErrors } from './errors.js';
import type { InputCursor } from './input-cursor.js';

export function parseDoubleText(text: string): number {
  const value = Number(text);
  if (value === value) return value;
  const lower = text.trim().toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity')
    return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return NaN;
}

/** Reads an RDB_TYPE_ZSET (text) score. */
export function readTextDouble(input: InputCursor): number {
  const length = input.uint8();
  if (length === 253) return NaN;
  if (length === 254) return Infinity;
  if (length === 255) return -Infinity;
  const at = input.position;
  const value = parseDoubleText(input.latin1(length));
  if (value !== value) input.fail(RdbErrors.badEncoding('double'), at);
  return value;
}
