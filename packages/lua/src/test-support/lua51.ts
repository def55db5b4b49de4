import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LuaError } from '../error.js';
import { LuaRuntime } from '../lua-runtime.js';

/** Whether Debian's Lua 5.1 interpreter, the reference for differential tests, is installed. */
export const lua51Available: boolean =
  spawnSync('lua5.1', ['-v'], { stdio: 'ignore' }).status === 0;

/** Differential tests skip, with a visible message, without lua5.1; they fail under REQUIRE_REDIS=1. */
export function requireLua51OrSkip(suite: string): boolean {
  if (lua51Available) return true;
  if (process.env.REQUIRE_REDIS === '1')
    throw new Error(`${suite}: REQUIRE_REDIS=1 but lua5.1 is not installed`);
  console.warn(`SKIPPED ${suite}: lua5.1 is not installed (apt-get install lua5.1)`);
  return false;
}

const directory = mkdtempSync(join(tmpdir(), 'rc-lua-'));

/** Runs the chunk as "user_script" and prints how it ended, the same way on both sides. */
const DRIVER = `
local file = io.open(arg[1], 'rb')
local source = file:read('*a')
file:close()
local chunk, problem = loadstring(source, '=user_script')
if not chunk then print('syntax: ' .. problem) return end
local ok, result = pcall(chunk)
if not ok then print('error: ' .. tostring(result)) end
`;

/** What lua5.1 prints running `source` (latin1 bytes). */
export function runOnLua51(source: string): string {
  const driver = join(directory, 'driver.lua');
  const chunk = join(directory, 'chunk.lua');
  writeFileSync(driver, DRIVER);
  writeFileSync(chunk, Buffer.from(source, 'latin1'));
  const result = spawnSync('lua5.1', [driver, chunk], { encoding: 'latin1' });
  return result.stdout + result.stderr;
}

/** What the runtime prints running `source`, ended as the driver above ends. */
export function runOnRuntime(source: string, runtime?: LuaRuntime): string {
  let output = '';
  const lua = runtime ?? new LuaRuntime();
  lua.print = (line) => (output += line + '\n');
  let chunk;
  try {
    chunk = lua.load(source, 'user_script');
  } catch (error) {
    if (error instanceof LuaError) return output + `syntax: ${lua.tostring(error.value)}\n`;
    throw error;
  }
  try {
    lua.call(chunk);
  } catch (error) {
    if (error instanceof LuaError) return output + `error: ${lua.tostring(error.value)}\n`;
    throw error;
  }
  return output;
}
