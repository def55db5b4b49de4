import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
/**
 * An embedded server's configuration: in memory unless the caller asks for persistence (no
 * save points, no AOF) and, unless `dir` is given, a fresh temporary folder as `dir`, so that a
 * test neither loads a stray ./dump.rdb nor writes one. The caller's settings come last: they
 * win.
 */
export function embeddedConfig(config) {
    const defaults = [
        ['save', ''],
        ['appendonly', 'no'],
    ];
    const givesDir = config.some(([name]) => name.toLowerCase() === 'dir');
    const temporaryDir = givesDir ? null : mkdtempSync(join(tmpdir(), 'rc-server-'));
    if (temporaryDir !== null)
        defaults.push(['dir', temporaryDir]);
    return { config: [...defaults, ...config], temporaryDir };
}
//# sourceMappingURL=embedded-config.js.map