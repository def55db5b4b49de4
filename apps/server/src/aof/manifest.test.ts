import { describe, expect, it } from 'vitest';
import { AofManifest, ManifestError } from './manifest.js';

describe('AofManifest', () => {
  it('formats lines exactly as Redis 7.0: base, history, then increments', () => {
    const manifest = new AofManifest();
    manifest.newBase('appendonly.aof', true);
    manifest.newIncr('appendonly.aof');
    expect(manifest.format()).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    manifest.newIncr('appendonly.aof');
    manifest.newBase('appendonly.aof', false);
    manifest.incrementsToHistory(true);
    expect(manifest.format()).toBe(
      [
        'file appendonly.aof.2.base.aof seq 2 type b',
        'file appendonly.aof.1.incr.aof seq 1 type h',
        'file appendonly.aof.1.base.rdb seq 1 type h',
        'file appendonly.aof.2.incr.aof seq 2 type i',
        '',
      ].join('\n'),
    );
  });

  it('round-trips, including quoted names', () => {
    const manifest = new AofManifest();
    manifest.base = { name: 'my file"x', seq: 3, type: 'b' };
    manifest.incr = [{ name: 'a.incr.aof', seq: 7, type: 'i' }];
    const text = manifest.format();
    expect(text).toContain('file "my file\\"x" seq 3 type b');
    const parsed = AofManifest.parse(text);
    expect(parsed.base).toEqual(manifest.base);
    expect(parsed.incr).toEqual(manifest.incr);
    expect(parsed.incrSeq).toBe(7);
  });

  it('skips comments and accepts extra key/value pairs, as Redis does', () => {
    const parsed = AofManifest.parse(
      '# written by hand\nfile b.rdb seq 1 type b extra 1\nfile i.aof seq 2 type i\n',
    );
    expect(parsed.base?.name).toBe('b.rdb');
    expect(parsed.incr.map((file) => file.name)).toEqual(['i.aof']);
  });

  it('rejects what Redis rejects, with its messages', () => {
    const cases: Array<[string, string]> = [
      ['', 'Found an empty AOF manifest'],
      ['file a seq 1\n', 'Invalid AOF manifest file format'],
      ['file a/b seq 1 type b\n', "File can't be a path, just a filename"],
      ['file a seq 1 type b\nfile b seq 2 type b\n', 'Found duplicate base file information'],
      ['file a seq 2 type i\nfile b seq 2 type i\n', 'Found a non-monotonic sequence number'],
      ['file a seq 1 type x\n', 'Unknown AOF file type'],
    ];
    for (const [text, message] of cases) {
      expect(() => AofManifest.parse(text), JSON.stringify(text)).toThrow(ManifestError);
      expect(() => AofManifest.parse(text)).toThrow(message);
    }
  });

  it('reads lines as fgets does: a blank line is invalid, a line without its newline too long', () => {
    const at = (text: string): ManifestError => {
      try {
        AofManifest.parse(text);
      } catch (error) {
        return error as ManifestError;
      }
      throw new Error('parsed');
    };
    const blank = at('file a seq 1 type i\n\nfile b seq 2 type i\n');
    expect([blank.message, blank.lineNumber, blank.line]).toEqual([
      'Invalid AOF manifest file format',
      2,
      '',
    ]);
    const short = at('# note\n file a seq 1 type i\nfile b type i \r\n');
    expect([short.message, short.lineNumber, short.line]).toEqual([
      'Invalid AOF manifest file format',
      3,
      'file b type i',
    ]);
    for (const text of ['file a seq 1 type i', `file a seq 1 type i${' k v'.repeat(400)}\n`]) {
      const long = at(text);
      expect([long.message, long.line]).toEqual([
        'The AOF manifest file contains too long line',
        null,
      ]);
    }
    expect(AofManifest.parse('# only a comment\n').base).toBeNull();
  });
});
