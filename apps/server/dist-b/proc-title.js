import { procTitle } from '@rc/engine';
/**
 * Redis's redisSetProcTitle: the process title proc-title-template makes, set at start when
 * set-proc-title is yes and again whenever the template changes. The title is what the server
 * was started as (the daemon's script). Node can only rewrite the room the original command
 * line took, so a longer title is cut there.
 */
export function followProcTitle(config, configFile) {
    const title = process.argv[1] ?? process.argv0;
    const apply = () => {
        const text = procTitle(config.get('proc-title-template'), title, config, configFile);
        if (text !== null)
            process.title = text;
    };
    if (config.get('set-proc-title') === 'yes')
        apply();
    config.onChange('proc-title-template', apply);
}
//# sourceMappingURL=proc-title.js.map