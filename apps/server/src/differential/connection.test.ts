import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('connection differential'))(
  'connection commands, compared with redis-server',
  () => {
    const servers = useDifferential();

    it('HELLO errors and AUTH without a password', () =>
      servers.compare([
        ['HELLO', '4'],
        ['HELLO', 'x'],
        ['HELLO', '2', 'BOGUS'],
        ['AUTH', 'pass'],
        ['AUTH', 'default', 'pass'],
        ['AUTH', 'a', 'b', 'c'],
        ['CLIENT', 'SETNAME', 'bad name'],
        ['CLIENT', 'SETNAME', 'good'],
        ['CLIENT', 'GETNAME'],
        ['CLIENT', 'BOGUS'],
        ['CLIENT', 'UNBLOCK', '999999'],
        ['CLIENT', 'UNBLOCK', 'x'],
        ['CLIENT', 'REPLY', 'ON'],
        ['CLIENT', 'NO-EVICT', 'maybe'],
        ['ECHO', 'still here'],
      ]));

    it('HELP of CLIENT, CONFIG, MEMORY and PUBSUB; tracking reported off (not implemented)', () =>
      servers.compare([
        ['CLIENT', 'HELP'],
        ['CONFIG', 'HELP'],
        ['MEMORY', 'HELP'],
        ['PUBSUB', 'HELP'],
        ['PUBSUB', 'HELP', 'extra'],
        ['CLIENT', 'HELP', 'extra'],
        ['CLIENT', 'GETREDIR'],
        ['CLIENT', 'TRACKINGINFO'],
        ['CLIENT', 'TRACKINGINFO', 'extra'],
      ]));

    it('CLIENT REPLY OFF and SKIP drop replies', () =>
      servers.compare([
        {
          raw: 'CLIENT REPLY SKIP\r\nSET a 1\r\nCLIENT REPLY OFF\r\nSET b 2\r\nGET a\r\nCLIENT REPLY ON\r\nMGET a b\r\n',
          replies: 2,
        },
      ]));

    it('CLIENT REPLY ON replies OK after SKIP; SKIP twice skips two replies; SKIP under OFF is ignored', () =>
      servers.compare([
        { raw: 'CLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\nGET a\r\n', replies: 2 },
        { raw: 'CLIENT REPLY SKIP\r\nCLIENT REPLY SKIP\r\nECHO one\r\nECHO two\r\n', replies: 1 },
        {
          raw: 'CLIENT REPLY OFF\r\nCLIENT REPLY SKIP\r\nECHO one\r\nECHO two\r\nCLIENT REPLY ON\r\nECHO three\r\n',
          replies: 2,
        },
      ]));

    it('CLIENT REPLY SKIP: a SUBSCRIBE still replies, and uses the skip up', () =>
      servers.compare([
        { raw: 'CLIENT REPLY SKIP\r\nSUBSCRIBE c\r\nPING\r\n', replies: 2 },
        { raw: 'CLIENT REPLY OFF\r\nUNSUBSCRIBE c\r\nCLIENT REPLY ON\r\n', replies: 2 },
      ]));

    it('CLIENT REPLY OFF and SKIP drop refusals, QUEUED, and the reply a wait ends with', () =>
      servers.compare([
        {
          raw:
            'CLIENT REPLY OFF\r\nGET\r\nNOSUCH\r\nMULTI\r\nPING\r\nEXEC\r\nCLIENT REPLY ON\r\n' +
            'CLIENT REPLY SKIP\r\nGET\r\nPING\r\nCLIENT REPLY SKIP\r\nBLPOP nolist 0.05\r\nPING\r\n',
          replies: 3,
        },
        { raw: 'CLIENT REPLY SKIP\r\nBLPOP l 0\r\n', replies: 0 },
        { other: ['RPUSH', 'l', 'x'] },
        ['PING'],
        { raw: 'CLIENT REPLY SKIP\r\nMULTI\r\n', replies: 0 },
        ['EXEC'],
        {
          raw: 'CLIENT REPLY SKIP\r\nRESET\r\nPING\r\nCLIENT REPLY OFF\r\nRESET\r\nPING\r\n',
          replies: 3,
        },
      ]));

    it('CLIENT PAUSE and UNPAUSE: their errors; a pause of 0 is over at once', () =>
      servers.compare([
        ['CLIENT', 'PAUSE', 'x'],
        ['CLIENT', 'PAUSE', '-1'],
        ['CLIENT', 'PAUSE', '10', 'BOGUS'],
        ['CLIENT', 'PAUSE', '10', 'WRITE', 'extra'],
        ['CLIENT', 'PAUSE', '99999999999999999999'],
        ['CLIENT', 'PAUSE'],
        ['CLIENT', 'UNPAUSE', 'extra'],
        ['CLIENT', 'PAUSE', '0', 'all'],
        ['SET', 'k', 'v'],
        ['CLIENT', 'PAUSE', '60000', 'write'],
        ['GET', 'k'],
        ['CLIENT', 'UNPAUSE'],
        ['SET', 'k', 'w'],
      ]));

    it('QUIT replies OK and closes', () => servers.compare([['QUIT']]));

    it('RESET leaves MULTI and subscriptions', () =>
      servers.compare([['MULTI'], ['SUBSCRIBE', 'c'], ['RESET'], ['PING']]));

    it('RESET leaves MONITOR: commands of others are no longer shown', () =>
      servers.compare([['MONITOR'], ['RESET'], { other: ['SET', 'a', '1'] }, ['PING']]));
  },
);
