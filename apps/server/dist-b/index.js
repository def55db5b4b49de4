export { RcServer } from './server.js';
export { KeyspaceAccess } from './keyspace-access.js';
export { parseArguments } from './arguments.js';
//# sourceMappingURL=index.js.map