export { RcServer, type ServerOptions, type StartOptions } from './server.js';
export { KeyspaceAccess, type Argument } from './keyspace-access.js';
export type { Clock } from '@rc/engine';
export type { RdbValue } from '@rc/rdb';
export { parseArguments, type ParsedArguments } from './arguments.js';
//# sourceMappingURL=index.d.ts.map