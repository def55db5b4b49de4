export { RcServer, type ServerOptions } from './server.js';
export { parseArguments, type ParsedArguments } from './arguments.js';
