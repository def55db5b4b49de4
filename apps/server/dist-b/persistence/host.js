import { existsSync, rmSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { RdbError } from '@rc/rdb';
import { describeErrno, parseSavePoints, DuplicateKeyError, } from '@rc/engine';
import { StandInChild } from '../stand-in-child.js';
import { loadRdbFile, loadRdbFileSync, temporaryRdbPath, writeRdbFile, writeRdbFileSync, } from './rdb-file.js';
/** INFO's aof_* fields while no AOF module is attached. */
const AOF_OFF = [
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
];
const MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
/** After a failed BGSAVE, save points wait this long before trying again (as Redis). */
const RETRY_AFTER_FAILURE_MS = 5000;
/** How often the log reports loading progress. */
const LOADING_LOG_INTERVAL_MS = 1000;
/** How often save points are checked: Redis's serverCron runs at hz 10. */
const CRON_MS = 100;
/** The configured save points (CONFIG SET has validated them). */
function savePoints(config) {
    return parseSavePoints(config.get('save')) ?? [];
}
/**
 * Snapshots for the daemon: SAVE, BGSAVE (fork-less), save points, LASTSAVE's clock, loading
 * dump.rdb at start, saving at shutdown, and INFO persistence.
 */
export class ServerPersistence {
    engine;
    log;
    aof = null;
    background = null;
    /** The running BGSAVE's stand-in child (killed by a shutdown, as Redis's killRDBChild). */
    backgroundChild = null;
    backgroundStartedAt = 0;
    scheduled = false;
    lastBackgroundOk = true;
    lastBackgroundSeconds = -1;
    lastBackgroundTry = 0;
    saves = 0;
    loadedKeys = 0;
    loadedExpired = 0;
    cron = null;
    /** While dump.rdb loads: when it began (ms) and the bytes read of the file's size. */
    loadingProgress = null;
    /** Bytes of the dataset file read so far by the load in progress (0 when none). */
    get loadedBytes() {
        return this.loadingProgress?.loaded ?? 0;
    }
    constructor(engine, log) {
        this.engine = engine;
        this.log = log;
    }
    /** dir + dbfilename; an empty dir is the working directory, as Redis's default. */
    get rdbPath() {
        return join(this.engine.config.get('dir'), this.engine.config.get('dbfilename'));
    }
    /** Loads dump.rdb when it exists; a corrupt file throws so the server does not start empty. */
    async loadAtStartup() {
        const path = this.rdbPath;
        if (!existsSync(path))
            return;
        const started = Date.now();
        // The size is known from the start, as Redis's startLoadingFile: INFO never shows a load of 0.
        const loading = { started: Date.now(), total: statSync(path).size, loaded: 0 };
        this.loadingProgress = loading;
        let logged = loading.started;
        const progress = (read, total, keys) => {
            loading.loaded = read;
            loading.total = total;
            if (Date.now() - logged < LOADING_LOG_INTERVAL_MS)
                return;
            logged = Date.now();
            this.log('notice', `Loading RDB: ${Math.floor((read / total) * 100)}% (${keys} keys)`);
        };
        let emptyKeys = 0;
        const result = await loadRdbFile(this.engine, path, progress, {
            onAux: (name, value) => this.logAux(name, value),
            onExpiredDropped: (db, key) => this.engine.replication?.expiredAtLoad(db, key),
            // The first ten are named, as Redis's rdbLoadRioWithLoadingCtx.
            onEmptyKey: (_db, key) => {
                if (emptyKeys++ < 10)
                    this.log('warning', `rdbLoadObject skipping empty key: ${key}`);
            },
        }).catch((error) => {
            if (error instanceof DuplicateKeyError)
                this.panicOnDuplicate(error);
            throw new Error(this.loadFailure(error));
        });
        this.loadingProgress = null;
        this.loadedKeys = result.keys;
        this.loadedExpired = result.expiredSkipped;
        this.engine.replication?.restoreFromRdb(result.aux);
        const loaded = `Done loading RDB, keys loaded: ${result.keys}, keys expired: ${result.expiredSkipped}`;
        if (emptyKeys === 0)
            this.log('notice', `${loaded}.`);
        else
            this.log('warning', `${loaded}, empty keys skipped: ${emptyKeys}.`);
        this.log('notice', `DB loaded from disk: ${((Date.now() - started) / 1000).toFixed(3)} seconds`);
    }
    /** The lines Redis logs as it reads the file's header (rdbLoadRioWithLoadingCtx). */
    logAux(name, value) {
        if (name === 'redis-ver')
            this.log('notice', `Loading RDB produced by version ${value}`);
        else if (name === 'ctime') {
            const age = Math.max(0, Math.floor(Date.now() / 1000) - Number(value));
            this.log('notice', `RDB age ${age} seconds`);
        }
        else if (name === 'used-mem') {
            this.log('notice', `RDB memory usage when created ${(Number(value) / 1048576).toFixed(2)} Mb`);
        }
    }
    /**
     * Why the file could not be loaded, in Redis's words (rdbReportError for a file being
     * loaded): the reason is logged, the file checked (redis-check-rdb's report, printed to
     * stdout), and the last line returned for the daemon to log as it exits.
     */
    loadFailure(error) {
        if (!(error instanceof RdbError)) {
            return `Fatal error loading the DB: ${describeErrno(error)}. Exiting.`;
        }
        const failure = error.failure;
        let reason;
        switch (failure.kind) {
            case 'checksum':
                this.log('warning', `Wrong RDB checksum expected: (${failure.computed.toString(16)}) but got (${failure.stored.toString(16)}). Aborting now.`);
                reason = 'RDB CRC error';
                break;
            case 'truncated':
                this.log('warning', 'Short read or OOM loading DB. Unrecoverable error, aborting now.');
                reason = 'Unexpected EOF reading RDB file';
                break;
            case 'format':
                reason = error.report ?? error.message;
        }
        const internal = `Internal error in RDB reading offset 0, function at rc -> ${reason}`;
        this.log('warning', internal);
        // The checker Redis runs next reads the file again and stops at the same error.
        process.stdout.write(`--- RDB ERROR DETECTED ---\n[offset ${error.offset ?? 0}] ${internal}\n`);
        return 'Terminating server after rdb file reading failure.';
    }
    start() {
        this.cron = setInterval(() => this.tick(), CRON_MS);
        this.cron.unref();
    }
    /** Stops the save-point clock and waits for a background save to finish. */
    async stop() {
        if (this.cron)
            clearInterval(this.cron);
        this.cron = null;
        await this.background;
    }
    get backgroundInProgress() {
        return this.background !== null;
    }
    save() {
        if (this.background !== null)
            return { error: 'ERR Background save already in progress' };
        this.saves++;
        return this.saveNow() ? { status: 'OK' } : { error: 'ERR' };
    }
    bgsave(schedule, inTransaction) {
        if (this.background !== null)
            return { error: 'ERR Background save already in progress' };
        if (this.aof?.rewriteInProgress === true || inTransaction) {
            if (!schedule && !inTransaction) {
                return {
                    error: "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
                };
            }
            this.scheduled = true;
            return { status: 'Background saving scheduled' };
        }
        this.startBackgroundSave();
        return { status: 'Background saving started' };
    }
    bgrewriteaof(inTransaction) {
        return this.aof?.bgrewriteaof(inTransaction) ?? { error: 'ERR' };
    }
    killBackgroundSave() {
        if (this.backgroundChild === null)
            return;
        this.backgroundChild.kill();
        // Now, not when the save notices: the server may be gone by then (rdbRemoveTempFile).
        rmSync(temporaryRdbPath(this.rdbPath, this.backgroundChild.pid), { force: true });
    }
    async finishShutdown(save, force) {
        // Its file would otherwise race the final save.
        if (this.backgroundChild !== null) {
            this.log('warning', 'There is a child saving an .rdb. Killing it!');
            this.killBackgroundSave();
        }
        const aof = this.aof;
        if (aof?.waitingFirstRewrite === true) {
            // Without its first rewrite the AOF does not hold the dataset yet.
            if (!force) {
                this.log('warning', "Writing initial AOF, can't exit.");
                return { error: 'ERR' };
            }
            this.log('warning', 'Writing initial AOF. Exit anyway.');
        }
        if (aof?.rewriteInProgress === true) {
            this.log('warning', 'There is a child rewriting the AOF. Killing it!');
        }
        const points = savePoints(this.engine.config);
        if (save === 'nosave' || (save === 'default' && points.length === 0))
            return { status: 'OK' };
        this.log('notice', 'Saving the final RDB snapshot before exiting.');
        if (await this.saveFinal())
            return { status: 'OK' };
        this.log('warning', force
            ? 'Error trying to save the DB. Exit anyway.'
            : "Error trying to save the DB, can't exit.");
        return force ? { status: 'OK' } : { error: 'ERR' };
    }
    writeRefusal() {
        if (this.lastBackgroundOk)
            return null;
        const config = this.engine.config;
        if (config.get('stop-writes-on-bgsave-error') !== 'yes')
            return null;
        if (savePoints(config).length === 0)
            return null;
        return MISCONF;
    }
    resetStats() {
        this.saves = 0;
        this.aof?.resetStats();
    }
    /** A background save (or a transfer's) or an AOF rewrite: Redis's child processes. */
    childRunning() {
        return this.backgroundSaveRunning() || this.aof?.rewriteInProgress === true;
    }
    backgroundSaveRunning() {
        return this.background !== null || this.engine.replication?.transferInProgress === true;
    }
    infoFields() {
        const stats = this.engine.stats;
        const running = this.backgroundSaveRunning();
        return [
            ['current_cow_peak', 0],
            ['current_cow_size', 0],
            ['current_cow_size_age', 0],
            ['current_fork_perc', '0.00'],
            ['current_save_keys_processed', 0],
            ['current_save_keys_total', 0],
            ['rdb_changes_since_last_save', stats.dirty],
            ['rdb_bgsave_in_progress', running ? 1 : 0],
            ['rdb_last_save_time', stats.lastSave],
            ['rdb_last_bgsave_status', this.lastBackgroundOk ? 'ok' : 'err'],
            ['rdb_last_bgsave_time_sec', this.lastBackgroundSeconds],
            [
                'rdb_current_bgsave_time_sec',
                running ? Math.floor((Date.now() - this.backgroundStartedAt) / 1000) : -1,
            ],
            ['rdb_saves', this.saves],
            ['rdb_last_cow_size', 0],
            ['rdb_last_load_keys_expired', this.loadedExpired],
            ['rdb_last_load_keys_loaded', this.loadedKeys],
            ...(this.aof?.infoFields() ?? AOF_OFF),
            ['module_fork_in_progress', 0],
            ['module_fork_last_cow_size', 0],
            ...(this.aof?.sizeFields?.() ?? []),
            ...this.loadingFields(),
        ];
    }
    /** INFO's loading_* fields, shown while a file loads (as Redis computes them). */
    loadingFields() {
        const loading = this.loadingProgress;
        if (loading === null)
            return [];
        const elapsed = Math.floor((Date.now() - loading.started) / 1000);
        const remaining = loading.total - loading.loaded;
        const eta = elapsed === 0 ? 1 : Math.floor((elapsed * remaining) / (loading.loaded + 1));
        const percent = loading.total === 0 ? 0 : (loading.loaded / loading.total) * 100;
        return [
            ['loading_start_time', Math.floor(loading.started / 1000)],
            ['loading_total_bytes', loading.total],
            ['loading_rdb_used_mem', 0],
            ['loading_loaded_bytes', loading.loaded],
            ['loading_loaded_perc', percent.toFixed(2)],
            ['loading_eta_seconds', eta],
        ];
    }
    saveForReload() {
        return this.saveNow();
    }
    loadForReload(merge) {
        const path = this.rdbPath;
        if (!existsSync(path))
            return `${path} does not exist`;
        try {
            const result = loadRdbFileSync(this.engine, path, { allowDuplicates: merge });
            this.loadedKeys = result.keys;
            this.loadedExpired = result.expiredSkipped;
        }
        catch (error) {
            if (error instanceof DuplicateKeyError)
                this.panicOnDuplicate(error);
            else
                this.log('warning', `Error trying to load the RDB dump: ${error.message}`);
            return error.message;
        }
        return null;
    }
    /** As Redis's rdbLoad without RDBFLAGS_ALLOW_DUP: a key twice is a panic. */
    panicOnDuplicate(error) {
        this.log('warning', error.message);
        this.engine.crash({ kind: 'panic', message: 'Duplicated key found in RDB file' });
    }
    flushAppendOnlyFile() {
        this.aof?.flush();
    }
    async loadAppendOnlyFile() {
        return this.aof === null ? 'no append only file' : this.aof.loadNow();
    }
    /** A synchronous save; true when the file was written. */
    saveNow() {
        try {
            writeRdbFileSync(this.engine, this.rdbPath);
        }
        catch (error) {
            // Unlike a failed BGSAVE this refuses no writes (Redis's rdbSave keeps lastbgsave_status).
            this.log('warning', `Failed saving the DB: ${error.message}`);
            return false;
        }
        this.savedOnDisk();
        return true;
    }
    /**
     * The final save of a shutdown, written in slices (the shutdown pauses every client) so that
     * rdb-key-save-delay slows it as in Redis and a second SIGINT can still end the process.
     */
    async saveFinal() {
        try {
            await writeRdbFile(this.engine, this.rdbPath, { pid: process.pid });
        }
        catch (error) {
            this.log('warning', `Failed saving the DB: ${error.message}`);
            return false;
        }
        this.savedOnDisk();
        return true;
    }
    savedOnDisk() {
        this.engine.stats.dirty = 0;
        this.engine.stats.lastSave = Math.floor(Date.now() / 1000);
        this.lastBackgroundOk = true;
        this.log('notice', 'DB saved on disk');
    }
    startBackgroundSave() {
        const dirtyBefore = this.engine.stats.dirty;
        this.saves++;
        this.scheduled = false;
        this.backgroundStartedAt = this.lastBackgroundTry = Date.now();
        // The save's child as Redis's fork shows it: killing it fails the save.
        const child = new StandInChild();
        this.backgroundChild = child;
        let killedBy = null;
        child.onKilled((signal) => {
            killedBy = signal;
        });
        this.engine.stats.forks++;
        this.log('notice', `Background saving started by pid ${child.pid}`);
        this.background = writeRdbFile(this.engine, this.rdbPath, {
            signal: child.signal,
            pid: child.pid,
        }).then(() => {
            child.release();
            // Changes made while the snapshot was written are not in it.
            this.engine.stats.dirty = Math.max(0, this.engine.stats.dirty - dirtyBefore);
            this.engine.stats.lastSave = Math.floor(Date.now() / 1000);
            this.lastBackgroundOk = true;
            this.log('notice', 'Background saving terminated with success');
            this.backgroundFinished();
        }, (error) => {
            child.release();
            // Stopped on purpose (SIGUSR1, as a shutdown does): not a failure, as in Redis.
            if (killedBy !== constants.signals.SIGUSR1)
                this.lastBackgroundOk = false;
            this.log('warning', killedBy !== null
                ? `Background saving terminated by signal ${killedBy}`
                : `Background saving error: ${error.message}`);
            this.backgroundFinished();
        });
    }
    backgroundFinished() {
        this.backgroundChild = null;
        this.lastBackgroundSeconds = Math.floor((Date.now() - this.backgroundStartedAt) / 1000);
        this.background = null;
    }
    /**
     * Scheduled BGSAVEs and save points, as Redis's serverCron checks them; not while a file
     * loads (Redis then serves events but runs no cron).
     */
    tick() {
        if (this.engine.loading)
            return;
        if (this.background !== null || this.aof?.rewriteInProgress === true)
            return;
        if (this.scheduled) {
            this.startBackgroundSave();
            return;
        }
        const dirty = this.engine.stats.dirty;
        if (dirty === 0)
            return;
        const now = Date.now();
        if (!this.lastBackgroundOk && now - this.lastBackgroundTry < RETRY_AFTER_FAILURE_MS)
            return;
        const sinceSave = now / 1000 - this.engine.stats.lastSave;
        for (const [seconds, changes] of savePoints(this.engine.config)) {
            if (dirty >= changes && sinceSave > seconds) {
                this.log('notice', `${changes} changes in ${seconds} seconds. Saving...`);
                this.startBackgroundSave();
                return;
            }
        }
    }
}
//# sourceMappingURL=host.js.map