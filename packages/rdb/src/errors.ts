import type { RdbFault } from './types.js';

/**
 * Every failure the reader reports is an RdbError whose message says what went wrong and, for
 * file input, at which byte offset. The texts live here so they can be read in one place.
 */
/** What kind of failure an RdbError is, for callers that report each kind in its own words. */
export type RdbFailure =
  | { readonly kind: 'checksum'; readonly stored: bigint; readonly computed: bigint }
  | { readonly kind: 'truncated' }
  | { readonly kind: 'format' };

export class RdbError extends Error {
  override name = 'RdbError';

  constructor(
    message: string,
    /** Byte offset in the input where the problem was found, when known. */
    readonly offset?: number,
    readonly failure: RdbFailure = { kind: 'format' },
    /**
     * The reason Redis logs for this corruption (rdbReportCorruptRDB's text, "Hash ziplist
     * integrity check failed."), when the failure is one Redis names.
     */
    readonly report?: string,
  ) {
    super(offset === undefined ? message : `${message} at byte offset ${offset}`);
  }
}

/**
 * Redis would crash while loading this value, on an assertion or panic (`fault`), instead of
 * refusing it: it read, unchecked, a part of it that is corrupt (a stream node's first entry).
 */
export class RdbFaultError extends RdbError {
  override name = 'RdbFaultError';

  constructor(readonly fault: RdbFault) {
    super(`Redis fails on this value as it loads it: ${fault.message}`);
  }
}

/**
 * Runs a decode whose failures Redis reports as `report` (a whole encoded blob checked at
 * once); a failure that already has its own report keeps it.
 */
export function reportedAs<T>(report: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (!(error instanceof RdbError) || error.report !== undefined) throw error;
    throw new RdbError(error.message, undefined, error.failure, report);
  }
}

/** Fails with Redis's report for a corruption it detects apart from the blob checks. */
export function corrupt(report: string, offset?: number): never {
  throw new RdbError(RdbErrors.badEncoding(report), offset, { kind: 'format' }, report);
}

/** rdbReportCorruptRDB's reasons, as Redis words them. */
export const RedisReports = {
  integrity: (what: string) => `${what} integrity check failed.`,
  duplicateSetMembers: 'Duplicate set members detected',
  duplicateZsetFields: 'Duplicate zset fields detected',
  duplicateHashFields: 'Duplicate hash fields detected',
  streamNodeKey: 'Stream node key entry is not the size of a stream ID',
  emptyStreamListpack: 'Empty listpack inside stream',
  streamListpackReAdded: 'Listpack re-added with existing key',
  duplicateGroup: (name: string) => `Duplicated consumer group name ${name}`,
  duplicateGlobalPel: 'Duplicated global PEL entry loading stream consumer group',
  duplicateConsumer: 'Duplicate stream consumer detected.',
  consumerPelMissing: 'Consumer entry not found in group global PEL',
  duplicateConsumerPel: 'Duplicated consumer PEL entry  loading a stream consumer group',
  pelWithoutConsumer: 'Stream CG PEL entry without consumer',
} as const;

export const RdbErrors = {
  badSignature: 'not an RDB file: bad signature',
  unsupportedVersion: (version: number) => `unsupported RDB version ${version}`,
  checksumMismatch: (expected: string, actual: string) =>
    `RDB checksum mismatch: file says ${expected}, computed ${actual}`,
  truncated: 'RDB file is truncated',
  unknownType: (type: number) => `unknown RDB value type or opcode ${type}`,
  unsupportedModule: (name: string, id: bigint) =>
    `unsupported module type '${name}' (module id ${id}): module values cannot be loaded`,
  unsupportedModuleAux: (name: string) =>
    `unsupported module aux data for module '${name}': modules are not supported`,
  preGaModule: 'unsupported pre-release (4.0 RC) module value',
  badEncoding: (what: string) => `invalid ${what}`,
  lzf: 'invalid LZF compressed string',
  dumpPayloadVersionOrChecksum: 'ERR DUMP payload version or checksum are wrong',
  emptyValue: 'empty collection in payload',
} as const;
