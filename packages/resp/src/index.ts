export { RequestParser, type RequestParserOptions } from './request-parser.js';
export { ProtocolError, ProtocolErrors } from './protocol-error.js';
export {
  ReplyWriter,
  OK,
  PONG,
  QUEUED,
  ZERO,
  ONE,
  NULL_BULK,
  NULL_ARRAY,
  NULL_RESP3,
  EMPTY_ARRAY,
  EMPTY_BULK,
  smallIntegerReply,
  digitCount,
  writeDigits,
  type ProtocolVersion,
  type ErrorReplyStats,
} from './reply-writer.js';
export { formatDouble } from './format-double.js';
export {
  ReplyParser,
  ReplyError,
  VerbatimString,
  PushFrame,
  NEED_MORE,
  replyFrameLength,
  type RespValue,
  type ReplyParserOptions,
} from './reply-parser.js';
export { splitArguments } from './split-arguments.js';
export { parseIntegerBytes } from './integer-text.js';
export { PrefixViews } from './prefix-views.js';
export { decodeLatin1, latin1Write } from './latin1.js';
