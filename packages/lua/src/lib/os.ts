import type { LuaTable } from '../table.js';
import { libraryTable } from './arguments.js';

/**
 * The one function of Lua's `os` library a sandbox may keep: clock, the processor time the
 * process has used, in seconds (C's clock()). Redis 7.0 loads no `os` at all (7.2 adds this).
 */
export function installOs(): LuaTable {
  return libraryTable({
    clock: () => {
      const { user, system } = process.cpuUsage();
      return [(user + system) / 1e6];
    },
  });
}
