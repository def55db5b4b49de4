import { describe, expect, it } from 'vitest';
import { expandTemplate, procTitle } from './proc-title.js';

const config = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? '' });

describe('process titles', () => {
  it('expand variables, a doubled brace as one, and refuse unknown names or open braces', () => {
    const value = (name: string) => (name === 'a' ? 'A' : null);
    expect(expandTemplate('x{a}y{{z}', value)).toBe('xAy{z}');
    expect(expandTemplate('{b}', value)).toBeNull();
    expect(expandTemplate('x {', value)).toBeNull();
    expect(expandTemplate('{a', value)).toBeNull();
  });

  it('name the listening address, or the unix socket when no port listens', () => {
    const tcp = config({ port: '6380', 'tls-port': '0', bind: '127.0.0.1 ::1' });
    expect(procTitle('{title} {listen-addr} {server-mode}', 'rc', tcp, null)).toBe(
      'rc 127.0.0.1:6380',
    );
    const socket = config({ port: '0', 'tls-port': '0', unixsocket: '/tmp/s' });
    expect(procTitle('{listen-addr} {config-file}', 'rc', socket, null)).toBe(
      'unixsocket:/tmp/s -',
    );
  });
});
