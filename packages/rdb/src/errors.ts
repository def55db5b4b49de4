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
  ) {
    super(offset === undefined ? message : `${message} at byte offset ${offset}`);
  }
}

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
