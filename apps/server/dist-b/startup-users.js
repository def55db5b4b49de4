import { loadAclFile } from '@rc/engine';
/**
 * The users a server starts with (Redis's ACLLoadUsersAtStartup): the config file's `user`
 * lines or the aclfile, never both. Returns the last log line of a failure, which stops the
 * start; the lines before it are logged here.
 */
export function loadStartupUsers(engine, declared, log) {
    const aclfile = engine.config.get('aclfile');
    if (aclfile !== '' && declared.length > 0) {
        return 'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.';
    }
    const problem = engine.acl.loadConfigured(declared);
    if (problem !== null) {
        log('warning', problem);
        return 'Critical error while loading ACLs. Exiting.';
    }
    for (const [name] of declared) {
        if (engine.acl.get(name)?.enabled === false) {
            log('notice', `The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`);
        }
    }
    if (aclfile === '')
        return null;
    const errors = loadAclFile(engine.acl, aclfile, engine.config.get('dir'));
    return errors === null ? null : `Aborting Redis startup because of ACL errors: ${errors}`;
}
//# sourceMappingURL=startup-users.js.map