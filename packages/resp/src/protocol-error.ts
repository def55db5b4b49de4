/**
 * A malformed request. The message is the exact error Redis replies before it closes the
 * connection (without the leading '-' and CRLF).
 */
export class ProtocolError {
  constructor(readonly message: string) {}
}

/**
 * Every protocol error the request parser reports, worded as Redis 7.0's networking.c words
 * them (checked against redis-server 7.0.15 by src/golden.test.ts).
 */
export const ProtocolErrors = {
  invalidMultibulkLength: new ProtocolError('ERR Protocol error: invalid multibulk length'),
  invalidBulkLength: new ProtocolError('ERR Protocol error: invalid bulk length'),
  unauthenticatedMultibulkLength: new ProtocolError(
    'ERR Protocol error: unauthenticated multibulk length',
  ),
  unauthenticatedBulkLength: new ProtocolError('ERR Protocol error: unauthenticated bulk length'),
  tooBigMultibulkCount: new ProtocolError('ERR Protocol error: too big mbulk count string'),
  tooBigBulkCount: new ProtocolError('ERR Protocol error: too big bulk count string'),
  tooBigInline: new ProtocolError('ERR Protocol error: too big inline request'),
  unbalancedQuotes: new ProtocolError('ERR Protocol error: unbalanced quotes in request'),
  /**
   * Redis formats the offending byte with %c, then addReplyErrorFormat replaces CR and LF with
   * spaces so the error stays one line: "*1\r\n\r\n" gets "expected '$', got ' '".
   */
  expectedDollar: (got: number): ProtocolError =>
    new ProtocolError(
      `ERR Protocol error: expected '$', got '${got === 13 || got === 10 ? ' ' : String.fromCharCode(got)}'`,
    ),
} as const;
