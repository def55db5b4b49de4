export type ParsedArguments = {
    kind: 'run';
    config: Array<[string, string]>;
    /** The config file's absolute path (CONFIG REWRITE's target), if one was given. */
    configFile: string | null;
    /** ACL users from `user` lines: name, then rules. */
    users: string[][];
    /** `rename-command` lines: the command's name, then its new name ('' removes it). */
    renames: Array<[string, string]>;
} | {
    kind: 'help';
} | {
    kind: 'version';
}
/** A fatal error; `log` ones go to the log as Redis's serverLog does, the rest to stderr. */
 | {
    kind: 'error';
    message: string;
    via: 'stderr' | 'log';
};
/**
 * redis-server's command line, read as Redis reads it: an optional config file first, then
 * `--name value...` options appended to the file's text as one directive line each (values
 * quoted), and the whole text parsed as a config file, so errors name a line of that text.
 */
export declare function parseArguments(args: readonly string[]): ParsedArguments;
//# sourceMappingURL=arguments.d.ts.map