import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const source = dirname(fileURLToPath(import.meta.url));
const built = resolve(source, '../dist');

/**
 * Every module reachable by relative imports (static or dynamic) from a subpath's entry,
 * relative to `root`. `extension` is what the files on disk end with.
 */
function reachable(root: string, entry: string, extension: '.ts' | '.js'): string[] {
  const seen = new Set<string>();
  const pending = [resolve(root, entry)];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)\.js'/g)) {
      pending.push(resolve(dirname(file), `${match[1]}${extension}`));
    }
  }
  return [...seen].map((file) => file.slice(root.length + 1));
}

const allowed: Record<string, string[]> = {
  zset: ['zset/'],
  list: ['list/'],
  radix: ['radix/'],
  stream: ['stream/', 'radix/'],
  packed: ['packed/', 'zset/', 'list/'],
};

describe('subpath exports', () => {
  for (const [subpath, prefixes] of Object.entries(allowed)) {
    it(`@rc/datatypes/${subpath} loads only ${prefixes.join(' and ')} code (source)`, () => {
      const files = reachable(source, `${subpath}/index.ts`, '.ts');
      expect(files.filter((file) => !prefixes.some((prefix) => file.startsWith(prefix)))).toEqual(
        [],
      );
    });

    // The built graph is what users load; checked whenever `build` has run.
    it.skipIf(!existsSync(join(built, subpath, 'index.js')))(
      `@rc/datatypes/${subpath} loads only ${prefixes.join(' and ')} code (dist)`,
      () => {
        const files = reachable(built, `${subpath}/index.js`, '.js');
        expect(files.length).toBeGreaterThan(1);
        expect(files.filter((file) => !prefixes.some((prefix) => file.startsWith(prefix)))).toEqual(
          [],
        );
      },
    );
  }

  it('every subpath directory has its index', () => {
    const directories = readdirSync(source, { withFileTypes: true }).filter(
      (entry) => entry.isDirectory() && entry.name !== 'test-support',
    );
    for (const directory of directories) {
      expect(readdirSync(join(source, directory.name))).toContain('index.ts');
      expect(Object.keys(allowed)).toContain(directory.name);
    }
  });
});
