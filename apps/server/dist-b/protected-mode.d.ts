import type { Engine } from '@rc/engine';
/** What a refused peer reads before the connection closes: Redis's explanation, verbatim. */
export declare const PROTECTED_MODE_DENIAL: string;
/**
 * Whether protected mode refuses a TCP peer (unix socket peers are always local): it is on and
 * the default user has no password, whatever `bind` says (Redis 7.0), and the peer is not the
 * loopback address. As Redis's islocalClient, only 127.0.0.1 and ::1 are loopback, not the rest
 * of 127.0.0.0/8.
 */
export declare function protectedModeRefuses(engine: Engine, peerAddress: string | undefined): boolean;
//# sourceMappingURL=protected-mode.d.ts.map