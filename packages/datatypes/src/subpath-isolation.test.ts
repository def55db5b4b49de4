import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = dirname(fileURLToPath(import.meta.url));

/** Every source file reachable by relative imports from a subpath's index. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [resolve(root, entry)];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/from '(\.[^']+)\.js'/g)) {
      pending.push(resolve(dirname(file), `${match[1]}.ts`));
    }
  }
  return seen;
}

describe('subpath exports', () => {
  it('@rc/datatypes/zset loads no list, stream or radix code', () => {
    const files = [...reachable('zset/index.ts')].map((file) => file.slice(root.length + 1));
    expect(files.every((file) => file.startsWith('zset/'))).toBe(true);
  });

  it('@rc/datatypes/list loads only list code', () => {
    const files = [...reachable('list/index.ts')].map((file) => file.slice(root.length + 1));
    expect(files.every((file) => file.startsWith('list/'))).toBe(true);
  });

  it('every subpath directory has its index', () => {
    const directories = readdirSync(root, { withFileTypes: true }).filter((entry) =>
      entry.isDirectory(),
    );
    for (const directory of directories) {
      expect(readdirSync(join(root, directory.name))).toContain('index.ts');
    }
  });
});
