import { closeSync, existsSync, fstatSync, fsync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync, writeSync, } from 'node:fs';
import { join } from 'node:path';
import { readRdb } from '@rc/rdb';
import { describeErrno, PropagationEncoder, PropagationTarget, } from '@rc/engine';
import { loadRdbFile, loadRdbFileSync, writeRdbFile, writeRdbFileSync, } from '../persistence/rdb-file.js';
import { StandInChild } from '../stand-in-child.js';
import { beforeReplies } from '../write-batch.js';
import { LoadingClient, replayCommands } from './command-file.js';
import { AofManifest, ManifestError } from './manifest.js';
import { rdbRecordsToCommands, timestampAnnotation } from './rdb-commands.js';
/** A base file in RDB format (an AOF base may also be a file of commands). */
function isRdbBase(bytes) {
    return bytes.subarray(0, 5).toString('latin1') === 'REDIS';
}
/**
 * The AOF could not be loaded: the server must not start (Redis exits with code 1). The lines
 * Redis logs before are logged already; the message is its last one, which the daemon logs.
 */
export class AofLoadError extends Error {
    code = 'ERR_AOF_LOAD';
}
/** Bytes appended per fsync in `everysec` mode are fsynced by libuv's pool, off the loop. */
const EVERYSEC_MS = 1000;
/** How often the auto-rewrite condition and scheduled rewrites are checked (serverCron). */
const CRON_MS = 100;
/**
 * The append-only file as Redis 7.0 lays it out: `<dir>/<appenddirname>/` holding a base
 * (`<appendfilename>.<n>.base.rdb`), increments (`.<n>.incr.aof`) and the manifest listing
 * them. Effective writes are appended once per event-loop turn, before any reply of that turn
 * is sent, and fsynced per `appendfsync`. BGREWRITEAOF needs no fork: writes switch to a new
 * increment at the instant the point-in-time snapshot for the new base begins.
 */
export class AppendOnlyFile {
    engine;
    log;
    state = 'off';
    manifest = null;
    fd = null;
    encoder = new PropagationEncoder(PropagationTarget.Aof);
    listener = (batch) => this.feed(batch);
    unhookReplies = null;
    fsyncTimer = null;
    cronTimer = null;
    unsyncedBytes = 0;
    fsyncInFlight = false;
    rewrite = null;
    rewriteDone = null;
    rewriteScheduled = false;
    lastRewriteSeconds = -1;
    lastRewriteOk = true;
    rewrites = 0;
    consecutiveFailures = 0;
    lastWriteOk = true;
    currentSize = 0;
    baseSize = 0;
    /** Set while applying CONFIG SET appendonly ourselves (startup), to ignore the echo. */
    applyingConfig = false;
    constructor(engine, log) {
        this.engine = engine;
        this.log = log;
        engine.config.onChange('appendonly', (_name, value) => {
            if (this.applyingConfig)
                return;
            if (value === 'yes' && this.state === 'off')
                this.startAppendOnly();
            else if (value !== 'yes' && this.state !== 'off')
                this.stopAppendOnly();
        });
        // Turning the collection back on collects what piled up (updateAofAutoGCEnabled).
        engine.config.onChange('aof-disable-auto-gc', (_name, value) => {
            if (value !== 'yes')
                this.deleteHistoryFiles(this.manifest);
        });
    }
    get config() {
        return this.engine.config;
    }
    get enabled() {
        return this.config.get('appendonly') === 'yes';
    }
    get directory() {
        return join(this.config.get('dir'), this.config.get('appenddirname'));
    }
    get filename() {
        return this.config.get('appendfilename');
    }
    path(name) {
        return join(this.directory, name);
    }
    get manifestPath() {
        return this.path(`${this.filename}.manifest`);
    }
    get waitingFirstRewrite() {
        return this.state === 'wait-rewrite';
    }
    get rewriteInProgress() {
        return this.rewrite !== null;
    }
    // Startup
    /**
     * With `appendonly yes`, loads the base and increments listed in the manifest (Redis 7.0
     * then ignores dump.rdb, even when there is no AOF yet) and opens the last increment for
     * appending. True when the AOF was the source of the data. Throws AofLoadError when the
     * files are unusable, so the server does not start with a partial dataset.
     */
    async loadAtStartup() {
        if (!this.enabled)
            return false;
        const manifest = existsSync(this.manifestPath) ? this.readManifest() : new AofManifest();
        this.upgradeOldStyleFile(manifest);
        this.manifest = manifest;
        const loaded = await this.loadFiles(manifest);
        this.openOnStart(manifest);
        this.state = 'on';
        this.attach();
        return loaded;
    }
    /** Starts the background fsync and the rewrite clock. */
    start() {
        this.cronTimer = setInterval(() => this.cron(), CRON_MS);
        this.cronTimer.unref();
    }
    /** aofLoadManifestFromFile: a bad manifest is logged as Redis logs it, then fatal. */
    readManifest() {
        let text;
        try {
            text = readFileSync(this.manifestPath, 'latin1');
        }
        catch (error) {
            throw new AofLoadError(`Fatal error: can't open the AOF manifest file ${this.manifestPath} for reading: ${describeErrno(error)}`);
        }
        try {
            return AofManifest.parse(text);
        }
        catch (error) {
            if (!(error instanceof ManifestError))
                throw error;
            this.log('warning', '\n*** FATAL AOF MANIFEST FILE ERROR ***\n');
            if (error.line !== null) {
                this.log('warning', `Reading the manifest file, at line ${error.lineNumber}\n`);
                this.log('warning', `>>> '${error.line}'\n`);
            }
            throw new AofLoadError(`${error.message}\n`);
        }
    }
    /**
     * An `appendonly.aof` in dir from before 7.0 moves into the AOF directory as the base, when
     * loadAppendOnlyFiles would: no AOF directory, a manifest listing nothing, or one listing only
     * that base while the AOF directory lacks it (an upgrade interrupted before the rename).
     */
    upgradeOldStyleFile(manifest) {
        const old = join(this.config.get('dir'), this.filename);
        if (!existsSync(old))
            return;
        const upgrade = !existsSync(this.directory) ||
            (manifest.base === null && manifest.incr.length === 0) ||
            (manifest.base !== null &&
                manifest.incr.length === 0 &&
                manifest.base.name === this.filename &&
                !existsSync(this.path(this.filename)));
        if (!upgrade)
            return;
        mkdirSync(this.directory, { recursive: true });
        manifest.base = { name: this.filename, seq: 1, type: 'b' };
        manifest.baseSeq = 1;
        this.persistManifest(manifest);
        renameSync(old, this.path(this.filename));
        this.log('notice', `Successfully migrated an old-style AOF file (${this.filename}) into the AOF directory (${this.config.get('appenddirname')}).`);
    }
    /**
     * The manifest's files, base first, once each is known to exist (getAppendOnlyFileSize);
     * empty when they are all empty.
     */
    filesToLoad(manifest) {
        const files = [...(manifest.base ? [manifest.base] : []), ...manifest.incr];
        let total = 0;
        for (const file of files) {
            try {
                total += statSync(this.path(file.name)).size;
            }
            catch (error) {
                throw new AofLoadError(`Unable to obtain the AOF file ${file.name} length. stat: ${describeErrno(error)}`);
            }
        }
        return total === 0 ? [] : files;
    }
    async loadFiles(manifest) {
        if (manifest.base === null && manifest.incr.length === 0)
            return false;
        await this.loadListed(manifest, async (path, progress) => loadRdbFile(this.engine, path, progress, { aofBase: true }));
        return true;
    }
    /**
     * DEBUG LOADAOF, once the databases are empty: the manifest on disk and the files it lists
     * (Redis's aofLoadManifestFromDisk and loadAppendOnlyFiles). Resolves to null when loaded,
     * else why not: no AOF at all is a failure, as in Redis.
     */
    async loadNow() {
        try {
            if (!existsSync(this.manifestPath))
                return `AOF manifest ${this.manifestPath} does not exist`;
            // As Redis, the manifest on disk replaces the one in memory, and its history goes.
            const manifest = this.readManifest();
            this.manifest = manifest;
            this.deleteHistoryFiles(manifest);
            if (manifest.base === null && manifest.incr.length === 0)
                return 'no AOF files';
            // The RDB base loads at once, replacing what is there (Redis's RDBFLAGS_ALLOW_DUP).
            await this.loadListed(manifest, (path) => loadRdbFileSync(this.engine, path, { aofBase: true, allowDuplicates: true }));
            return null;
        }
        catch (error) {
            return error.message;
        }
    }
    /**
     * Loads the base and increments the manifest lists, in order: an RDB part with `loadRdb`,
     * then the commands (of an increment, or after an old-style file's RDB preamble).
     */
    async loadListed(manifest, loadRdb) {
        const started = Date.now();
        const files = this.filesToLoad(manifest);
        const loading = this.beginLoading();
        let previousFiles = 0;
        try {
            for (let index = 0; index < files.length; index++) {
                const file = files[index];
                const fileStarted = Date.now();
                const bytes = readFileSync(this.path(file.name));
                const progress = (read) => {
                    this.loadedBytes = previousFiles + read;
                };
                previousFiles += bytes.length;
                if (bytes.length === 0)
                    continue;
                let commands = bytes;
                if (isRdbBase(bytes)) {
                    this.logReadingRdb(file);
                    let result;
                    try {
                        result = await loadRdb(this.path(file.name), progress);
                    }
                    catch (error) {
                        throw this.rdbLoadError(file, error);
                    }
                    commands = this.tailAfterRdb(file, result);
                }
                const offset = bytes.length - commands.length;
                await this.replayFile(file, commands, offset, loading, index, files, progress);
                this.logFileLoaded(file, fileStarted);
            }
        }
        finally {
            this.endLoading(loading);
            this.loadedBytes = 0;
        }
        this.loaded(manifest, started);
    }
    /**
     * Replay runs as Redis's loading does: nothing propagated, and keys past their time stay
     * until the load is over (keyIsExpired is false while loading).
     */
    beginLoading() {
        this.loadingBefore = this.engine.loading;
        this.engine.loading = true;
        this.engine.propagation.suspend();
        return new LoadingClient(this.engine);
    }
    loadingBefore = false;
    /** Bytes of the AOF's files loaded so far by the load in progress (0 when none). */
    loadedBytes = 0;
    endLoading(loading) {
        this.engine.disconnect(loading.client);
        this.engine.propagation.resume();
        this.engine.loading = this.loadingBefore;
    }
    /** An RDB-format file: a 7.0 base, or the preamble of an old-style file named as the AOF. */
    logReadingRdb(file) {
        const oldStyle = file.name === this.filename;
        this.log('notice', oldStyle
            ? 'Reading RDB preamble from AOF file...'
            : 'Reading RDB base file on AOF loading...');
    }
    /** The commands after an RDB part (an old-style preamble's tail); Redis reads them too. */
    tailAfterRdb(file, result) {
        this.log('notice', `Done loading RDB, keys loaded: ${result.keys}, keys expired: ${result.expiredSkipped}.`);
        if (file.name === this.filename)
            this.log('notice', 'Reading the remaining AOF tail...');
        return result.remainder;
    }
    logFileLoaded(file, started) {
        const seconds = ((Date.now() - started) / 1000).toFixed(3);
        const kind = file.type === 'b' ? 'base' : 'incr';
        this.log('notice', `DB loaded from ${kind} file ${file.name}: ${seconds} seconds`);
    }
    loaded(manifest, started) {
        const files = [...(manifest.base ? [manifest.base] : []), ...manifest.incr];
        this.currentSize = files.reduce((sum, file) => sum + statSync(this.path(file.name)).size, 0);
        this.baseSize = manifest.base ? statSync(this.path(manifest.base.name)).size : 0;
        const seconds = ((Date.now() - started) / 1000).toFixed(3);
        this.log('notice', `DB loaded from append only file: ${seconds} seconds`);
    }
    /** An RDB part that does not load aborts the whole load. */
    rdbLoadError(file, error) {
        this.log('warning', `Short read or OOM loading DB: ${error.message}`);
        return new AofLoadError(file.name === this.filename
            ? `Error reading the RDB preamble of the AOF file ${file.name}, AOF loading aborted`
            : `Error reading the RDB base file ${file.name}, AOF loading aborted`);
    }
    /**
     * Replays a file of commands (`offset` bytes into the file, after an RDB part) as
     * loadSingleAppendOnlyFile: a truncated file is cut at its last complete command with
     * aof-load-truncated, which only the last file may need.
     */
    async replayFile(file, bytes, offset, loading, index, files, progress) {
        if (bytes.length === 0)
            return;
        const outcome = await replayCommands(this.engine, loading, bytes, (replayed) => progress(offset + replayed));
        if (outcome.kind === 'ok')
            return;
        if (outcome.kind === 'unknown-command') {
            throw new AofLoadError(`Unknown command '${outcome.name}' reading the append only file ${file.name}`);
        }
        if (outcome.kind === 'format-error') {
            throw new AofLoadError(`Bad file format reading the append only file ${file.name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`);
        }
        if (outcome.unfinishedMulti) {
            this.log('warning', `Revert incomplete MULTI/EXEC transaction in AOF file ${file.name}`);
        }
        if (this.config.get('aof-load-truncated') !== 'yes') {
            throw new AofLoadError(`Unexpected end of file reading the append only file ${file.name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`);
        }
        const validBytes = offset + outcome.validBytes;
        this.log('warning', `!!! Warning: short read while loading the AOF file ${file.name}!!!`);
        this.log('warning', `!!! Truncating the AOF ${file.name} at offset ${validBytes} !!!`);
        truncateSync(this.path(file.name), validBytes);
        this.log('warning', `AOF ${file.name} loaded anyway because aof-load-truncated is enabled`);
        if (index !== files.length - 1) {
            throw new AofLoadError('Fatal error: the truncated file is not the last file');
        }
    }
    /**
     * As aofOpenIfNeededOnServerStart: an empty start gets a base from the (empty) dataset, the
     * last increment (or a new one) is opened for appending, and the manifest is written.
     */
    openOnStart(manifest) {
        mkdirSync(this.directory, { recursive: true });
        if (manifest.base === null && manifest.incr.length === 0) {
            const base = manifest.newBase(this.filename, this.rdbPreamble);
            writeRdbFileSync(this.engine, this.path(base.name));
            if (!this.rdbPreamble)
                this.rdbToCommandFile(this.path(base.name));
            this.log('notice', `Creating AOF base file ${base.name} on server start`);
        }
        const existing = manifest.incr.length !== 0;
        const incr = existing
            ? manifest.incr[manifest.incr.length - 1]
            : manifest.newIncr(this.filename);
        this.fd = openSync(this.path(incr.name), 'a');
        this.persistManifest(manifest);
        this.log('notice', `${existing ? 'Opening' : 'Creating'} AOF incr file ${incr.name} on server start`);
    }
    // Appending
    attach() {
        this.engine.propagation.addListener(this.listener);
        this.unhookReplies = beforeReplies(() => this.flush());
        this.fsyncTimer = setInterval(() => this.backgroundFsync(), EVERYSEC_MS);
        this.fsyncTimer.unref();
    }
    detach() {
        this.engine.propagation.removeListener(this.listener);
        this.unhookReplies?.();
        this.unhookReplies = null;
        if (this.fsyncTimer)
            clearInterval(this.fsyncTimer);
        this.fsyncTimer = null;
    }
    feed(batch) {
        const rewrite = this.rewrite;
        // The rewrite's snapshot has begun: what comes next is not in the new base, so it goes to
        // the new increment, and what came before stays in the old one.
        if (rewrite !== null &&
            !rewrite.switched &&
            this.engine.snapshotsStarted > rewrite.snapshotMark) {
            this.switchToNextIncrement(rewrite);
        }
        if (this.config.get('aof-timestamp-enabled') === 'yes')
            this.annotateTime();
        this.encoder.append(batch);
        // Writes from timers (active expiry) have no reply to ride on: flush them next turn.
        if (!this.flushScheduled) {
            this.flushScheduled = true;
            setImmediate(this.scheduledFlush);
        }
    }
    /** Seconds of the last `#TS:` annotation (Redis's aof_cur_timestamp). */
    annotatedSecond = 0;
    /** What was encoded before the last annotation, and the annotation, not yet written. */
    annotated = [];
    /** genAofTimestampAnnotationIfNeeded: a `#TS:` line before the first write of a second. */
    annotateTime() {
        const now = Math.floor(Date.now() / 1000);
        if (this.annotatedSecond >= now)
            return;
        this.annotatedSecond = now;
        this.annotated.push(this.encoder.take(), Buffer.from(timestampAnnotation(now), 'latin1'));
    }
    /** Everything appended and not written yet. */
    takePending() {
        if (this.annotated.length === 0)
            return this.encoder.take();
        const bytes = Buffer.concat([...this.annotated, this.encoder.take()]);
        this.annotated = [];
        return bytes;
    }
    get pendingLength() {
        let length = this.encoder.length;
        for (const chunk of this.annotated)
            length += chunk.length;
        return length;
    }
    flushScheduled = false;
    scheduledFlush = () => {
        this.flushScheduled = false;
        this.flush();
    };
    switchToNextIncrement(rewrite) {
        rewrite.switched = true;
        if (rewrite.nextFd === null)
            return;
        // Collected while waiting for the first rewrite: all of it is in the new base.
        if (this.fd === null)
            this.takePending();
        this.flush();
        if (this.fd !== null) {
            try {
                fsyncSync(this.fd);
            }
            catch {
                // The old increment's tail is also in the new base.
            }
            closeSync(this.fd);
        }
        this.fd = rewrite.nextFd;
        // A new file starts without a selected database.
        this.encoder.reset();
    }
    /** Writes what this turn appended; with `always`, fsyncs before any reply goes out. */
    flush() {
        if (this.pendingLength === 0 || this.fd === null)
            return;
        const bytes = this.takePending();
        try {
            for (let offset = 0; offset < bytes.length;) {
                offset += writeSync(this.fd, bytes, offset);
            }
            this.lastWriteOk = true;
        }
        catch (error) {
            if (this.lastWriteOk) {
                this.log('warning', `Error writing to the AOF file: ${error.message}`);
            }
            this.lastWriteOk = false;
            return;
        }
        this.currentSize += bytes.length;
        const policy = this.config.get('appendfsync');
        if (policy === 'always') {
            try {
                fsyncSync(this.fd);
            }
            catch (error) {
                // Redis exits here: an acknowledged write that is not durable breaks the contract.
                this.log('warning', `Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${error.message}. Exiting...`);
                process.exit(1);
            }
        }
        else if (policy === 'everysec') {
            this.unsyncedBytes += bytes.length;
        }
    }
    backgroundFsync() {
        if (this.unsyncedBytes === 0 || this.fsyncInFlight || this.fd === null)
            return;
        if (this.config.get('appendfsync') !== 'everysec') {
            this.unsyncedBytes = 0;
            return;
        }
        this.unsyncedBytes = 0;
        this.fsyncInFlight = true;
        fsync(this.fd, (error) => {
            this.fsyncInFlight = false;
            if (error)
                this.log('warning', `AOF fsync failed: ${error.message}`);
        });
    }
    // Rewriting
    bgrewriteaof(inTransaction) {
        if (this.rewrite !== null) {
            return { error: 'ERR Background append only file rewriting already in progress' };
        }
        if (this.childActive || inTransaction) {
            this.rewriteScheduled = true;
            this.consecutiveFailures = 0;
            return { status: 'Background append only file rewriting scheduled' };
        }
        if (!this.startRewrite()) {
            return {
                error: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
            };
        }
        return { status: 'Background append only file rewriting started' };
    }
    /**
     * rewriteAppendOnlyFileBackground without fork: flush, open the next increment and list it
     * in the manifest, then write the new base from a point-in-time snapshot; writes move to
     * the new increment when the snapshot starts.
     */
    startRewrite() {
        if (this.rewrite !== null || this.childActive)
            return false;
        try {
            mkdirSync(this.directory, { recursive: true });
        }
        catch (error) {
            this.log('warning', `Can't open or create append-only dir ${this.directory}: ${error.message}`);
            this.lastRewriteOk = false;
            return false;
        }
        this.flush();
        let nextFd = null;
        let nextIncr = null;
        let temporaryIncr = null;
        const manifest = (this.manifest ?? this.loadManifestOrEmpty()).clone();
        try {
            if (this.state === 'on') {
                nextIncr = manifest.newIncr(this.filename);
                nextFd = openSync(this.path(nextIncr.name), 'a');
                this.persistManifest(manifest);
                this.manifest = manifest;
            }
            else if (this.state === 'wait-rewrite') {
                temporaryIncr = `temp-${this.filename}.incr`;
                nextFd = openSync(this.path(temporaryIncr), 'w');
            }
            const opened = nextIncr?.name ?? temporaryIncr;
            if (opened !== null) {
                this.log('notice', `Creating AOF incr file ${opened} on background rewrite`);
            }
        }
        catch (error) {
            if (nextFd !== null)
                closeSync(nextFd);
            this.log('warning', `Can't open the append-only file: ${error.message}`);
            this.lastRewriteOk = false;
            return false;
        }
        this.rewrites++;
        this.engine.stats.forks++;
        const rewrite = {
            startedAt: Date.now(),
            snapshotMark: this.engine.snapshotsStarted,
            nextFd,
            nextIncr,
            temporaryIncr,
            switched: false,
            cancelled: false,
            child: new StandInChild(),
            killedBy: null,
        };
        this.rewrite = rewrite;
        this.rewriteScheduled = false;
        const pid = rewrite.child.pid;
        const temporaryBase = this.path(`temp-rewriteaof-bg-${pid}.aof`);
        this.log('notice', `Background append only file rewriting started by pid ${pid}`);
        // Killing the child (kill -9 <pid>, as the suite does) fails the rewrite, as in Redis.
        rewrite.child.onKilled((signal) => {
            rewrite.killedBy = signal;
        });
        this.rewriteDone = writeRdbFile(this.engine, temporaryBase, {
            aofBase: true,
            signal: rewrite.child.signal,
        }).then(() => this.rewriteFinished(rewrite, temporaryBase, null), (error) => this.rewriteFinished(rewrite, temporaryBase, error));
        return true;
    }
    /**
     * hasActiveChildProcess: a background save or rewrite runs (its stand-in child lives), or a
     * snapshot for a replica is being taken.
     */
    get childActive() {
        return StandInChild.active !== 0 || this.engine.snapshotInProgress;
    }
    /** aof-use-rdb-preamble: a new base is an RDB file, or a file of commands. */
    get rdbPreamble() {
        return this.config.get('aof-use-rdb-preamble') === 'yes';
    }
    /**
     * Rewrites an RDB image as the commands that rebuild it (a base without RDB preamble), in
     * place: the image is the rewrite's point-in-time snapshot, so the commands are too.
     */
    rdbToCommandFile(path) {
        const timestamp = this.config.get('aof-timestamp-enabled') === 'yes' ? Math.floor(Date.now() / 1000) : null;
        const text = rdbRecordsToCommands(readRdb(readFileSync(path)), timestamp);
        const temporary = `${path}.commands`;
        const fd = openSync(temporary, 'w');
        try {
            writeSync(fd, Buffer.from(text, 'latin1'));
            fsyncSync(fd);
        }
        finally {
            closeSync(fd);
        }
        renameSync(temporary, path);
    }
    loadManifestOrEmpty() {
        if (!existsSync(this.manifestPath))
            return new AofManifest();
        try {
            return AofManifest.parse(readFileSync(this.manifestPath, 'latin1'));
        }
        catch {
            return new AofManifest();
        }
    }
    /** Drops a failed or cancelled rewrite's files; a failure (with `reason`) is counted. */
    abandonRewrite(rewrite, temporaryBase, reason) {
        if (reason !== null) {
            this.log('warning', reason);
            this.lastRewriteOk = false;
            this.consecutiveFailures++;
        }
        this.removeQuietly(temporaryBase);
        this.abandonTemporaryIncrement(rewrite);
        if (this.state === 'wait-rewrite')
            this.rewriteScheduled = true;
    }
    /** As backgroundRewriteDoneHandler: install the base, retire old files, update the state. */
    rewriteFinished(rewrite, temporaryBase, error) {
        // Nothing was written after the snapshot began? Then switching now is the same instant.
        if (!rewrite.switched && !rewrite.cancelled)
            this.switchToNextIncrement(rewrite);
        this.rewrite = null;
        this.rewriteDone = null;
        rewrite.child.release();
        this.lastRewriteSeconds = Math.round((Date.now() - rewrite.startedAt) / 1000);
        if (rewrite.killedBy !== null && !rewrite.cancelled) {
            this.abandonRewrite(rewrite, temporaryBase, `Background AOF rewrite terminated by signal ${rewrite.killedBy}`);
            return;
        }
        if (error !== null || rewrite.cancelled) {
            // A rewrite cancelled by turning AOF off was killed on purpose: not a failure.
            const reason = error === null || rewrite.cancelled
                ? null
                : `Background AOF rewrite terminated with error: ${error.message}`;
            this.abandonRewrite(rewrite, temporaryBase, reason);
            return;
        }
        this.log('notice', 'Background AOF rewrite terminated with success');
        try {
            this.installRewrite(rewrite, temporaryBase);
        }
        catch (failure) {
            const reason = `Error installing the rewritten AOF: ${failure.message}`;
            this.abandonRewrite(rewrite, temporaryBase, reason);
            return;
        }
        this.lastRewriteOk = true;
        this.consecutiveFailures = 0;
        this.log('notice', 'Background AOF rewrite finished successfully');
    }
    installRewrite(rewrite, temporaryBase) {
        const manifest = (this.manifest ?? this.loadManifestOrEmpty()).clone();
        const base = manifest.newBase(this.filename, this.rdbPreamble);
        const basePath = this.path(base.name);
        if (!this.rdbPreamble)
            this.rdbToCommandFile(temporaryBase);
        renameSync(temporaryBase, basePath);
        this.log('notice', `Successfully renamed the temporary AOF base file ${temporaryBase} into ${base.name}`);
        if (rewrite.temporaryIncr !== null) {
            const incr = manifest.newIncr(this.filename);
            renameSync(this.path(rewrite.temporaryIncr), this.path(incr.name));
            this.log('notice', `Successfully renamed the temporary AOF incr file ${rewrite.temporaryIncr} into ${incr.name}`);
        }
        manifest.incrementsToHistory(this.fd !== null);
        this.persistManifest(manifest);
        this.manifest = manifest;
        if (this.state === 'wait-rewrite')
            this.state = 'on';
        this.baseSize = statSync(basePath).size;
        this.currentSize = this.baseSize + (this.fd !== null ? fstatSync(this.fd).size : 0);
        this.deleteHistoryFiles(manifest);
    }
    /** aofDelHistoryFiles: history files are deleted, then the manifest forgets them. */
    deleteHistoryFiles(manifest) {
        if (manifest === null || manifest.history.length === 0)
            return;
        if (this.config.get('aof-disable-auto-gc') === 'yes')
            return;
        for (const file of manifest.history) {
            this.log('notice', `Removing the history file ${file.name} in the background`);
            this.removeQuietly(this.path(file.name));
        }
        manifest.history = [];
        this.persistManifest(manifest);
    }
    abandonTemporaryIncrement(rewrite) {
        if (rewrite.temporaryIncr === null)
            return;
        if (this.fd !== null && this.fd === rewrite.nextFd && this.state === 'wait-rewrite') {
            closeSync(this.fd);
            this.fd = null;
            this.takePending();
            this.encoder.reset();
        }
        // aofDelTempIncrAofFile, for the next try (only while still waiting for the first rewrite).
        if (this.state === 'wait-rewrite') {
            this.log('notice', `Removing the temp incr aof file ${rewrite.temporaryIncr} in the background`);
        }
        this.removeQuietly(this.path(rewrite.temporaryIncr));
    }
    removeQuietly(path) {
        try {
            unlinkSync(path);
        }
        catch {
            // Already gone.
        }
    }
    /** Writes the manifest atomically: a temporary file, fsync, rename, directory fsync. */
    persistManifest(manifest) {
        const temporary = this.path(`temp-${this.filename}.manifest`);
        const fd = openSync(temporary, 'w');
        try {
            writeSync(fd, Buffer.from(manifest.format(), 'latin1'));
            fsyncSync(fd);
        }
        finally {
            closeSync(fd);
        }
        renameSync(temporary, this.manifestPath);
        try {
            const directory = openSync(this.directory, 'r');
            fsyncSync(directory);
            closeSync(directory);
        }
        catch {
            // Some filesystems refuse fsync on directories; the rename is still atomic.
        }
    }
    // CONFIG SET appendonly
    /** startAppendOnly: writes are collected from now on and a rewrite creates the files. */
    startAppendOnly() {
        this.state = 'wait-rewrite';
        this.encoder = new PropagationEncoder(PropagationTarget.Aof);
        this.annotated = [];
        this.attach();
        if (this.rewrite === null && this.childActive) {
            this.rewriteScheduled = true;
            this.log('warning', 'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
            return;
        }
        if (this.engine.inExec) {
            this.rewriteScheduled = true;
            this.log('warning', 'AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
            return;
        }
        if (this.rewrite !== null) {
            this.rewriteScheduled = true;
            return;
        }
        if (!this.startRewrite())
            this.rewriteScheduled = true;
    }
    /** stopAppendOnly: flush, fsync and close; a running rewrite's result is discarded. */
    stopAppendOnly() {
        this.closeIncrement();
        const rewrite = this.rewrite;
        if (rewrite !== null) {
            rewrite.cancelled = true;
            if (!rewrite.switched && rewrite.nextFd !== null)
                closeSync(rewrite.nextFd);
            rewrite.switched = true;
            // As Redis's killAppendOnlyChild: the rewrite stops now, and its files go.
            this.log('notice', `Killing running AOF rewrite child: ${rewrite.child.pid}`);
            rewrite.child.kill();
        }
        this.state = 'off';
        this.rewriteScheduled = false;
    }
    cron() {
        // Redis's serverCron does not run while a file loads.
        if (this.engine.loading || this.rewrite !== null || this.childActive)
            return;
        if (this.rewriteScheduled) {
            if (!this.rewriteLimited())
                this.startRewrite();
            return;
        }
        if (this.state !== 'on')
            return;
        const percentage = this.config.getNumber('auto-aof-rewrite-percentage');
        const minimum = this.config.getNumber('auto-aof-rewrite-min-size');
        if (percentage <= 0 || this.currentSize <= minimum)
            return;
        const base = this.baseSize === 0 ? 1 : this.baseSize;
        const growth = Math.floor((this.currentSize * 100) / base) - 100;
        if (growth >= percentage && !this.rewriteLimited()) {
            this.log('notice', `Starting automatic rewriting of AOF on ${growth}% growth`);
            this.startRewrite();
        }
    }
    /** Minutes the next automatic rewrite waits after repeated failures, and until when. */
    limitDelayMinutes = 0;
    limitUntil = 0;
    /**
     * aofRewriteLimited: after 3 consecutive failures automatic rewrites wait 1 minute, then
     * 2, 4... up to an hour (BGREWRITEAOF still runs at once), so failing rewrites do not open
     * increment after increment.
     */
    rewriteLimited() {
        if (this.consecutiveFailures < 3) {
            this.limitDelayMinutes = 0;
            this.limitUntil = 0;
            return false;
        }
        const now = Math.floor(Date.now() / 1000);
        if (this.limitUntil !== 0) {
            if (now < this.limitUntil)
                return true;
            this.limitUntil = 0;
            return false;
        }
        this.limitDelayMinutes = Math.min(60, this.limitDelayMinutes === 0 ? 1 : this.limitDelayMinutes * 2);
        this.limitUntil = now + this.limitDelayMinutes * 60;
        this.log('warning', `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.limitDelayMinutes} minutes`);
        return true;
    }
    /** Flushes, fsyncs and closes; waits for a running rewrite to finish first. */
    async close() {
        if (this.cronTimer)
            clearInterval(this.cronTimer);
        this.cronTimer = null;
        await this.rewriteDone;
        this.closeIncrement();
    }
    /** Stops appending: what is buffered is written, fsynced and the file closed. */
    closeIncrement() {
        this.flush();
        this.detach();
        if (this.fd === null)
            return;
        try {
            fsyncSync(this.fd);
        }
        catch {
            // Nothing more can be done for a file we stop using.
        }
        closeSync(this.fd);
        this.fd = null;
    }
    /** INFO persistence's aof_* fields, in Redis 7.0's order. */
    infoFields() {
        const rewriting = this.rewrite;
        const fields = [
            ['aof_enabled', this.state !== 'off' ? 1 : 0],
            ['aof_rewrite_in_progress', rewriting !== null ? 1 : 0],
            ['aof_rewrite_scheduled', this.rewriteScheduled ? 1 : 0],
            ['aof_last_rewrite_time_sec', this.lastRewriteSeconds],
            [
                'aof_current_rewrite_time_sec',
                rewriting !== null ? Math.round((Date.now() - rewriting.startedAt) / 1000) : -1,
            ],
            ['aof_last_bgrewrite_status', this.lastRewriteOk ? 'ok' : 'err'],
            ['aof_rewrites', this.rewrites],
            ['aof_rewrites_consecutive_failures', this.consecutiveFailures],
            ['aof_last_write_status', this.lastWriteOk ? 'ok' : 'err'],
            ['aof_last_cow_size', 0],
        ];
        return fields;
    }
    /** CONFIG RESETSTAT. */
    resetStats() {
        this.rewrites = 0;
        this.consecutiveFailures = 0;
    }
    /** The fields Redis adds while AOF is on, after module_fork_*. */
    sizeFields() {
        if (this.state === 'off')
            return [];
        return [
            ['aof_current_size', this.currentSize],
            ['aof_base_size', this.baseSize],
            ['aof_pending_rewrite', this.rewriteScheduled ? 1 : 0],
            ['aof_buffer_length', this.pendingLength],
            ['aof_pending_bio_fsync', this.fsyncInFlight ? 1 : 0],
            ['aof_delayed_fsync', 0],
        ];
    }
}
//# sourceMappingURL=append-only-file.js.map