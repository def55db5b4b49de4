import { setImmediate as nextTurn } from 'node:timers/promises';
import { BLOCKED, detachedConnection } from '@rc/engine';
const LF = 0x0a;
/** Commands replayed between two turns of the event loop (Redis's loadSingleAppendOnlyFile). */
const COMMANDS_PER_TURN = 1024;
/**
 * The fake client AOF commands run as (Redis's createAOFClient): no replies kept. A command
 * of its that pauses (a script past busy-reply-threshold, which then runs in slices) ends
 * when the engine resumes its connection, which the replay waits for.
 */
export class LoadingClient {
    engine;
    client;
    resumed = null;
    constructor(engine) {
        this.engine = engine;
        const connection = {
            ...detachedConnection(),
            resume: () => {
                const resumed = this.resumed;
                this.resumed = null;
                resumed?.();
            },
        };
        this.client = engine.connect(connection);
        this.client.authenticated = true;
        this.client.user = null;
        this.client.obeysAll = true;
    }
    /** Runs one command: null once it ended, or the end of its pause to wait for. */
    execute(argv) {
        const result = this.engine.execute(this.client, argv);
        this.client.out.take();
        if (result !== BLOCKED)
            return null;
        return new Promise((resolve) => (this.resumed = resolve));
    }
}
/**
 * Replays AOF commands (RESP multibulks, `#` annotation lines skipped) through the engine as
 * Redis's loadSingleAppendOnlyFile does: MULTI/EXEC are honoured, and a file that ends in the
 * middle of a command or of a transaction reports the offset of the last complete one (before
 * the unfinished MULTI) so the caller can truncate there. Every 1024 commands (after telling
 * `progress` how far it got), and while a command is paused, the event loop serves the other
 * clients (LOADING replies), as Redis's processEventsWhileBlocked.
 */
export async function replayCommands(engine, loading, bytes, progress) {
    const client = loading.client;
    let offset = 0;
    let validUpTo = 0;
    let validBeforeMulti = 0;
    let commands = 0;
    const length = bytes.length;
    const lineEnd = (from) => {
        const index = bytes.indexOf(LF, from);
        return index === -1 ? -1 : index;
    };
    while (offset < length) {
        if (bytes[offset] === 0x23 /* # */) {
            const end = lineEnd(offset);
            if (end === -1)
                break;
            offset = end + 1;
            validUpTo = offset;
            continue;
        }
        if (bytes[offset] !== 0x2a /* * */)
            return { kind: 'format-error', offset };
        const headerEnd = lineEnd(offset);
        if (headerEnd === -1)
            return truncated(commands, client, validUpTo, validBeforeMulti);
        const argc = Number.parseInt(bytes.toString('latin1', offset + 1, headerEnd), 10);
        if (!(argc >= 1))
            return { kind: 'format-error', offset };
        let position = headerEnd + 1;
        const argv = new Array(argc);
        for (let j = 0; j < argc; j++) {
            if (position >= length)
                return truncated(commands, client, validUpTo, validBeforeMulti);
            if (bytes[position] !== 0x24 /* $ */)
                return { kind: 'format-error', offset: position };
            const end = lineEnd(position);
            if (end === -1)
                return truncated(commands, client, validUpTo, validBeforeMulti);
            const size = Number.parseInt(bytes.toString('latin1', position + 1, end), 10);
            if (!(size >= 0))
                return { kind: 'format-error', offset: position };
            const start = end + 1;
            if (start + size + 2 > length)
                return truncated(commands, client, validUpTo, validBeforeMulti);
            argv[j] = bytes.toString('latin1', start, start + size);
            position = start + size + 2;
        }
        const name = argv[0].toLowerCase();
        const entry = engine.commands.lookup(name);
        if (entry === undefined)
            return { kind: 'unknown-command', name: argv[0] };
        if (name === 'multi')
            validBeforeMulti = validUpTo;
        if (commands % COMMANDS_PER_TURN === 0) {
            progress?.(offset);
            await nextTurn();
        }
        const paused = loading.execute(argv);
        if (paused !== null)
            await paused;
        commands++;
        offset = position;
        validUpTo = position;
    }
    if (client.transaction !== null) {
        return truncated(commands, client, validUpTo, validBeforeMulti, true);
    }
    return { kind: 'ok', commands };
}
function truncated(commands, client, validUpTo, validBeforeMulti, unfinishedMulti = false) {
    // An unfinished transaction is dropped whole: Redis reverts to before its MULTI.
    const inTransaction = client.transaction !== null;
    client.transaction = null;
    client.transactionFailed = false;
    return {
        kind: 'truncated',
        commands,
        validBytes: inTransaction ? validBeforeMulti : validUpTo,
        unfinishedMulti,
    };
}
//# sourceMappingURL=command-file.js.map