export { freePort } from './free-port.js';
export {
  redisAvailable,
  requireRedisOrSkip,
  startRedisServer,
  stopChild,
  type RedisServerOptions,
  type RedisServerProcess,
} from './redis-server.js';
export {
  requireSentinelOrSkip,
  sentinelAvailable,
  startSentinel,
  type SentinelProcess,
} from './redis-sentinel.js';
export { until } from './until.js';
export {
  makeTestCertificates,
  opensslAvailable,
  requireOpensslOrSkip,
  tlsSettings,
  type Identity,
  type TestCertificates,
} from './tls-certificates.js';
