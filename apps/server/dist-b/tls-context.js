import { constants } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext, } from 'node:tls';
import { describeErrno } from '@rc/engine';
/** tls-protocols' words, oldest first, with Node's name and the option that turns each off. */
const PROTOCOLS = [
    ['tlsv1', 'TLSv1', constants.SSL_OP_NO_TLSv1],
    ['tlsv1.1', 'TLSv1.1', constants.SSL_OP_NO_TLSv1_1],
    ['tlsv1.2', 'TLSv1.2', constants.SSL_OP_NO_TLSv1_2],
    ['tlsv1.3', 'TLSv1.3', constants.SSL_OP_NO_TLSv1_3],
];
/** Without tls-protocols Redis enables TLSv1.2 and TLSv1.3. */
const DEFAULT_PROTOCOLS = 'tlsv1.2 tlsv1.3';
/** OpenSSL's own defaults, which Redis keeps when tls-ciphers / tls-ciphersuites are unset. */
const DEFAULT_CIPHERS = 'DEFAULT';
const DEFAULT_CIPHERSUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';
/** The reason OpenSSL gives for an encrypted key read without a passphrase. */
const NO_PASSPHRASE = 'error:07880109:common libcrypto routines::interrupted or cancelled';
/** The reason OpenSSL gives for a CA file holding no certificate. */
const NO_CA_CERTIFICATE = 'error:05800088:x509 certificate routines::no certificate or crl found';
/** A setting failed: the lines Redis logs, the first naming what failed. */
class TlsConfigurationError extends Error {
}
/**
 * Builds the contexts from the tls-* settings, as Redis's tlsConfigure: null when a setting is
 * wrong, after logging why in Redis's words (the previous contexts stay in use).
 */
export function configureTls(config, log) {
    try {
        return buildContexts(config);
    }
    catch (error) {
        if (!(error instanceof TlsConfigurationError))
            throw error;
        log('warning', error.message);
        return null;
    }
}
/** Whether any TLS is in use, so that the settings must make a valid context (applyTlsCfg). */
export function tlsEnabled(config) {
    return (config.getNumber('tls-port') !== 0 ||
        config.get('tls-replication') === 'yes' ||
        config.get('tls-cluster') === 'yes');
}
function buildContexts(config) {
    const setting = (name) => config.get(name) || null;
    const certFile = setting('tls-cert-file');
    if (certFile === null)
        throw new TlsConfigurationError('No tls-cert-file configured!');
    const keyFile = setting('tls-key-file');
    if (keyFile === null)
        throw new TlsConfigurationError('No tls-key-file configured!');
    const caFile = setting('tls-ca-cert-file');
    const caDir = setting('tls-ca-cert-dir');
    const verifies = config.get('tls-auth-clients') !== 'no' ||
        config.get('tls-cluster') === 'yes' ||
        config.get('tls-replication') === 'yes';
    if (verifies && caFile === null && caDir === null) {
        throw new TlsConfigurationError('Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!');
    }
    const protocols = parseProtocols(setting('tls-protocols') ?? DEFAULT_PROTOCOLS);
    // Checked in Redis's order: certificate, key, CA, ciphers, ciphersuites.
    const serverIdentity = loadIdentity(certFile, keyFile, setting('tls-key-file-pass'));
    const common = {
        ...protocols,
        ca: caFile !== null || caDir !== null ? loadCertificateAuthorities(caFile, caDir) : undefined,
        ciphers: cipherString(setting('tls-ciphers'), setting('tls-ciphersuites')),
    };
    const server = { ...common, ...serverIdentity };
    // Node's tls.Server prefers its own cipher order unless told otherwise; Redis does not.
    server.honorCipherOrder = config.get('tls-prefer-server-ciphers') === 'yes';
    if (config.get('tls-session-caching') === 'yes') {
        server.sessionTimeout = config.getNumber('tls-session-cache-timeout');
    }
    else {
        server.secureOptions = (server.secureOptions ?? 0) | constants.SSL_OP_NO_TICKET;
    }
    const dhParamsFile = setting('tls-dh-params-file');
    if (dhParamsFile !== null)
        server.dhparam = loadDhParams(dhParamsFile);
    const clientCertFile = setting('tls-client-cert-file');
    const clientKeyFile = setting('tls-client-key-file');
    const clientIdentity = clientCertFile !== null && clientKeyFile !== null
        ? loadIdentity(clientCertFile, clientKeyFile, setting('tls-client-key-file-pass'))
        : serverIdentity;
    return { server, client: createSecureContext({ ...common, ...clientIdentity }) };
}
/** tls-protocols as Node's version range, with the versions inside it left out turned off. */
function parseProtocols(value) {
    const enabled = new Set();
    for (const word of value.split(' ')) {
        const index = PROTOCOLS.findIndex(([name]) => name === word.toLowerCase());
        if (index === -1) {
            throw new TlsConfigurationError("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
        }
        enabled.add(index);
    }
    const indexes = [...enabled].sort((a, b) => a - b);
    const lowest = indexes[0];
    const highest = indexes[indexes.length - 1];
    let secureOptions = 0;
    for (let index = lowest; index <= highest; index++) {
        if (!enabled.has(index))
            secureOptions |= PROTOCOLS[index][2];
    }
    return {
        minVersion: PROTOCOLS[lowest][1],
        maxVersion: PROTOCOLS[highest][1],
        secureOptions,
    };
}
/**
 * Node takes TLSv1.2 ciphers and TLSv1.3 suites in one list. Each is checked alone first, so
 * a bad one is named as Redis names it.
 */
function cipherString(ciphers, ciphersuites) {
    const list = ciphers ?? DEFAULT_CIPHERS;
    const suites = ciphersuites ?? DEFAULT_CIPHERSUITES;
    if (!acceptsCiphers(`${DEFAULT_CIPHERSUITES}:${list}`)) {
        throw new TlsConfigurationError(`Failed to configure ciphers: ${ciphers}`);
    }
    if (!acceptsCiphers(`${suites}:${list}`)) {
        throw new TlsConfigurationError(`Failed to configure ciphersuites: ${ciphersuites}`);
    }
    return `${suites}:${list}`;
}
function acceptsCiphers(ciphers) {
    try {
        createSecureContext({ ciphers });
        return true;
    }
    catch {
        return false;
    }
}
/** The certificate chain and its private key, checked as OpenSSL loads them. */
function loadIdentity(certFile, keyFile, passphrase) {
    const cert = readOrFail(certFile, (reason) => `Failed to load certificate: ${certFile}: ${reason}`);
    try {
        createSecureContext({ cert });
    }
    catch (error) {
        throw new TlsConfigurationError(`Failed to load certificate: ${certFile}: ${error.message}`);
    }
    const key = readOrFail(keyFile, (reason) => `Failed to load private key: ${keyFile}: ${reason}`);
    const identity = { cert, key, passphrase: passphrase ?? undefined };
    try {
        createSecureContext(identity);
    }
    catch (error) {
        const encrypted = passphrase === null && key.includes('ENCRYPTED');
        const reason = encrypted ? NO_PASSPHRASE : error.message;
        throw new TlsConfigurationError(`Failed to load private key: ${keyFile}: ${reason}`);
    }
    return identity;
}
/** A CA directory's certificate names, as `openssl rehash` makes them: `<subject hash>.<n>`. */
const HASHED_CERTIFICATE = /^[0-9a-f]{8}\.\d+$/;
/**
 * The trusted certificates: the file's, and the directory's under hashed names, those OpenSSL
 * would look up (Node takes certificates only as data, so they are read now). A missing
 * directory is no error, as OpenSSL only looks in it when verifying.
 */
function loadCertificateAuthorities(file, dir) {
    const failure = (reason) => `Failed to configure CA certificate(s) file/directory: ${reason}`;
    const certificates = [];
    if (file !== null) {
        const pem = readOrFail(file, failure);
        if (!/-----BEGIN (TRUSTED )?(CERTIFICATE|X509 CRL)-----/.test(pem)) {
            throw new TlsConfigurationError(failure(NO_CA_CERTIFICATE));
        }
        certificates.push(pem);
    }
    if (dir !== null) {
        for (const name of listDirectory(dir).filter((entry) => HASHED_CERTIFICATE.test(entry))) {
            const pem = readOptional(join(dir, name));
            if (pem?.includes('-----BEGIN CERTIFICATE-----'))
                certificates.push(pem);
        }
    }
    return certificates;
}
function loadDhParams(file) {
    let pem;
    try {
        pem = readFileSync(file, 'latin1');
    }
    catch (error) {
        throw new TlsConfigurationError(`Failed to load ${file}: ${describeErrno(error)}`);
    }
    try {
        createSecureContext({ dhparam: pem });
    }
    catch (error) {
        throw new TlsConfigurationError(`Failed to load DH params file: ${file}: ${error.message}`);
    }
    return pem;
}
/** A file's text; a read failure is reported with OpenSSL's words for the system error. */
function readOrFail(path, failure) {
    try {
        return readFileSync(path, 'latin1');
    }
    catch (error) {
        throw new TlsConfigurationError(failure(systemError(error)));
    }
}
function readOptional(path) {
    try {
        return readFileSync(path, 'latin1');
    }
    catch {
        return null;
    }
}
function listDirectory(dir) {
    try {
        return readdirSync(dir);
    }
    catch {
        return [];
    }
}
/** OpenSSL 3's text for a failed system call: `error:80000002:system library::<strerror>`. */
function systemError(error) {
    const errno = Math.abs(error.errno ?? 0);
    const code = (0x80000000 + errno).toString(16).toUpperCase();
    return `error:${code}:system library::${describeErrno(error)}`;
}
//# sourceMappingURL=tls-context.js.map