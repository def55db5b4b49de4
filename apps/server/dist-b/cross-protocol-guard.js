/** Redis logs an attack at most once a minute, so that attacks cannot flood the log. */
const WARNING_INTERVAL_MS = 60_000;
const ATTACK_WARNING = 'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands ' +
    'to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to ' +
    'compromise your Redis instance. Connection aborted.';
/** When each server last logged an attack. */
const lastWarnings = new WeakMap();
/**
 * Whether a command's name is an HTTP request line's `POST` or a `Host:` header: a browser made
 * to send a request to Redis (cross protocol scripting), whose connection Redis aborts.
 */
export function isHttpRequestWord(name) {
    const length = name.length;
    if (length !== 4 && length !== 5)
        return false;
    // Both words have an o second (0x20 lowers an ASCII letter): most commands stop here, before
    // the regex, which ran for every PING, INCR or HSET.
    if ((name.charCodeAt(1) | 0x20) !== 0x6f)
        return false;
    return /^(?:post|host:)$/i.test(name);
}
/** Logs the attack, unless one was logged in the last minute. */
export function warnOfCrossProtocolAttack(engine) {
    const now = Date.now();
    const last = lastWarnings.get(engine);
    if (last !== undefined && Math.abs(now - last) <= WARNING_INTERVAL_MS)
        return;
    lastWarnings.set(engine, now);
    engine.log('warning', ATTACK_WARNING);
}
//# sourceMappingURL=cross-protocol-guard.js.map