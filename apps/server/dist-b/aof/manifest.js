/** Longest manifest line Redis reads (MANIFEST_MAX_LINE), its newline not counted. */
const MANIFEST_MAX_LINE = 1024;
/**
 * A manifest Redis would refuse, with its reason and, once a line was read whole, the line's
 * number and its trimmed text (what aofLoadManifestFromFile prints before exiting).
 */
export class ManifestError extends Error {
    lineNumber;
    line;
    code = 'ERR_AOF_MANIFEST';
    constructor(message, lineNumber = null, line = null) {
        super(message);
        this.lineNumber = lineNumber;
        this.line = line;
    }
}
/** Names with spaces, quotes or unprintable bytes are quoted, as Redis's sdscatrepr. */
function needsQuoting(name) {
    for (let i = 0; i < name.length; i++) {
        const code = name.charCodeAt(i);
        if (code <= 0x20 || code >= 0x7f || code === 0x22 || code === 0x27 || code === 0x5c) {
            return true;
        }
    }
    return false;
}
function quote(name) {
    let out = '"';
    for (let i = 0; i < name.length; i++) {
        const char = name[i];
        const code = name.charCodeAt(i);
        if (char === '\\' || char === '"')
            out += `\\${char}`;
        else if (char === '\n')
            out += '\\n';
        else if (char === '\r')
            out += '\\r';
        else if (char === '\t')
            out += '\\t';
        else if (code < 0x20 || code >= 0x7f)
            out += `\\x${code.toString(16).padStart(2, '0')}`;
        else
            out += char;
    }
    return `${out}"`;
}
/** sdstrim(line, " \t\r\n"). */
function trimLine(line) {
    let start = 0;
    let end = line.length;
    const blank = (char) => char === ' ' || char === '\t' || char === '\r' || char === '\n';
    while (start < end && blank(line[start]))
        start++;
    while (end > start && blank(line[end - 1]))
        end--;
    return line.slice(start, end);
}
/** Splits a manifest line into words: bare words and "quoted" ones, as sdssplitargs. */
function splitWords(line) {
    const words = [];
    let i = 0;
    while (i < line.length) {
        while (i < line.length && (line[i] === ' ' || line[i] === '\t'))
            i++;
        if (i >= line.length)
            break;
        let word = '';
        if (line[i] === '"') {
            i++;
            for (;;) {
                if (i >= line.length)
                    return null;
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
            if (i < line.length && line[i] !== ' ' && line[i] !== '\t')
                return null;
        }
        else {
            while (i < line.length && line[i] !== ' ' && line[i] !== '\t')
                word += line[i++];
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
    base = null;
    history = [];
    incr = [];
    baseSeq = 0;
    incrSeq = 0;
    /**
     * Parses a manifest as aofLoadManifestFromFile reads it: fgets-sized lines (a line without
     * its newline, the last one included, is "too long"), `#` comments, trimmed lines split into
     * key/value pairs. Throws ManifestError with Redis's wording.
     */
    static parse(text) {
        const manifest = new AofManifest();
        if (text.length === 0)
            throw new ManifestError('Found an empty AOF manifest');
        let maxSeq = 0;
        let lineNumber = 0;
        for (let position = 0; position < text.length;) {
            const newline = text.indexOf('\n', position);
            const end = newline !== -1 && newline - position < MANIFEST_MAX_LINE
                ? newline + 1
                : Math.min(text.length, position + MANIFEST_MAX_LINE);
            const raw = text.slice(position, end);
            position = end;
            lineNumber++;
            if (raw.startsWith('#'))
                continue;
            if (!raw.endsWith('\n')) {
                throw new ManifestError('The AOF manifest file contains too long line');
            }
            const line = trimLine(raw);
            const invalid = () => new ManifestError('Invalid AOF manifest file format', lineNumber, line);
            const words = line === '' ? null : splitWords(line);
            if (words === null || words.length < 6 || words.length % 2 !== 0)
                throw invalid();
            let name = null;
            let seq = 0;
            let type = '';
            for (let i = 0; i < words.length; i += 2) {
                const key = words[i].toLowerCase();
                if (key === 'file') {
                    name = words[i + 1];
                    if (name.includes('/')) {
                        throw new ManifestError("File can't be a path, just a filename", lineNumber, line);
                    }
                }
                else if (key === 'seq')
                    seq = Number.parseInt(words[i + 1], 10) || 0;
                else if (key === 'type')
                    type = words[i + 1][0] ?? '';
            }
            if (name === null || seq === 0 || type === '')
                throw invalid();
            const fail = (reason) => new ManifestError(reason, lineNumber, line);
            if (type === 'b') {
                if (manifest.base !== null)
                    throw fail('Found duplicate base file information');
                manifest.base = { name, seq, type };
                manifest.baseSeq = seq;
            }
            else if (type === 'h') {
                manifest.history.push({ name, seq, type });
            }
            else if (type === 'i') {
                if (seq <= maxSeq)
                    throw fail('Found a non-monotonic sequence number');
                manifest.incr.push({ name, seq, type });
                manifest.incrSeq = seq;
                maxSeq = seq;
            }
            else {
                throw fail('Unknown AOF file type');
            }
        }
        return manifest;
    }
    format() {
        let text = '';
        const files = [...(this.base ? [this.base] : []), ...this.history, ...this.incr];
        for (const file of files) {
            const name = needsQuoting(file.name) ? quote(file.name) : file.name;
            text += `file ${name} seq ${file.seq} type ${file.type}\n`;
        }
        return text;
    }
    clone() {
        const copy = new AofManifest();
        copy.base = this.base;
        copy.history = [...this.history];
        copy.incr = [...this.incr];
        copy.baseSeq = this.baseSeq;
        copy.incrSeq = this.incrSeq;
        return copy;
    }
    /** A new base `<filename>.<seq>.base.rdb|aof`; the previous base becomes history. */
    newBase(filename, rdbPreamble) {
        if (this.base !== null)
            this.history.unshift({ ...this.base, type: 'h' });
        this.baseSeq++;
        const base = {
            name: `${filename}.${this.baseSeq}.base.${rdbPreamble ? 'rdb' : 'aof'}`,
            seq: this.baseSeq,
            type: 'b',
        };
        this.base = base;
        return base;
    }
    /** A new increment `<filename>.<seq>.incr.aof` at the end of the list. */
    newIncr(filename) {
        this.incrSeq++;
        const incr = {
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
    incrementsToHistory(keepLast) {
        const kept = keepLast && this.incr.length > 0 ? [this.incr[this.incr.length - 1]] : [];
        const done = keepLast ? this.incr.slice(0, -1) : this.incr;
        for (const file of done.reverse())
            this.history.unshift({ ...file, type: 'h' });
        this.incr = kept;
    }
}
//# sourceMappingURL=manifest.js.map