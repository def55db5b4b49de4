import type { Client } from './client.js';

/** Client names may not contain spaces or special characters (they'd break CLIENT LIST). */
export function validClientName(client: Client, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) {
      client.out.error('ERR Client names cannot contain spaces, newlines or special characters.');
      return false;
    }
  }
  return true;
}
