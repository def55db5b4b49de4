/** The limits each connection checks as it reads, kept as numbers as the config changes. */
export class ClientLimits {
    /** client-query-buffer-limit: past it, a client's unparsed input closes the connection. */
    queryBufferLimit = 0;
    /** proto-max-bulk-len: a longer bulk is a protocol error. */
    maxBulkLength = 0;
    constructor(config) {
        config.follow('client-query-buffer-limit', () => {
            this.queryBufferLimit = config.getNumber('client-query-buffer-limit');
        });
        config.follow('proto-max-bulk-len', () => {
            this.maxBulkLength = config.getNumber('proto-max-bulk-len');
        });
    }
}
//# sourceMappingURL=client-limits.js.map