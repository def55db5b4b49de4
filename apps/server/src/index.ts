export { RcServer, type ServerOptions } from './server.js';
export { parseArguments, parseConfigFile, type ParsedArguments } from './arguments.js';
