/** What a refused peer reads before the connection closes: Redis's explanation, verbatim. */
export const PROTECTED_MODE_DENIAL = '-DENIED Redis is running in protected mode because protected mode is enabled and no ' +
    'password is set for the default user. In this mode connections are only accepted from the ' +
    'loopback interface. If you want to connect from external computers to Redis you may adopt ' +
    'one of the following solutions: ' +
    "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the " +
    'loopback interface by connecting to Redis from the same host the server is running, however ' +
    'MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to ' +
    'make this change permanent. ' +
    '2) Alternatively you can just disable the protected mode by editing the Redis configuration ' +
    "file, and setting the protected mode option to 'no', and then restarting the server. " +
    "3) If you started the server manually just for testing, restart it with the '--protected-mode " +
    "no' option. " +
    '4) Setup a an authentication password for the default user. ' +
    'NOTE: You only need to do one of the above things in order for the server to start ' +
    'accepting connections from the outside.\r\n';
/**
 * Whether protected mode refuses a TCP peer (unix socket peers are always local): it is on and
 * the default user has no password, whatever `bind` says (Redis 7.0), and the peer is not the
 * loopback address. As Redis's islocalClient, only 127.0.0.1 and ::1 are loopback, not the rest
 * of 127.0.0.0/8.
 */
export function protectedModeRefuses(engine, peerAddress) {
    return (engine.config.get('protected-mode') === 'yes' &&
        engine.defaultUserIsPasswordless() &&
        peerAddress !== '127.0.0.1' &&
        peerAddress !== '::1');
}
//# sourceMappingURL=protected-mode.js.map