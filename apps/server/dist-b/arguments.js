import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommandRenames, Config, SERVER_VERSION, UserDeclarations, quoteArgument, describeErrno, } from '@rc/engine';
import { splitArguments } from '@rc/resp';
/** Option names accepted under another spelling, as redis-server's own aliases. */
const ALIASES = { slaveof: 'replicaof' };
/** Parameters taking several words (Redis's MULTI_ARG_CONFIG): `save 900 1 300 10`. */
const MULTI_WORD = new Set([
    'save',
    'client-output-buffer-limit',
    'oom-score-adj-values',
    'bind',
    'replicaof',
    'latency-tracking-info-percentiles',
    'shutdown-on-sigint',
    'shutdown-on-sigterm',
]);
/** Directives Redis 7.0 still accepts and ignores, with the word counts it allows. */
const DEPRECATED = new Set(['list-max-ziplist-entries', 'list-max-ziplist-value']);
/**
 * redis-server's command line, read as Redis reads it: an optional config file first, then
 * `--name value...` options appended to the file's text as one directive line each (values
 * quoted), and the whole text parsed as a config file, so errors name a line of that text.
 */
export function parseArguments(args) {
    if (args[0] === '--help' || args[0] === '-h')
        return { kind: 'help' };
    if (args[0] === '--version' || args[0] === '-v')
        return { kind: 'version' };
    let text = '';
    let configFile = null;
    let first = 0;
    if (args.length > 0 && !args[0].startsWith('-')) {
        configFile = resolve(args[0]);
        const read = readConfigFile(args[0]);
        if (typeof read !== 'string')
            return read;
        text = read;
        first = 1;
    }
    const options = commandLineOptions(args.slice(first));
    if (args.length > 0)
        text += '\n' + options;
    const config = [];
    const declared = { users: new UserDeclarations(), renames: new CommandRenames() };
    const error = loadConfigText(text, config, declared);
    return (error ?? {
        kind: 'run',
        config: mergeSaveLines(config),
        configFile,
        users: declared.users.lines,
        renames: declared.renames.renames,
    });
}
/**
 * While reading the config, Redis takes `save` lines together: the first replaces the default
 * save points, each later one adds its points, and `save ""` empties the list.
 */
function mergeSaveLines(config) {
    const saves = config.filter(([name]) => name === 'save').map(([, value]) => value);
    if (saves.length <= 1)
        return config;
    let points = '';
    for (const value of saves)
        points = value === '' || points === '' ? value : `${points} ${value}`;
    return [...config.filter(([name]) => name !== 'save'), ['save', points]];
}
/**
 * The options as config text: `--port 7000 --save 900 1` → `port "7000" \nsave "900" "1" `. A
 * name whose value comes in the same argument (`"--port 7000"`) takes no quotes, as Redis.
 */
function commandLineOptions(args) {
    let options = '';
    let valueSeen = true;
    for (let j = 0; j < args.length; j++) {
        const arg = args[j];
        if (valueSeen && arg.startsWith('--')) {
            if (options !== '')
                options += '\n';
            options += arg.slice(2) + ' ';
            const nameOnly = (splitArguments(arg) ?? []).length === 1;
            valueSeen = !nameOnly;
            // `--save` with no value means `save ""`, whether more options follow or not.
            if (nameOnly && arg.toLowerCase() === '--save') {
                const next = args[j + 1];
                if (next === undefined || next.startsWith('--')) {
                    options += '""';
                    valueSeen = true;
                }
            }
        }
        else {
            options += quoteArgument(arg) + ' ';
            valueSeen = true;
        }
    }
    return options;
}
function readConfigFile(path) {
    try {
        return readFileSync(path, 'latin1');
    }
    catch (error) {
        const reason = describeErrno(error);
        return {
            kind: 'error',
            via: 'log',
            message: `Fatal error, can't open config file '${path}': ${reason}`,
        };
    }
}
/**
 * Parses config text into `config` (`user` and `rename-command` lines into `declared`),
 * following `include`s,
 * checking each directive as Redis's loadServerConfigFromString does; returns the fatal error
 * for the first bad line.
 */
function loadConfigText(text, config, declared) {
    const known = new Config();
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
        if (line === '' || line.startsWith('#'))
            continue;
        const fail = (reason) => ({
            kind: 'error',
            via: 'stderr',
            message: `\n*** FATAL CONFIG FILE ERROR (Redis ${SERVER_VERSION}) ***\n` +
                `Reading the configuration file, at line ${i + 1}\n>>> '${line}'\n${reason}\n`,
        });
        const words = splitArguments(line);
        if (words === null)
            return fail('Unbalanced quotes in configuration line');
        if (words.length === 0)
            continue;
        const written = words[0].toLowerCase();
        const name = ALIASES[written] ?? written;
        if (known.has(name)) {
            let values = words.slice(1);
            if (!MULTI_WORD.has(name) && values.length !== 1)
                return fail('wrong number of arguments');
            // One non-empty argument of a multi-word parameter holds its words: `--save "900 1"`.
            if (MULTI_WORD.has(name) && values.length === 1 && values[0] !== '') {
                values = splitArguments(values[0]) ?? values;
            }
            const value = values.join(' ');
            const problem = multiWordProblem(name, values) ?? known.valueProblem(name, value);
            if (problem !== null)
                return fail(problem);
            config.push([name, name === 'replicaof' && value.toLowerCase() === 'no one' ? '' : value]);
        }
        else if (DEPRECATED.has(name) && words.length === 2) {
            continue;
        }
        else if (name === 'user' && words.length >= 2) {
            const problem = declared.users.add(words);
            if (problem !== null)
                return fail(problem);
        }
        else if (name === 'rename-command' && words.length === 3) {
            const problem = declared.renames.add(words[1], words[2]);
            if (problem !== null)
                return fail(problem);
        }
        else if (name === 'include' && words.length === 2) {
            const included = readConfigFile(words[1]);
            if (typeof included !== 'string')
                return included;
            const error = loadConfigText(included, config, declared);
            if (error !== null)
                return error;
        }
        else {
            return fail('Bad directive or wrong number of arguments');
        }
    }
    return null;
}
/** The word-count rules of the multi-word parameters that Config does not check itself. */
function multiWordProblem(name, values) {
    if (name !== 'replicaof')
        return null;
    if (values.length !== 2)
        return 'wrong number of arguments';
    if (values[0].toLowerCase() === 'no' && values[1].toLowerCase() === 'one')
        return null;
    const port = /^-?\d+$/.test(values[1]) ? Number(values[1]) : -1;
    return port < 0 || port > 65535 ? 'Invalid master port' : null;
}
//# sourceMappingURL=arguments.js.map