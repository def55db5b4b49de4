/**
 * Node's Buffer has native latin1 fast paths that skip the encoding dispatch of `toString` and
 * `write` (measurably cheaper per argument on the command path). They are not in the type
 * definitions, so they are reached through this one typed view.
 */
interface Latin1Buffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number): number;
}

export function latin1Slice(buffer: Buffer, start: number, end: number): string {
  return (buffer as unknown as Latin1Buffer).latin1Slice(start, end);
}

export function latin1Write(buffer: Buffer, text: string, offset: number): number {
  return (buffer as unknown as Latin1Buffer).latin1Write(text, offset);
}
