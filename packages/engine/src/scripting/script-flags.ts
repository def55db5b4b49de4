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

/** What an EVAL body's first line declares: its flags (null without a shebang) and length. */
export type Shebang = { flags: ScriptFlags | null; length: number } | { error: string };

/** Reads `#!lua flags=...` as Redis's evalExtractShebangFlags, with its error replies. */
export function parseShebang(body: string): Shebang {
  if (!body.startsWith('#!')) return { flags: null, length: 0 };
  const end = body.indexOf('\n');
  if (end === -1) return { error: 'ERR Invalid script shebang' };
  const parts = body
    .slice(0, end)
    .split(/[ \t\r]+/)
    .filter((part) => part !== '');
  if (parts[0] !== '#!lua')
    return { error: `ERR Unexpected engine in script shebang: ${parts[0]}` };
  const flags = new Set<ScriptFlag>();
  for (const part of parts.slice(1)) {
    if (!part.startsWith('flags=')) return { error: `ERR Unknown lua shebang option: ${part}` };
    for (const name of part.slice(6).split(',')) {
      if (name === '') continue;
      const flag = scriptFlagNamed(name, true);
      if (flag === null) return { error: `ERR Unexpected flag in script shebang: ${name}` };
      flags.add(flag);
    }
  }
  return { flags, length: end };
}
