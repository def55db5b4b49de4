import { spawnSync } from 'node:child_process';
import { isIP } from 'node:net';
/** gai_strerror(3)'s words for Node's resolver error codes, as Redis logs them. */
const RESOLVER_ERRORS = {
    EAI_AGAIN: 'Temporary failure in name resolution',
    EAI_FAIL: 'Non-recoverable failure in name resolution',
    EAI_MEMORY: 'Memory allocation failure',
};
const NOT_FOUND = 'Name or service not known';
/** Looks a name up with getaddrinfo (dns.lookup) and prints `+address` or `-code`. */
const LOOKUP_SCRIPT = "require('node:dns').lookup(process.argv[1], { family: Number(process.argv[2]) }, " +
    "(error, address) => process.stdout.write(error ? '-' + error.code : '+' + address))";
/**
 * The first address of `host` in one family, now: an IP address as it is, a name through
 * getaddrinfo. Node resolves names only asynchronously, but a bind address must be known before
 * CONFIG SET bind answers, as Redis blocks on getaddrinfo; a child process does the lookup.
 */
export function resolveNow(host, family) {
    if (isIP(host) === family)
        return { address: host };
    const lookup = spawnSync(process.execPath, ['-e', LOOKUP_SCRIPT, host, String(family)], {
        encoding: 'utf8',
    });
    const output = lookup.stdout ?? '';
    if (output.startsWith('+'))
        return { address: output.slice(1) };
    return { error: RESOLVER_ERRORS[output.slice(1)] ?? NOT_FOUND };
}
//# sourceMappingURL=resolve-now.js.map