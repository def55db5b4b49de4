import { type Engine } from '@rc/engine';
import type { Log } from './log.js';
/**
 * The users a server starts with (Redis's ACLLoadUsersAtStartup): the config file's `user`
 * lines or the aclfile, never both. Returns the last log line of a failure, which stops the
 * start; the lines before it are logged here.
 */
export declare function loadStartupUsers(engine: Engine, declared: readonly (readonly string[])[], log: Log): string | null;
//# sourceMappingURL=startup-users.d.ts.map