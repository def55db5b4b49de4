import { formatDouble } from '@rc/resp';
/** Redis's AOF_REWRITE_ITEMS_PER_CMD: elements per RPUSH, SADD, ZADD or HMSET of a rewrite. */
const ITEMS_PER_COMMAND = 64;
/** `#TS:<unix seconds>`, the annotation aof-timestamp-enabled adds (an AOF comment line). */
export function timestampAnnotation(seconds) {
    return `#TS:${seconds}\r\n`;
}
function bulk(text) {
    return `$${Buffer.byteLength(text, 'latin1')}\r\n${text}\r\n`;
}
function commandText(args) {
    let text = `*${args.length}\r\n`;
    for (const arg of args)
        text += bulk(arg);
    return text;
}
const id = (value) => `${value.ms}-${value.seq}`;
/** The items in commands of at most 64, each `prefix` then its share (rewriteListObject...). */
function batched(prefix, items, width) {
    let text = '';
    const perCommand = ITEMS_PER_COMMAND * width;
    for (let start = 0; start < items.length; start += perCommand) {
        text += commandText([...prefix, ...items.slice(start, start + perCommand)]);
    }
    return text;
}
const byName = (a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
/** rewriteStreamObject: entries, XSETID, then groups with their consumers and pending entries. */
function streamCommands(key, stream) {
    let text = '';
    if (stream.entries.length !== 0) {
        for (const entry of stream.entries)
            text += commandText(['XADD', key, id(entry.id), ...entry.fields]);
    }
    else {
        // An empty stream exists: XADD MAXLEN 0 creates it and leaves nothing.
        text += commandText(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
    }
    text += commandText([
        'XSETID',
        key,
        id(stream.lastId),
        'ENTRIESADDED',
        String(stream.entriesAdded),
        'MAXDELETEDID',
        id(stream.maxDeletedId),
    ]);
    // Groups and consumers in Redis's rax order (by name), pending entries by ID.
    for (const group of [...stream.groups].sort(byName)) {
        text += commandText([
            'XGROUP',
            'CREATE',
            key,
            group.name,
            id(group.lastId),
            'ENTRIESREAD',
            group.entriesRead === null ? '-1' : String(group.entriesRead),
        ]);
        for (const consumer of [...group.consumers].sort(byName)) {
            const pending = group.pending.filter((entry) => entry.consumer === consumer.name);
            if (pending.length === 0) {
                text += commandText(['XGROUP', 'CREATECONSUMER', key, group.name, consumer.name]);
                continue;
            }
            for (const entry of pending) {
                text += commandText([
                    'XCLAIM',
                    key,
                    group.name,
                    consumer.name,
                    '0',
                    id(entry.id),
                    'TIME',
                    String(entry.deliveryTime),
                    'RETRYCOUNT',
                    String(entry.deliveryCount),
                    'JUSTID',
                    'FORCE',
                ]);
            }
        }
    }
    return text;
}
/**
 * A base file in AOF format from the records of a point-in-time RDB image, as Redis's
 * rewriteAppendOnlyFileRio writes it when aof-use-rdb-preamble is no: a timestamp annotation
 * (with `timestamp`), FUNCTION LOAD per library, then per database a SELECT and each key's
 * commands followed by its PEXPIREAT. Returned as latin1 text (keys and values are bytes).
 */
export function rdbRecordsToCommands(records, timestamp) {
    let text = timestamp === null ? '' : timestampAnnotation(timestamp);
    let selected = -1;
    for (const record of records) {
        if (record.kind === 'function') {
            text += commandText(['FUNCTION', 'LOAD', record.payload]);
            continue;
        }
        if (record.kind !== 'key')
            continue;
        const { key, value } = record;
        if (record.db !== selected) {
            selected = record.db;
            text += commandText(['SELECT', String(selected)]);
        }
        if (value.type === 'string')
            text += commandText(['SET', key, value.value]);
        else if (value.type === 'list')
            text += batched(['RPUSH', key], value.items, 1);
        else if (value.type === 'set')
            text += batched(['SADD', key], value.members, 1);
        else if (value.type === 'zset') {
            const items = value.entries.flatMap(([member, score]) => [formatDouble(score), member]);
            text += batched(['ZADD', key], items, 2);
        }
        else if (value.type === 'hash') {
            text += batched(['HMSET', key], value.entries.flat(), 2);
        }
        else if (value.type === 'stream') {
            text += streamCommands(key, value.stream);
        }
        else {
            // A value RESTORE kept unread: Redis's rewrite would fail walking it as well.
            throw new Error(`AOF rewrite: the ${value.of} at '${key}' cannot be read (corrupt encoding)`);
        }
        if (record.expireAt !== null) {
            text += commandText(['PEXPIREAT', key, String(record.expireAt)]);
        }
    }
    return text;
}
//# sourceMappingURL=rdb-commands.js.map