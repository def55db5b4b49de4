import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeErrno } from '../errno.js';
import type { AccessControl } from './access-control.js';

/**
 * ACL LOAD and the aclfile at startup: null when loaded, else Redis's one-line errors. A
 * relative `file` is in `dir`, the directory Redis runs in.
 */
export function loadAclFile(acl: AccessControl, file: string, dir: string): string | null {
  let text: string;
  try {
    text = readFileSync(resolve(dir, file), 'latin1');
  } catch (error) {
    return `Error loading ACLs, opening file '${file}': ${describeErrno(error)}`;
  }
  return acl.loadFile(text, file);
}

/**
 * ACL SAVE: every user's line, written to a temporary file then renamed over the aclfile.
 * Returns the log line when it failed.
 */
export function saveAclFile(acl: AccessControl, file: string, dir: string): string | null {
  const path = resolve(dir, file);
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  const text = acl
    .userLines()
    .map((line) => `${line}\n`)
    .join('');
  try {
    writeFileSync(temporary, text, { encoding: 'latin1', mode: 0o644 });
  } catch (error) {
    return `Opening temp ACL file for ACL SAVE: ${describeErrno(error)}`;
  }
  try {
    renameSync(temporary, path);
  } catch (error) {
    unlinkSync(temporary);
    return `Renaming ACL file for ACL SAVE: ${describeErrno(error)}`;
  }
  return null;
}
