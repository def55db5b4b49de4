/**
 * A malformed request. The message is the exact error Redis replies before it closes the
 * connection (without the leading '-' and CRLF).
 */
export class ProtocolError {
  constructor(readonly message: string) {}
}

export const ProtocolErrors = {
  invalidMultibulkLength: new ProtocolError('ERR Protocol error: invalid multibulk length'),
  invalidBulkLength: new ProtocolError('ERR Protocol error: invalid bulk length'),
  tooBigMultibulkCount: new ProtocolError('ERR Protocol error: too big mbulk count string'),
  tooBigBulkCount: new ProtocolError('ERR Protocol error: too big bulk count string'),
  tooBigInline: new ProtocolError('ERR Protocol error: too big inline request'),
  unbalancedQuotes: new ProtocolError('ERR Protocol error: unbalanced quotes in request'),
  expectedDollar: (got: number): ProtocolError =>
    new ProtocolError(`ERR Protocol error: expected '$', got '${String.fromCharCode(got)}'`),
} as const;
