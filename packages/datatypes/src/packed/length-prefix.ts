/*
 * The length prefix of packed strings: a length as base-128 digits, low first, every digit but
 * the last with its top bit set, so a length below 128 is one char (as a listpack's element
 * header is one byte for short strings).
 */

/** Where the text after the length read last by `readLength` starts. */
export let textStart = 0;

/** The length whose prefix starts at `at`; sets `textStart` to where its text starts. */
export function readLength(packed: string, at: number): number {
  let code = packed.charCodeAt(at);
  if (code < 0x80) {
    textStart = at + 1;
    return code;
  }
  let length = 0;
  let shift = 0;
  while (code >= 0x80) {
    length += (code & 0x7f) * 2 ** shift;
    shift += 7;
    code = packed.charCodeAt(++at);
  }
  textStart = at + 1;
  return length + code * 2 ** shift;
}

export function lengthText(length: number): string {
  if (length < 0x80) return String.fromCharCode(length);
  let text = '';
  while (length >= 0x80) {
    text += String.fromCharCode(0x80 | (length & 0x7f));
    length = Math.floor(length / 0x80);
  }
  return text + String.fromCharCode(length);
}
