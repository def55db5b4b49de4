import type { Config } from '@rc/engine';
/** The limits each connection checks as it reads, kept as numbers as the config changes. */
export declare class ClientLimits {
    /** client-query-buffer-limit: past it, a client's unparsed input closes the connection. */
    queryBufferLimit: number;
    /** proto-max-bulk-len: a longer bulk is a protocol error. */
    maxBulkLength: number;
    constructor(config: Config);
}
//# sourceMappingURL=client-limits.d.ts.map