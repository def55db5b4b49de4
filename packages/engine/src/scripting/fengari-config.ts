/**
 * fengari reads its configuration from the environment when first loaded. Lua 5.1 prints
 * integral floats without 5.3's ".0" suffix ("2", not "2.0"), which Redis scripts rely on;
 * this module is imported before fengari so the setting is in place, and lua.ts removes it
 * again right after.
 */
export const previousFengariConfig = process.env.FENGARICONF;
process.env.FENGARICONF = JSON.stringify({ LUA_COMPAT_FLOATSTRING: true });
