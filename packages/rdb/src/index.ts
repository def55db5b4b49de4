export { RDB_MAX_READ_VERSION, RDB_VERSION } from './constants.js';
export { Crc64, crc64 } from './crc64.js';
export {
  decodeDumpPayload,
  encodeDumpPayload,
  verifyDumpPayload,
  type DumpPayloadOptions,
} from './dump-payload.js';
export { decodeFunctionsPayload, encodeFunctionsPayload } from './functions-payload.js';
export { RdbError, RdbErrors, RdbFaultError, type RdbFailure } from './errors.js';
export { RdbReader, readRdb, type RdbReaderOptions } from './reader.js';
export type {
  RdbFault,
  RdbKey,
  RdbRecord,
  RdbStream,
  RdbStringBytesKey,
  RdbStreamGroup,
  RdbUnreadable,
  RdbValue,
  StreamId,
} from './types.js';
export { defaultAuxFields, RdbWriter, writeRdb, type RdbWriterOptions } from './writer.js';
