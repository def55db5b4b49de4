/**
 * The flags a Redis 7.0 script declares, in a shebang (`#!lua flags=no-writes,allow-oom`) or
 * when registering a function. In Redis's order (scripts_flags_def), which FUNCTION LIST keeps.
 */
export const SCRIPT_FLAG_NAMES = [
  'no-writes',
  'allow-oom',
  'allow-stale',
  'no-cluster',
  'allow-cross-slot-keys',
] as const;

export type ScriptFlag = (typeof SCRIPT_FLAG_NAMES)[number];

export type ScriptFlags = ReadonlySet<ScriptFlag>;

export const NO_SCRIPT_FLAGS: ScriptFlags = new Set();

/** The flag named `name`, matched case-insensitively as register_function does; or null. */
export function scriptFlagNamed(name: string, caseSensitive = false): ScriptFlag | null {
  const wanted = caseSensitive ? name : name.toLowerCase();
  for (const flag of SCRIPT_FLAG_NAMES) if (flag === wanted) return flag;
  return null;
}
