import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether Debian's `openssl` can make the throwaway certificates the TLS tests need. */
export const opensslAvailable: boolean =
  spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

/** TLS tests skip, with a visible message, without openssl; they fail under REQUIRE_REDIS=1. */
export function requireOpensslOrSkip(suite: string): boolean {
  if (opensslAvailable) return true;
  if (process.env.REQUIRE_REDIS === '1') {
    throw new Error(`${suite}: REQUIRE_REDIS=1 but openssl is not installed`);
  }
  console.warn(`SKIPPED ${suite}: openssl is not installed (apt-get install openssl)`);
  return false;
}

/** A certificate and its key, as files and as PEM text. */
export interface Identity {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

export interface TestCertificates {
  readonly dir: string;
  /** The CA every other certificate here is signed by. */
  readonly ca: Identity;
  /** For 127.0.0.1 / localhost, usable by servers and clients alike. */
  readonly server: Identity;
  /** For clients only (extendedKeyUsage clientAuth). */
  readonly client: Identity;
  /** Self-signed: no server here trusts it. */
  readonly stranger: Identity;
}

function openssl(args: string[], dir: string): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

function identity(dir: string, name: string): Identity {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  return {
    certFile,
    keyFile,
    cert: readFileSync(certFile, 'latin1'),
    key: readFileSync(keyFile, 'latin1'),
  };
}

/** Signs a new key for `name` with the CA; `extensions` names a section of extensions.cnf. */
function issue(dir: string, name: string, subject: string, extensions: string): void {
  openssl(['genrsa', '-out', `${name}.key`, '2048'], dir);
  openssl(
    ['req', '-new', '-sha256', '-subj', subject, '-key', `${name}.key`, '-out', `${name}.csr`],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-sha256',
      '-days',
      '2',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-extfile',
      'extensions.cnf',
      '-extensions',
      extensions,
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

/**
 * A throwaway CA and certificates in a new temporary directory, made with `openssl` at test
 * time: no key material is ever committed.
 */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'rc-tls-'));
  writeFileSync(
    join(dir, 'extensions.cnf'),
    [
      '[server]',
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
      '[client]',
      'extendedKeyUsage = clientAuth',
      '',
    ].join('\n'),
  );
  openssl(['genrsa', '-out', 'ca.key', '2048'], dir);
  openssl(
    ['req', '-x509', '-new', '-nodes', '-sha256', '-days', '2', '-key', 'ca.key'].concat([
      '-subj',
      '/O=rc test/CN=Certificate Authority',
      '-out',
      'ca.crt',
    ]),
    dir,
  );
  issue(dir, 'server', '/O=rc test/CN=127.0.0.1', 'server');
  issue(dir, 'client', '/O=rc test/CN=client', 'client');
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=stranger'].concat(
      ['-keyout', 'stranger.key', '-out', 'stranger.crt'],
    ),
    dir,
  );
  return {
    dir,
    ca: identity(dir, 'ca'),
    server: identity(dir, 'server'),
    client: identity(dir, 'client'),
    stranger: identity(dir, 'stranger'),
  };
}

/** The tls-* settings of a server using these certificates (as the suite configures one). */
export function tlsSettings(certificates: TestCertificates): Array<[string, string]> {
  return [
    ['tls-cert-file', certificates.server.certFile],
    ['tls-key-file', certificates.server.keyFile],
    ['tls-ca-cert-file', certificates.ca.certFile],
  ];
}
