/**
 * An embedded server's configuration: in memory unless the caller asks for persistence (no
 * save points, no AOF) and, unless `dir` is given, a fresh temporary folder as `dir`, so that a
 * test neither loads a stray ./dump.rdb nor writes one. The caller's settings come last: they
 * win.
 */
export declare function embeddedConfig(config: ReadonlyArray<[string, string]>): {
    config: Array<[string, string]>;
    temporaryDir: string | null;
};
//# sourceMappingURL=embedded-config.d.ts.map