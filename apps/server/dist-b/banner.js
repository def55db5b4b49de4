import { SERVER_VERSION } from '@rc/engine';
/**
 * The block printed at startup when `always-show-logo yes` (or a terminal is attached): rc's
 * own drawing, with the facts Redis's logo carries, among them the ` PID: <pid>` that process
 * supervisors and Redis's test harness look for.
 */
export function logo(port, mode = 'standalone') {
    const facts = [
        `Redis ${SERVER_VERSION} (00000000/0) 64 bit, rc on Node.js ${process.version}`,
        '',
        `Running in ${mode} mode`,
        `Port: ${port}`,
        `PID: ${process.pid}`,
    ];
    const art = ['   .--------.', '   |  r c   |', "   '--------'", '', ''];
    const lines = art.map((left, i) => `${left.padEnd(20)}${facts[i]}`.trimEnd());
    return `\n${lines.join('\n')}\n\n`;
}
//# sourceMappingURL=banner.js.map