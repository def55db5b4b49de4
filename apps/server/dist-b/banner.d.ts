/**
 * The block printed at startup when `always-show-logo yes` (or a terminal is attached): rc's
 * own drawing, with the facts Redis's logo carries, among them the ` PID: <pid>` that process
 * supervisors and Redis's test harness look for.
 */
export declare function logo(port: number, mode?: 'standalone' | 'cluster'): string;
//# sourceMappingURL=banner.d.ts.map