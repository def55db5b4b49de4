import { type Client, type Engine } from '@rc/engine';
/** How replaying one file of commands ended. */
export type ReplayOutcome = {
    readonly kind: 'ok';
    readonly commands: number;
} | {
    readonly kind: 'truncated';
    readonly commands: number;
    readonly validBytes: number;
    /** The file ended cleanly inside MULTI (Redis reverts the transaction, as a short read). */
    readonly unfinishedMulti: boolean;
} | {
    readonly kind: 'format-error';
    readonly offset: number;
} | {
    readonly kind: 'unknown-command';
    readonly name: string;
};
/**
 * The fake client AOF commands run as (Redis's createAOFClient): no replies kept. A command
 * of its that pauses (a script past busy-reply-threshold, which then runs in slices) ends
 * when the engine resumes its connection, which the replay waits for.
 */
export declare class LoadingClient {
    private readonly engine;
    readonly client: Client;
    private resumed;
    constructor(engine: Engine);
    /** Runs one command: null once it ended, or the end of its pause to wait for. */
    execute(argv: string[]): Promise<void> | null;
}
/**
 * Replays AOF commands (RESP multibulks, `#` annotation lines skipped) through the engine as
 * Redis's loadSingleAppendOnlyFile does: MULTI/EXEC are honoured, and a file that ends in the
 * middle of a command or of a transaction reports the offset of the last complete one (before
 * the unfinished MULTI) so the caller can truncate there. Every 1024 commands (after telling
 * `progress` how far it got), and while a command is paused, the event loop serves the other
 * clients (LOADING replies), as Redis's processEventsWhileBlocked.
 */
export declare function replayCommands(engine: Engine, loading: LoadingClient, bytes: Buffer, progress?: (replayedBytes: number) => void): Promise<ReplayOutcome>;
//# sourceMappingURL=command-file.d.ts.map