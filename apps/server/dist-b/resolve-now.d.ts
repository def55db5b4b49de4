export type Resolved = {
    address: string;
} | {
    error: string;
};
/**
 * The first address of `host` in one family, now: an IP address as it is, a name through
 * getaddrinfo. Node resolves names only asynchronously, but a bind address must be known before
 * CONFIG SET bind answers, as Redis blocks on getaddrinfo; a child process does the lookup.
 */
export declare function resolveNow(host: string, family: 4 | 6): Resolved;
//# sourceMappingURL=resolve-now.d.ts.map