/** A manifest line's type: the base, a file kept only until it is deleted, an increment. */
export type AofFileType = 'b' | 'h' | 'i';

export interface AofFileInfo {
  readonly name: string;
  readonly seq: number;
  readonly type: AofFileType;
}

export class ManifestError extends Error {
  readonly code = 'ERR_AOF_MANIFEST';
}

/** Names with spaces, quotes or unprintable bytes are quoted, as Redis's sdscatrepr. */
function needsQuoting(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f || code === 0x22 || code === 0x27 || code === 0x5c) {
      return true;
    }
  }
  return false;
}

function quote(name: string): string {
  let out = '"';
  for (let i = 0; i < name.length; i++) {
    const char = name[i];
    const code = name.charCodeAt(i);
    if (char === '\\' || char === '"') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code >= 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** Splits a manifest line into words: bare words and "quoted" ones, as sdssplitargs. */
function splitWords(line: string): string[] | null {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= line.length) break;
    let word = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null;
        const char = line[i];
        if (char === '"') {
          i++;
          break;
        }
        if (char === '\\' && i + 1 < line.length) {
          const next = line[i + 1];
          if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
            word += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          word += next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next;
          i += 2;
          continue;
        }
        word += char;
        i++;
      }
      if (i < line.length && line[i] !== ' ' && line[i] !== '\t') return null;
    } else {
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t') word += line[i++];
    }
    words.push(word);
  }
  return words;
}

/**
 * Redis 7.0's multi-part AOF manifest: `file <name> seq <n> type <b|h|i>` per line, the base
 * first, then history files, then increments in sequence order.
 */
export class AofManifest {
  base: AofFileInfo | null = null;
  history: AofFileInfo[] = [];
  incr: AofFileInfo[] = [];
  baseSeq = 0;
  incrSeq = 0;

  /** Parses a manifest with Redis's checks; throws ManifestError with Redis's wording. */
  static parse(text: string): AofManifest {
    const manifest = new AofManifest();
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (lines.length === 0) throw new ManifestError('Found an empty AOF manifest');
    let maxSeq = 0;
    for (const raw of lines) {
      if (raw.startsWith('#')) continue;
      const line = raw.trim();
      const words = line === '' ? null : splitWords(line);
      if (words === null || words.length < 6 || words.length % 2 !== 0) {
        throw new ManifestError('Invalid AOF manifest file format');
      }
      let name: string | null = null;
      let seq = 0;
      let type = '';
      for (let i = 0; i < words.length; i += 2) {
        const key = words[i].toLowerCase();
        if (key === 'file') {
          name = words[i + 1];
          if (name.includes('/')) {
            throw new ManifestError("File can't be a path, just a filename");
          }
        } else if (key === 'seq') seq = Number.parseInt(words[i + 1], 10) || 0;
        else if (key === 'type') type = words[i + 1][0] ?? '';
      }
      if (name === null || seq === 0 || type === '') {
        throw new ManifestError('Invalid AOF manifest file format');
      }
      if (type === 'b') {
        if (manifest.base !== null)
          throw new ManifestError('Found duplicate base file information');
        manifest.base = { name, seq, type };
        manifest.baseSeq = seq;
      } else if (type === 'h') {
        manifest.history.push({ name, seq, type });
      } else if (type === 'i') {
        if (seq <= maxSeq) throw new ManifestError('Found a non-monotonic sequence number');
        manifest.incr.push({ name, seq, type });
        manifest.incrSeq = seq;
        maxSeq = seq;
      } else {
        throw new ManifestError('Unknown AOF file type');
      }
    }
    return manifest;
  }

  format(): string {
    let text = '';
    const files = [...(this.base ? [this.base] : []), ...this.history, ...this.incr];
    for (const file of files) {
      const name = needsQuoting(file.name) ? quote(file.name) : file.name;
      text += `file ${name} seq ${file.seq} type ${file.type}\n`;
    }
    return text;
  }

  clone(): AofManifest {
    const copy = new AofManifest();
    copy.base = this.base;
    copy.history = [...this.history];
    copy.incr = [...this.incr];
    copy.baseSeq = this.baseSeq;
    copy.incrSeq = this.incrSeq;
    return copy;
  }

  /** A new base `<filename>.<seq>.base.rdb|aof`; the previous base becomes history. */
  newBase(filename: string, rdbPreamble: boolean): AofFileInfo {
    if (this.base !== null) this.history.unshift({ ...this.base, type: 'h' });
    this.baseSeq++;
    const base: AofFileInfo = {
      name: `${filename}.${this.baseSeq}.base.${rdbPreamble ? 'rdb' : 'aof'}`,
      seq: this.baseSeq,
      type: 'b',
    };
    this.base = base;
    return base;
  }

  /** A new increment `<filename>.<seq>.incr.aof` at the end of the list. */
  newIncr(filename: string): AofFileInfo {
    this.incrSeq++;
    const incr: AofFileInfo = {
      name: `${filename}.${this.incrSeq}.incr.aof`,
      seq: this.incrSeq,
      type: 'i',
    };
    this.incr.push(incr);
    return incr;
  }

  /**
   * After a rewrite: every increment but the one being written (when `keepLast`) is now in
   * the base, so it becomes history, as markRewrittenIncrAofAsHistory.
   */
  incrementsToHistory(keepLast: boolean): void {
    const kept = keepLast && this.incr.length > 0 ? [this.incr[this.incr.length - 1]] : [];
    const done = keepLast ? this.incr.slice(0, -1) : this.incr;
    for (const file of done.reverse()) this.history.unshift({ ...file, type: 'h' });
    this.incr = kept;
  }
}
