import { readFileSync } from 'node:fs';
import { Config } from '@rc/engine';

export type ParsedArguments =
  | { kind: 'run'; config: Array<[string, string]> }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

/** Option names accepted under another spelling, as redis-server's own aliases. */
const ALIASES: Record<string, string> = { slaveof: 'replicaof' };

/**
 * redis-server's command line: an optional config file first, then `--name value...` options
 * whose values run until the next `--` (so `--save 900 1` and `--replicaof host port` work).
 * Option names are validated against the known configuration parameters.
 */
export function parseArguments(args: readonly string[]): ParsedArguments {
  if (args[0] === '--help' || args[0] === '-h') return { kind: 'help' };
  if (args[0] === '--version' || args[0] === '-v') return { kind: 'version' };
  const directives: Array<[string, string[]]> = [];
  let index = 0;
  if (args.length > 0 && !args[0].startsWith('--')) {
    let text: string;
    try {
      text = readFileSync(args[0], 'utf8');
    } catch (error) {
      return {
        kind: 'error',
        message: `Can't open config file '${args[0]}': ${(error as Error).message}`,
      };
    }
    const parsed = parseConfigFile(text);
    if ('error' in parsed) return { kind: 'error', message: parsed.error };
    directives.push(...parsed.directives);
    index = 1;
  }
  while (index < args.length) {
    const option = args[index];
    if (!option.startsWith('--') || option.length === 2) {
      return { kind: 'error', message: `Invalid argument '${option}': options start with '--'` };
    }
    const values: string[] = [];
    index++;
    while (index < args.length && !args[index].startsWith('--')) values.push(args[index++]);
    directives.push([option.slice(2), values]);
  }
  const known = new Config();
  const config: Array<[string, string]> = [];
  for (const [rawName, values] of directives) {
    const name = ALIASES[rawName.toLowerCase()] ?? rawName.toLowerCase();
    if (!known.has(name)) {
      return { kind: 'error', message: `Bad directive or wrong number of arguments: '${rawName}'` };
    }
    config.push([name, values.join(' ')]);
  }
  return { kind: 'run', config };
}

/** redis.conf syntax: one directive per line, `#` comments, double or single quoted words. */
export function parseConfigFile(
  text: string,
): { directives: Array<[string, string[]]> } | { error: string } {
  const directives: Array<[string, string[]]> = [];
  const lines = text.split(/\r?\n/);
  for (let number = 0; number < lines.length; number++) {
    const line = lines[number].trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = splitWords(line);
    if (words === null) {
      return { error: `Unbalanced quotes in configuration line ${number + 1}: '${line}'` };
    }
    directives.push([words[0], words.slice(1)]);
  }
  return { directives };
}

function splitWords(line: string): string[] | null {
  const words: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s"']+))/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(line)) !== null && match[0].length > 0) {
    words.push(match[1] ?? match[2] ?? match[3]);
    consumed = pattern.lastIndex;
  }
  return line.slice(consumed).trim() === '' ? words : null;
}
