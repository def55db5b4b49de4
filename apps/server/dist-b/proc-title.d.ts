import { type Config } from '@rc/engine';
/**
 * Redis's redisSetProcTitle: the process title proc-title-template makes, set at start when
 * set-proc-title is yes and again whenever the template changes. The title is what the server
 * was started as (the daemon's script). Node can only rewrite the room the original command
 * line took, so a longer title is cut there.
 */
export declare function followProcTitle(config: Config, configFile: string | null): void;
//# sourceMappingURL=proc-title.d.ts.map