import type { Engine } from '@rc/engine';
/**
 * Whether a command's name is an HTTP request line's `POST` or a `Host:` header: a browser made
 * to send a request to Redis (cross protocol scripting), whose connection Redis aborts.
 */
export declare function isHttpRequestWord(name: string): boolean;
/** Logs the attack, unless one was logged in the last minute. */
export declare function warnOfCrossProtocolAttack(engine: Engine): void;
//# sourceMappingURL=cross-protocol-guard.d.ts.map